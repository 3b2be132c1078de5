"""Delivery (R-QA-1, R-QA-2, R-EN-5): offerings, enrolments, completion, attrition (withdrawn and
deferred), pass rates and grades per PTj, course and intake; who enrols (Malaysian or
international, UNIMAS students or the public). The date range picks offerings by their start
date. One query per table; no learner is ever named."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from enrolment.choices import EnrolmentStatus, IdentityKind
from enrolment.models import Enrolment, Offering
from reports.policies import Filters, months_between, percent
from reports.selectors._common import day_range_q, ptj_scope_q, rows_of
from reports.tables import Column, Table

FINAL = (EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED)  # results approved by Senate (R-RS-2)
OUTCOMES = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.FAILED,
    EnrolmentStatus.WITHDRAWN,
    EnrolmentStatus.DEFERRED,
)


def offerings(filters: Filters) -> QuerySet[Offering]:
    queryset = Offering.objects.filter(ptj_scope_q(filters), day_range_q("starts_on", filters))
    if filters.course_id is not None:
        queryset = queryset.filter(proposal_id=filters.course_id)
    return queryset


def enrolments(filters: Filters) -> QuerySet[Enrolment]:
    queryset = Enrolment.objects.filter(
        ptj_scope_q(filters, "offering__ptj_id"), day_range_q("offering__starts_on", filters)
    )
    if filters.course_id is not None:
        queryset = queryset.filter(offering__proposal_id=filters.course_id)
    return queryset


def _status_counts(prefix: str = "enrolments__") -> dict[str, Any]:
    return {
        "total": Count(f"{prefix}id"),
        **{status: Count(f"{prefix}id", filter=Q(**{f"{prefix}status": status})) for status in OUTCOMES},
    }


OUTCOME_COLUMNS = (
    Column("offerings", _("Offerings")),
    Column("enrolments", _("Enrolments")),
    Column(EnrolmentStatus.ENROLLED, _("Studying")),
    Column(EnrolmentStatus.COMPLETED, _("Completed")),
    Column(EnrolmentStatus.FAILED, _("Failed")),
    Column(EnrolmentStatus.WITHDRAWN, _("Withdrawn")),
    Column(EnrolmentStatus.DEFERRED, _("Deferred")),
    Column("completion", _("Completion %")),
    Column("attrition", _("Attrition %")),
    Column("pass_rate", _("Pass rate %")),
)
OUTCOME_NOTE = _(
    "Completion: completed of all enrolments. Attrition: withdrawn or deferred of all enrolments. Pass "
    "rate: completed of those with Senate-approved results (completed or failed)."
)


def _outcome_cells(row: dict[str, Any]) -> tuple[object, ...]:
    total = row["total"]
    final = row[EnrolmentStatus.COMPLETED] + row[EnrolmentStatus.FAILED]
    return (
        row["offerings"],
        total,
        *(row[s] for s in OUTCOMES),
        percent(row[EnrolmentStatus.COMPLETED], total),
        percent(row[EnrolmentStatus.WITHDRAWN] + row[EnrolmentStatus.DEFERRED], total),
        percent(row[EnrolmentStatus.COMPLETED], final),
    )


def _footer(rows: list[dict[str, Any]], label: object) -> tuple[object, ...] | None:
    if not rows:
        return None
    keys = ("offerings", "total", *OUTCOMES)
    return (label, *_outcome_cells({k: sum(r[k] for r in rows) for k in keys}))


def by_ptj(filters: Filters) -> Table:
    rows = rows_of(
        offerings(filters)
        .values("ptj__code")
        .annotate(offerings=Count("id", distinct=True), **_status_counts())
        .order_by("ptj__code")
    )
    return Table(
        "by-ptj",
        _("Outcomes by PTj"),
        (Column("ptj", _("PTj"), numeric=False), *OUTCOME_COLUMNS),
        tuple((r["ptj__code"], *_outcome_cells(r)) for r in rows),
        note=OUTCOME_NOTE,
        empty=_("No offering starts in the date range."),
        footer=_footer(rows, _("All PTjs")),
    )


def by_course(filters: Filters) -> Table:
    # Grouped by the course's id (its code and title are the same on every offering): cheaper
    # than grouping by text at 100,000 enrolments; a few hundred rows are then sorted by code.
    rows = rows_of(
        offerings(filters)
        .values("proposal_id")
        .annotate(
            course_code=Min("course_code"),
            course_title=Min("course_title"),
            offerings=Count("id", distinct=True),
            **_status_counts(),
        )
        .order_by()
    )
    rows.sort(key=lambda r: (r["course_code"], r["proposal_id"]))
    return Table(
        "by-course",
        _("Outcomes by course"),
        (Column("code", _("Code"), numeric=False), Column("title", _("Title"), numeric=False), *OUTCOME_COLUMNS),
        tuple((r["course_code"], r["course_title"], *_outcome_cells(r)) for r in rows),
        note=OUTCOME_NOTE,
        empty=_("No offering starts in the date range."),
        footer=(_("All courses"), None, *(_footer(rows, "") or ())[1:]) if rows else None,
    )


def by_intake(filters: Filters) -> Table:
    rows = rows_of(
        offerings(filters)
        .values("session")
        .annotate(first=Min("starts_on"), offerings=Count("id", distinct=True), **_status_counts())
        .order_by("first", "session")
    )
    return Table(
        "by-intake",
        _("Outcomes by intake"),
        (
            Column("session", _("Intake (session)"), numeric=False),
            Column("first", _("First start"), numeric=False),
            *OUTCOME_COLUMNS,
        ),
        tuple((r["session"], r["first"], *_outcome_cells(r)) for r in rows),
        note=OUTCOME_NOTE,
        empty=_("No offering starts in the date range."),
        footer=(_("All intakes"), None, *(_footer(rows, "") or ())[1:]) if rows else None,
    )


GRADE_GROUPS = {
    # slug: (grouped by, its column label, the table's title)
    "grades": ("offering__course_code", _("Course"), _("Grade distribution by course")),
    "grades-ptj": ("offering__ptj__code", _("PTj"), _("Grade distribution by PTj")),
    "grades-intake": ("offering__session", _("Intake (session)"), _("Grade distribution by intake")),
}


def grades(filters: Filters, slug: str = "grades") -> Table:
    """Grades of Senate-approved results per course, PTj or intake (``slug``, one of
    ``GRADE_GROUPS``); grades in the order of their grade points."""
    key, label, title = GRADE_GROUPS[slug]
    rows = rows_of(
        enrolments(filters)
        .filter(status__in=FINAL)
        .exclude(grade="")
        .values(key, "grade")
        .annotate(n=Count("id"), points=Max("grade_point"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    points: dict[str, float] = {}
    for r in rows:  # a few rows per group: the pivot of one aggregate query
        counts[(r[key], r["grade"])] = r["n"]
        points[r["grade"]] = float(r["points"] or 0)
    grade_list = sorted(points, key=lambda g: (-points[g], g))
    groups = sorted({c for c, _ in counts})
    body = []
    for group in groups:
        cells = [counts.get((group, g), 0) for g in grade_list]
        body.append((group, *cells, sum(cells)))
    return Table(
        slug,
        title,
        (
            Column("code", label, numeric=False),
            *(Column(f"grade:{g}", g) for g in grade_list),
            Column("total", _("Graded")),
        ),
        tuple(body),
        note=_("Senate-approved results only, for offerings starting in the date range."),
        empty=_("No results approved yet."),
    )


MARK_BINS = tuple(range(0, 100, 10))


def marks(filters: Filters) -> Table:
    """Final marks of Senate-approved results in bands of ten (the last band includes 100)."""
    band = Case(
        *(When(final_mark__lt=low + 10, then=Value(low)) for low in MARK_BINS[:-1]),
        default=Value(MARK_BINS[-1]),
        output_field=IntegerField(),
    )
    rows = rows_of(
        enrolments(filters)
        .filter(status__in=FINAL, final_mark__isnull=False)
        .annotate(band=band)
        .values("band")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {r["band"]: r["n"] for r in rows}
    body = tuple((f"{low}-{low + 9 if low < 90 else 100}", counts.get(low, 0)) for low in MARK_BINS)
    return Table(
        "marks",
        _("Final marks"),
        (Column("band", _("Final mark"), numeric=False), Column("learners", _("Learners"))),
        body,
        note=_("Senate-approved final marks, in bands of ten."),
    )


def learners(filters: Filters) -> Table:
    """Who enrols, per PTj: Malaysian (NRIC) or international (passport) learners (R-EN-2), and
    UNIMAS students (with a student ID) or the public."""
    profile = "learner__learner_profile__"
    rows = rows_of(
        enrolments(filters)
        .values("offering__ptj__code")
        .annotate(
            enrolments=Count("id"),
            local=Count("id", filter=Q(**{f"{profile}identity_kind": IdentityKind.NRIC})),
            international=Count("id", filter=Q(**{f"{profile}identity_kind": IdentityKind.PASSPORT})),
            internal=Count("id", filter=Q(**{f"{profile}student_id__gt": ""})),
            public=Count("id", filter=Q(**{f"{profile}student_id": ""})),
        )
        .order_by("offering__ptj__code")
    )
    keys = ("enrolments", "local", "international", "internal", "public")
    body = tuple((r["offering__ptj__code"], *(r[k] for k in keys)) for r in rows)
    return Table(
        "learners",
        _("Who enrols"),
        (
            Column("ptj", _("PTj"), numeric=False),
            Column("enrolments", _("Enrolments")),
            Column("local", _("Malaysian")),
            Column("international", _("International")),
            Column("internal", _("UNIMAS students")),
            Column("public", _("Public learners")),
        ),
        body,
        note=_(
            "Malaysian: enrolled with an NRIC; international: with a passport (R-EN-2). UNIMAS students "
            "gave a student ID; public learners did not."
        ),
        empty=_("No enrolment in the date range."),
        footer=(_("All PTjs"), *(sum(r[k] for r in rows) for k in keys)) if rows else None,
    )


def per_month(filters: Filters) -> Table:
    """New enrolments per calendar month, with empty months shown as 0."""
    rows = rows_of(
        enrolments(filters)
        .annotate(month=TruncMonth("enrolled_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    counts = {r["month"].date() if hasattr(r["month"], "date") else r["month"]: r["n"] for r in rows}
    months = months_between(min(counts), max(counts)) if counts else []
    return Table(
        "per-month",
        _("Enrolments per month"),
        (Column("month", _("Month"), numeric=False), Column("enrolments", _("Enrolments"))),
        tuple((m.strftime("%Y-%m"), counts.get(m, 0)) for m in months),
        note=_("When learners enrolled, for offerings starting in the date range."),
        empty=_("No enrolment in the date range."),
    )

"""Learner experience (R-RS-3, R-QA-2): the course survey per course and per instructor, the
spread of overall ratings, and free-text comments for the people allowed to read them
(docs/decisions/0060). The date range picks offerings by their start date. Learners are never
named: a comment shows its course, intake and date only."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolment.choices import EnrolmentStatus
from enrolment.models import CourseSurvey, Enrolment, Offering
from reports.policies import Filters, Scope, average, percent
from reports.selectors._common import NOTHING, day_range_q, ptj_scope_q, rows_of
from reports.tables import Column, Table

RATINGS = (
    ("content_rating", _("Content useful")),
    ("instructor_rating", _("Instructor feedback")),
    ("platform_rating", _("Platform easy")),
    ("overall_rating", _("Overall")),
)
LEFT = (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DEFERRED)
COMMENTS_SHOWN = 200  # the newest; narrow by course or dates for older ones


def _narrow(queryset: QuerySet[Any], filters: Filters, offering: str) -> QuerySet[Any]:
    queryset = queryset.filter(
        ptj_scope_q(filters, f"{offering}__ptj_id", offering_field=offering),
        day_range_q(f"{offering}__starts_on", filters),
    )
    if filters.course_id is not None:
        queryset = queryset.filter(**{f"{offering}__proposal_id": filters.course_id})
    return queryset


def surveys(filters: Filters) -> QuerySet[CourseSurvey]:
    return _narrow(CourseSurvey.objects.all(), filters, "enrolment__offering")


def _averages(prefix: str) -> dict[str, Avg]:
    return {name: Avg(f"{prefix}{name}") for name, _ in RATINGS}


RATING_COLUMNS = tuple(Column(name, label) for name, label in RATINGS)


def by_course(filters: Filters) -> Table:
    """Per course: learners who stayed (not withdrawn or deferred), responses, the response rate
    and the average of each question (1 to 5)."""
    rows = rows_of(
        _narrow(Enrolment.objects.all(), filters, "offering")
        .values("offering__proposal_id")
        .annotate(
            course_code=Min("offering__course_code"),
            course_title=Min("offering__course_title"),
            stayed=Count("id", filter=~Q(status__in=LEFT)),
            responses=Count("survey"),
            **_averages("survey__"),
        )
        .order_by()
    )
    rows.sort(key=lambda r: (r["course_code"], r["offering__proposal_id"]))  # a row per course
    body = tuple(
        (
            r["course_code"],
            r["course_title"],
            r["stayed"],
            r["responses"],
            percent(r["responses"], r["stayed"]),
            *(average(r[name]) for name, _ in RATINGS),
        )
        for r in rows
    )
    return Table(
        "by-course",
        _("Survey results by course"),
        (
            Column("code", _("Code"), numeric=False),
            Column("title", _("Title"), numeric=False),
            Column("learners", _("Learners")),
            Column("responses", _("Responses")),
            Column("rate", _("Response rate %")),
            *RATING_COLUMNS,
        ),
        body,
        note=_(
            "Average answers from 1 (disagree) to 5 (agree). Learners: enrolled, not withdrawn or deferred "
            "(R-RS-3: the survey opens after the final assessment)."
        ),
        empty=_("No offering starts in the date range."),
    )


def by_instructor(filters: Filters) -> Table:
    """Per instructor of the offerings the answers are about (an offering with two instructors
    counts for both)."""
    rows = rows_of(
        surveys(filters)
        .filter(enrolment__offering__instructors__isnull=False)
        .values("enrolment__offering__instructors", "enrolment__offering__instructors__full_name")
        .annotate(
            offerings=Count("enrolment__offering", distinct=True),
            responses=Count("id"),
            **_averages(""),
        )
        .order_by("enrolment__offering__instructors__full_name", "enrolment__offering__instructors")
    )
    body = tuple(
        (
            r["enrolment__offering__instructors__full_name"],
            r["offerings"],
            r["responses"],
            *(average(r[name]) for name, _ in RATINGS),
        )
        for r in rows
    )
    return Table(
        "by-instructor",
        _("Survey results by instructor"),
        (
            Column("instructor", _("Instructor"), numeric=False),
            Column("offerings", _("Offerings")),
            Column("responses", _("Responses")),
            *RATING_COLUMNS,
        ),
        body,
        note=_("Average answers from 1 to 5, over the offerings each instructor taught."),
        empty=_("No survey answers yet."),
    )


def overall(filters: Filters) -> Table:
    rows = rows_of(surveys(filters).values("overall_rating").annotate(n=Count("id")).order_by())
    counts = {r["overall_rating"]: r["n"] for r in rows}
    return Table(
        "overall",
        _("Overall rating"),
        (Column("rating", _("Answer"), numeric=False), Column("responses", _("Responses"))),
        tuple((str(score), counts.get(score, 0)) for score in range(1, 6)),
        note=_("“Overall, I would recommend this course”, from 1 (disagree) to 5 (agree)."),
    )


def comments_q(scope: Scope) -> Q:
    """The answers whose comments this viewer may read: CFLEX administrators all; a Dean their
    PTj's; an instructor those about offerings they teach."""
    if scope.comments_everywhere:
        return Q()
    q = NOTHING
    if scope.comment_ptj_ids:
        q |= Q(enrolment__offering__ptj_id__in=sorted(scope.comment_ptj_ids))
    if scope.teacher_id is not None:
        q |= Q(enrolment__offering_id__in=Offering.objects.filter(instructors=scope.teacher_id).values("pk"))
    return q


def comments(filters: Filters, scope: Scope) -> Table:
    rows = (
        surveys(filters)
        .filter(comments_q(scope))
        .exclude(comment="")
        .order_by("-submitted_at", "-pk")
        .values_list(
            "enrolment__offering__course_code",
            "enrolment__offering__session",
            "submitted_at",
            "overall_rating",
            "comment",
        )
    )
    return Table(
        "comments",
        _("Comments"),
        (
            # The comment right after the course, so a phone shows it without scrolling sideways.
            Column("code", _("Course"), numeric=False),
            Column("comment", _("What should we improve?"), numeric=False),
            Column("overall", _("Overall")),
            Column("session", _("Intake"), numeric=False),
            Column("date", _("Answered on"), numeric=False),
        ),
        tuple(
            (code, text, score, session, timezone.localdate(when))
            for code, session, when, score, text in rows[:COMMENTS_SHOWN]
        ),
        note=_(
            "The newest 200 comments you may read: CFLEX administrators read all, the Dean of the course's "
            "PTj and the offering's instructors read theirs. Learners are not named."
        ),
        empty=_("No comments."),
    )

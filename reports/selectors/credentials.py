"""Credentials (R-CR-1, R-CR-5, R-QA-1): issued, suspended and revoked per PTj and course,
issued per month, and public verifications per month. A credential records its offering, so the
viewer's PTjs and the course chosen reach it through the offerings; the date range picks
credentials by the day they were issued. Verifications are counted per month and channel without
any personal data or any record of which credential was checked, so only viewers who see the
whole university see them. One query per table."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from credentials.models import Credential, CredentialStatus, VerificationHit
from enrolment.models import Offering
from reports.policies import Filters, months_between
from reports.selectors._common import day_range_q, ptj_scope_q, rows_of, time_range_q
from reports.tables import Column, Table

STATUSES = (CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED, CredentialStatus.REVOKED)


def credentials(filters: Filters) -> QuerySet[Credential]:
    queryset = Credential.objects.filter(time_range_q("issued_at", filters))
    offerings = Offering.objects.filter(ptj_scope_q(filters))
    if filters.course_id is not None:
        offerings = offerings.filter(proposal_id=filters.course_id)
    if not filters.everything or filters.chosen_ptj is not None or filters.course_id is not None:
        queryset = queryset.filter(offering_id__in=offerings.values("pk"))
    return queryset


def _counts() -> dict[str, Count]:
    return {
        "issued": Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in STATUSES},
    }


COLUMNS = (
    Column("issued", _("Issued")),
    Column(CredentialStatus.ACTIVE, _("Valid")),
    Column(CredentialStatus.SUSPENDED, _("Suspended")),
    Column(CredentialStatus.REVOKED, _("Revoked")),
)
KEYS = ("issued", *STATUSES)


def _per_offering(filters: Filters, **status: str) -> Sum:
    """The credentials of each offering (in the date range), summed over a group of offerings: a
    credential records its offering's id only, so the PTj is reached from the offering's side."""
    counted = (
        Credential.objects.filter(time_range_q("issued_at", filters), offering_id=OuterRef("pk"), **status)
        .order_by()
        .values("offering_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Sum(Subquery(counted, output_field=IntegerField()))


def by_ptj(filters: Filters) -> Table:
    offerings = Offering.objects.filter(ptj_scope_q(filters))
    if filters.course_id is not None:
        offerings = offerings.filter(proposal_id=filters.course_id)
    rows = rows_of(
        offerings.values("ptj__code")
        .annotate(
            issued=_per_offering(filters),
            **{status: _per_offering(filters, status=status) for status in STATUSES},
        )
        .filter(issued__gt=0)
        .order_by("ptj__code")
    )
    for row in rows:
        row.update({k: row[k] or 0 for k in STATUSES})
    return Table(
        "by-ptj",
        _("Credentials by PTj"),
        (Column("ptj", _("PTj"), numeric=False), *COLUMNS),
        tuple((r["ptj__code"], *(r[k] for k in KEYS)) for r in rows),
        note=_(
            "Credentials issued in the date range and their status now (R-CR-5). A re-issued credential "
            "counts once per issue."
        ),
        empty=_("No credential issued in the date range."),
        footer=(_("All PTjs"), *(sum(r[k] for r in rows) for k in KEYS)) if rows else None,
    )


def by_course(filters: Filters) -> Table:
    rows = rows_of(
        credentials(filters).values("course_code", "course_title").annotate(**_counts()).order_by("course_code")
    )
    return Table(
        "by-course",
        _("Credentials by course"),
        (Column("code", _("Code"), numeric=False), Column("title", _("Title"), numeric=False), *COLUMNS),
        tuple((r["course_code"], r["course_title"], *(r[k] for k in KEYS)) for r in rows),
        empty=_("No credential issued in the date range."),
        footer=(_("All courses"), None, *(sum(r[k] for r in rows) for k in KEYS)) if rows else None,
    )


def _month_key(value: datetime | date) -> date:
    """TruncMonth of a datetime gives a datetime; the months are compared as dates."""
    return value.date() if isinstance(value, datetime) else value


def issued_per_month(filters: Filters) -> Table:
    rows = rows_of(
        credentials(filters)
        .annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    counts = {_month_key(r["month"]): r["n"] for r in rows}
    months = months_between(min(counts), max(counts)) if counts else []
    return Table(
        "issued-per-month",
        _("Credentials issued per month"),
        (Column("month", _("Month"), numeric=False), Column("issued", _("Issued"))),
        tuple((m.strftime("%Y-%m"), counts.get(m, 0)) for m in months),
        empty=_("No credential issued in the date range."),
    )


def verifications(filters: Filters) -> Table:
    """Public verification page views, credential JSON requests and uploaded-file checks per
    month (university-wide counters)."""
    channels = [c for c, _ in VerificationHit.Channel.choices]
    rows = rows_of(
        VerificationHit.objects.filter(day_range_q("month", filters))
        .values("month")
        .annotate(**{c: Sum("count", filter=Q(channel=c)) for c in channels})
        .order_by("month")
    )
    counts = {r["month"]: r for r in rows}
    months = months_between(min(counts), max(counts)) if counts else []
    body = []
    for month in months:
        cells = [(counts.get(month) or {}).get(c) or 0 for c in channels]
        body.append((month.strftime("%Y-%m"), *cells, sum(cells)))
    return Table(
        "verifications",
        _("Verifications per month"),
        (
            Column("month", _("Month"), numeric=False),
            *(Column(c, label) for c, label in VerificationHit.Channel.choices),
            Column("total", _("Total")),
        ),
        tuple(body),
        note=_(
            "Every public check of a credential, counted per month without recording who checked or which "
            "credential (university-wide)."
        ),
        empty=_("No verification in the date range."),
    )

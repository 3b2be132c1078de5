"""Credit transfer and APEL (R-CT-1..6, R-QA-1): applications and their outcome per PTj and
programme, approval rates, and credits transferred by rule. The viewer's PTjs are the
programmes' PTjs; the course chosen narrows to applications claiming that micro-credential; the
date range picks applications by the day they were submitted. One query per table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from policy.api import policy_numbers_in_force
from reports.policies import Filters, months_between, percent
from reports.selectors._common import ptj_scope_q, rows_of, time_range_q
from reports.tables import Column, Table
from transfer.choices import OPEN_STATUSES, ApplicationStatus, CredentialKind
from transfer.models import Application, ApplicationLine

S = ApplicationStatus
DECIDED = (S.APPROVED, S.REJECTED, S.NOT_SUPPORTED)
# Which rule of the guideline caps each kind of prior credential, and the policy field holding its cap.
RULES: dict[str, tuple[Any, str]] = {
    CredentialKind.CAT1: (_("R-CT-1: Category 1 micro-credential of UNIMAS (up to %(pct)s%%)"), "ct_category1_max_pct"),
    CredentialKind.SAMC: (_("R-CT-2: stand-alone, via APEL.C (up to %(pct)s%%)"), "ct_samc_apelc_max_pct"),
    CredentialKind.SAMC_QVC: (_("R-CT-3: QVC-verified stand-alone (up to %(pct)s%%)"), "ct_samc_all_max_pct"),
    CredentialKind.CAT2: (_("R-CT-4: Category 2, another institution (up to %(pct)s%%)"), "ct_outside_max_pct"),
}


def rule_label(kind: str, numbers: Mapping[str, Any]) -> str:
    """The rule capping a kind of credential, with its cap read from the policy's numbers."""
    text, pct_field = RULES[kind]
    return str(text) % {"pct": numbers[pct_field]}


def applications(filters: Filters) -> QuerySet[Application]:
    queryset = Application.objects.filter(ptj_scope_q(filters), time_range_q("submitted_at", filters))
    if filters.course_code:
        queryset = queryset.filter(
            pk__in=ApplicationLine.objects.filter(credential__code__iexact=filters.course_code).values("application_id")
        )
    return queryset


def _counts() -> dict[str, Count | Sum]:
    return {
        "total": Count("id"),
        "open": Count("id", filter=Q(status__in=sorted(OPEN_STATUSES))),
        **{s: Count("id", filter=Q(status=s)) for s in (*DECIDED, S.WITHDRAWN)},
        "credits": Sum("credits_transferred", filter=Q(status=S.APPROVED)),
    }


COLUMNS = (
    Column("total", _("Applications")),
    Column("open", _("Under review")),
    Column(S.APPROVED, _("Approved")),
    Column(S.REJECTED, _("Rejected")),
    Column(S.NOT_SUPPORTED, _("Not supported")),
    Column(S.WITHDRAWN, _("Withdrawn")),
    Column("rate", _("Approval rate %")),
    Column("credits", _("Credits transferred")),
)
NOTE = _(
    "Applications submitted in the date range. Approval rate: approved of those decided (approved, rejected "
    "by the Dean or not supported by the coordinator, R-CT-6)."
)


def _cells(row: dict[str, object]) -> tuple[object, ...]:
    decided = sum(int(row[s]) for s in DECIDED)  # type: ignore[call-overload]
    return (
        row["total"],
        row["open"],
        *(row[s] for s in (*DECIDED, S.WITHDRAWN)),
        percent(int(row[S.APPROVED]), decided),  # type: ignore[call-overload]
        row["credits"] or 0,
    )


def _footer(rows: list[dict[str, object]], *label: object) -> tuple[object, ...] | None:
    if not rows:
        return None
    keys = ("total", "open", *DECIDED, S.WITHDRAWN, "credits")
    return (*label, *_cells({k: sum(int(r[k] or 0) for r in rows) for k in keys}))  # type: ignore[call-overload]


def by_ptj(filters: Filters) -> Table:
    rows = rows_of(applications(filters).values("ptj__code").annotate(**_counts()).order_by("ptj__code"))
    return Table(
        "by-ptj",
        _("Applications by PTj"),
        (Column("ptj", _("PTj"), numeric=False), *COLUMNS),
        tuple((r["ptj__code"], *_cells(r)) for r in rows),
        note=NOTE,
        empty=_("No application in the date range."),
        footer=_footer(rows, _("All PTjs")),
    )


def by_programme(filters: Filters) -> Table:
    rows = rows_of(
        applications(filters)
        .values("programme__code", "programme__name")
        .annotate(**_counts())
        .order_by("programme__code")
    )
    return Table(
        "by-programme",
        _("Applications by programme"),
        (Column("code", _("Programme"), numeric=False), Column("name", _("Name"), numeric=False), *COLUMNS),
        tuple((r["programme__code"], r["programme__name"], *_cells(r)) for r in rows),
        note=NOTE,
        empty=_("No application in the date range."),
        footer=_footer(rows, _("All programmes"), None),
    )


def by_rule(filters: Filters) -> Table:
    """Claims in approved applications, and the credits they counted for, by the rule that caps
    each kind of prior credential."""
    rows = rows_of(
        ApplicationLine.objects.filter(application__in=applications(filters).filter(status=S.APPROVED))
        .values("credential__kind")
        .annotate(
            claims=Count("id"), counted=Count("id", filter=Q(counted_credits__gt=0)), credits=Sum("counted_credits")
        )
        .order_by()
    )
    found = {r["credential__kind"]: r for r in rows}
    numbers = policy_numbers_in_force(*(field for _text, field in RULES.values())) if found else {}
    body = tuple(
        (rule_label(kind, numbers), found[kind]["claims"], found[kind]["counted"], found[kind]["credits"] or 0)
        for kind in RULES
        if kind in found
    )
    return Table(
        "by-rule",
        _("Credits transferred by rule"),
        (
            Column("rule", _("Rule"), numeric=False),
            Column("claims", _("Claims approved")),
            Column("counted", _("Claims that counted")),
            Column("credits", _("Credits")),
        ),
        body,
        note=_(
            "Claims in approved applications (R-CT-1..5): a claim may count for fewer credits, or none, under a cap."
        ),
        empty=_("No approved application in the date range."),
        footer=(_("All rules"), *(sum(int(r[i]) for r in body) for i in (1, 2, 3))) if body else None,
    )


def per_month(filters: Filters) -> Table:
    rows = rows_of(
        applications(filters)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    counts = {r["month"].date() if hasattr(r["month"], "date") else r["month"]: r["n"] for r in rows}
    months = months_between(min(counts), max(counts)) if counts else []
    return Table(
        "per-month",
        _("Applications per month"),
        (Column("month", _("Month"), numeric=False), Column("applications", _("Applications"))),
        tuple((m.strftime("%Y-%m"), counts.get(m, 0)) for m in months),
        empty=_("No application in the date range."),
    )

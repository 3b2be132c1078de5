"""The approval pipeline (R-QA-2, R-WF-1..5): proposals by step and PTj, time spent in each step
against Table 3's suggested durations (R-WF-4), overdue items, days from submission to Senate
approval, and returns for revision by step (R-WF-3). Time in a step comes from the audit trail:
every transition is one ``AuditEvent`` with its from- and to-state and time (R-WF-5). One query
per table."""

from __future__ import annotations

from datetime import timedelta
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from courses.api import PIPELINE, overdue_q
from courses.choices import ProposalStatus
from courses.models import Proposal
from policy.data import WorkflowPlan
from reports.policies import Filters, days, median, ordered
from reports.selectors._common import NOTHING, ptj_scope_q, rows_of, time_range_q
from reports.tables import Column, Table

# The steps a proposal waits in (a draft is its developer's own; ready to offer is the end).
STEPS: tuple[str, ...] = tuple(s for s in PIPELINE if s not in (ProposalStatus.DRAFT, ProposalStatus.READY_TO_OFFER))


def _label(state: str) -> str:
    return str(ProposalStatus(state).label) if state in ProposalStatus.values else state


def proposals(filters: Filters) -> QuerySet[Proposal]:
    """The viewer's proposals, narrowed to the PTj and course chosen (no date: each table says
    which date it filters on)."""
    queryset = Proposal.objects.filter(ptj_scope_q(filters))
    if filters.course_id is not None:
        queryset = queryset.filter(pk=filters.course_id)
    return queryset


def events(filters: Filters) -> QuerySet[AuditEvent]:
    """The audit events of those proposals' state changes (self-loops such as a milestone marked
    done are not state changes)."""
    queryset = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), action__startswith="proposal."
    ).exclude(from_state=F("to_state"))
    if not filters.everything or filters.chosen_ptj is not None or filters.course_id is not None:
        scoped = proposals(filters).annotate(key=Cast("pk", CharField())).values("key")
        queryset = queryset.filter(object_id__in=scoped)
    return queryset


def by_state(filters: Filters) -> Table:
    """How many proposals, created in the date range, are in each step, per PTj."""
    rows = rows_of(
        proposals(filters)
        .filter(time_range_q("created_at", filters))
        .values("status", "ptj__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(r["status"], r["ptj__code"]): r["n"] for r in rows}
    ptjs = sorted({ptj for _, ptj in counts})
    columns = (
        Column("step", _("Step"), numeric=False),
        *(Column(f"ptj:{code}", code) for code in ptjs),
        Column("total", _("Total")),
    )
    body = []
    for state in PIPELINE:
        cells = [counts.get((state, code), 0) for code in ptjs]
        body.append((_label(state), *cells, sum(cells)))
    footer = (_("All steps"), *(sum(r[i + 1] for r in body) for i in range(len(ptjs) + 1)))
    return Table(
        "by-state",
        _("Proposals by step and PTj"),
        columns,
        tuple(body),
        note=_("Proposals created in the date range, by the step they are in now."),
        footer=footer,
    )


def _entered_at() -> Subquery:
    """When the proposal entered the step an event leaves: the latest earlier state change into it."""
    earlier = (
        AuditEvent.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            object_id=OuterRef("object_id"),
            to_state=OuterRef("from_state"),
        )
        .exclude(from_state=F("to_state"))
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Subquery(earlier)


def _over_q(plan: WorkflowPlan) -> Q:
    return reduce(
        or_,
        (Q(from_state=state, stay__gt=timedelta(days=limit)) for state, limit in plan.suggested_days.items()),
        NOTHING,
    )


def time_in_step(filters: Filters, plan: WorkflowPlan) -> Table:
    """Completed stays in each step (left during the date range) against Table 3's suggested
    duration, and the proposals in each step now (created in the range) and overdue."""
    stays = rows_of(
        events(filters)
        .filter(time_range_q("created_at", filters))
        .exclude(from_state__in=["", ProposalStatus.DRAFT])
        .annotate(entered=_entered_at())
        .annotate(stay=ExpressionWrapper(F("created_at") - F("entered"), output_field=DurationField()))
        .values("from_state")
        .annotate(
            n=Count("entered"), mean=Avg("stay"), longest=Max("stay"), over=Count("entered", filter=_over_q(plan))
        )
        .order_by()
    )
    left = {r["from_state"]: r for r in stays}
    now = rows_of(
        proposals(filters)
        .filter(time_range_q("created_at", filters))
        .values("status")
        .annotate(n=Count("id"), overdue=Count("id", filter=overdue_q(plan)))
        .order_by()
    )
    current = {r["status"]: r for r in now}
    columns = (
        Column("step", _("Step"), numeric=False),
        Column("suggested", _("Suggested days (Table 3)")),
        Column("stays", _("Completed stays")),
        Column("mean", _("Average days")),
        Column("longest", _("Longest days")),
        Column("over", _("Stays over suggested")),
        Column("now", _("In this step now")),
        Column("overdue", _("Overdue now")),
    )
    body = []
    for state in STEPS:
        done, here = left.get(state, {}), current.get(state, {})
        body.append(
            (
                _label(state),
                plan.suggested_days.get(state),
                done.get("n", 0),
                _days(done.get("mean")),
                _days(done.get("longest")),
                done.get("over", 0),
                here.get("n", 0),
                here.get("overdue", 0),
            )
        )
    return Table(
        "time-in-step",
        _("Time in each step"),
        columns,
        tuple(body),
        note=_(
            "A stay is the time from entering a step to leaving it, from the audit trail; stays ending "
            "in the date range count. Suggested durations are Table 3 of the policy in force (R-WF-4)."
        ),
    )


def _seconds(value: object) -> float:
    """A duration from the database: a timedelta, or (SQLite, for an average) microseconds."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # type: ignore[arg-type]


def _days(value: object) -> object:
    return None if value is None else days(_seconds(value))


def overdue(filters: Filters, plan: WorkflowPlan) -> Table:
    """Every proposal past its step's suggested duration now, longest waiting first."""
    now = timezone.now()
    rows = (
        proposals(filters)
        .filter(time_range_q("created_at", filters))
        .filter(overdue_q(plan, now))
        .order_by("state_entered_at", "pk")
        .values_list("code", "title", "ptj__code", "status", "state_entered_at")
    )
    body = tuple(
        (code, title, ptj, _label(status), (now - since).days, plan.suggested_days.get(status))
        for code, title, ptj, status, since in rows
    )
    return Table(
        "overdue",
        _("Overdue now"),
        (
            Column("code", _("Code"), numeric=False),
            Column("title", _("Title"), numeric=False),
            Column("ptj", _("PTj"), numeric=False),
            Column("step", _("Step"), numeric=False),
            Column("days", _("Days in step")),
            Column("suggested", _("Suggested days")),
        ),
        body,
        note=_("Proposals (created in the date range) past their step's suggested duration today."),
        empty=_("Nothing is overdue."),
    )


def returns(filters: Filters) -> Table:
    """Returns for revision in the date range, by the step that returned the proposal (R-WF-3)."""
    rows = rows_of(
        events(filters)
        .filter(time_range_q("created_at", filters), to_state=ProposalStatus.RETURNED)
        .values("from_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {r["from_state"]: r["n"] for r in rows}
    body = tuple((_label(s), counts[s]) for s in ordered(counts, PIPELINE))
    return Table(
        "returns",
        _("Returned for revision, by step"),
        (Column("step", _("Returned from"), numeric=False), Column("returns", _("Returns"))),
        body,
        note=_("Each return in the date range, by the step whose reviewer returned it."),
        empty=_("No proposal was returned."),
        footer=(_("All steps"), sum(counts.values())) if counts else None,
    )


def _first_event(**conditions: object) -> Subquery:
    return Subquery(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Proposal),
            object_id=Cast(OuterRef("pk"), CharField()),
            **conditions,
        )
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )


def to_senate(filters: Filters) -> Table:
    """Days from first submission to Senate approval, for proposals Senate approved in the date
    range: how many, the median, the average, the fastest and the slowest."""
    spans = list(
        proposals(filters)
        .annotate(
            submitted=_first_event(action="proposal.submit"),
            senate=_first_event(to_state=ProposalStatus.SENATE_APPROVED),
        )
        .filter(senate__isnull=False, submitted__isnull=False)
        .filter(time_range_q("senate", filters))
        .annotate(span=ExpressionWrapper(F("senate") - F("submitted"), output_field=DurationField()))
        .values_list("span", flat=True)
    )
    seconds = [_seconds(s) for s in spans]
    body = (
        (
            len(seconds),
            days(median(seconds)),
            days(sum(seconds) / len(seconds)) if seconds else None,
            days(min(seconds)) if seconds else None,
            days(max(seconds)) if seconds else None,
        ),
    )
    return Table(
        "to-senate",
        _("From submission to Senate approval"),
        (
            Column("approved", _("Approved by Senate")),
            Column("median", _("Median days")),
            Column("mean", _("Average days")),
            Column("fastest", _("Fastest (days)")),
            Column("slowest", _("Slowest (days)")),
        ),
        body,
        note=_("Proposals Senate approved in the date range, from their first submission."),
    )

"""Reads of the workflow: queues built from the transition table, the pipeline board, the history
(comment thread) and the diff a reviewer sees. Queues cost a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.rules import active_roles, committees_for, ptj_ids_for
from audit.models import AuditEvent
from courses.choices import ACCREDITED_KINDS, STANDALONE_KINDS, MeetingBody, ProposalStatus, RegistrationKind
from courses.models import AgendaItem, Proposal, ProposalVersion, Registration
from courses.policies.workflow import (
    PIPELINE,
    TABLE,
    Actor,
    Change,
    Facts,
    Guard,
    Transition,
    days_between,
    is_overdue,
    progress_of,
    version_diff,
    waits_in_queue,
)
from policy.api import workflow_plan
from policy.data import WorkflowPlan

_NOTHING = Q(pk__in=[])


def _authored_q(user: Any) -> Q:
    return Q(pk__in=Proposal.objects.filter(Q(created_by=user) | Q(co_developers=user)).values("pk"))


def _held(user: Any) -> set[str]:
    return {role for role, _, _ in active_roles(user)}


def actor_scope_q(user: Any, actor: str) -> Q | None:
    """The proposals on which ``user`` is ``actor`` (courses.rules.ACTOR_PREDICATES, in SQL), or
    None when the user is that actor nowhere."""
    held = _held(user)
    scope: Q | None = None
    if actor == Actor.DEVELOPER and Role.COURSE_DEVELOPER in held:
        return _authored_q(user)
    if actor == Actor.HEAD_OF_PTJ:
        mqa = ptj_ids_for(user, [Role.HEAD_OF_PTJ_MQA])
        non_mqa = ptj_ids_for(user, [Role.HEAD_OF_PTJ_NON_MQA])
        if mqa or non_mqa:
            scope = Q(kind__in=sorted(ACCREDITED_KINDS), ptj_id__in=mqa) | Q(
                kind__in=sorted(STANDALONE_KINDS), ptj_id__in=non_mqa
            )
    elif actor == Actor.CFLEX and Role.CFLEX_REVIEWER in held:
        scope = Q()
    elif actor == Actor.SME and Role.SME in held:
        scope = Q(sme=user)
    elif actor == Actor.COMMITTEE and committees_for(user):
        scope = Q(committee__in=sorted(committees_for(user)))
    elif actor == Actor.SENATE and Role.SENATE_SECRETARY in held:
        scope = Q()
    elif actor == Actor.BJKA and Role.BJKA_OFFICER in held:
        scope = Q(kind__in=sorted(ACCREDITED_KINDS))
    if scope is None:
        return None
    return scope & ~_authored_q(user)  # separation of duties


def _pending_item(body: Any) -> Exists:
    return Exists(AgendaItem.objects.filter(proposal=OuterRef("pk"), body=body, decision=""))


def _on_agenda_q() -> Q:
    return Q(status=ProposalStatus.PRESENTED, committee_on_agenda=True) | Q(
        status=ProposalStatus.COMMITTEE_APPROVED, senate_on_agenda=True
    )


def _registered(kind: str) -> Exists:
    return Exists(Registration.objects.filter(proposal=OuterRef("pk"), kind=kind))


def row_q(row: Transition) -> Q:
    """The proposals waiting on this row: in its source state with its guard met (in SQL)."""
    q = Q(status=row.source)
    if row.guard == Guard.MILESTONE_OPEN:
        q &= Q(milestone_done_at__isnull=True)
    elif row.guard == Guard.MILESTONE_DONE:
        q &= Q(milestone_done_at__isnull=False)
    elif row.guard == Guard.MQA_OPEN:
        q &= Q(kind__in=sorted(ACCREDITED_KINDS), has_mqa=False)
    elif row.guard == Guard.UNIMAS_OPEN:
        q &= Q(has_unimas=False)
    elif row.guard == Guard.ON_AGENDA:
        q &= _on_agenda_q()
    elif row.guard == Guard.NOT_ON_AGENDA:
        q &= ~_on_agenda_q()
    return q


def _annotated(queryset: QuerySet[Proposal], plan: WorkflowPlan | None = None) -> QuerySet[Proposal]:
    """The facts the guards read, and (given Table 3's ``plan``) the progress to sort by."""
    queryset = queryset.annotate(
        committee_on_agenda=Exists(
            AgendaItem.objects.filter(proposal=OuterRef("pk"), body=OuterRef("committee"), decision="")
        ),
        senate_on_agenda=_pending_item(MeetingBody.SENATE),
        has_mqa=_registered(RegistrationKind.MQA),
        has_unimas=_registered(RegistrationKind.UNIMAS),
    )
    if plan is None:
        return queryset
    return queryset.annotate(
        progress=Case(
            *(When(status=state, then=Value(pct)) for state, pct in plan.progress.items()),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def queue_rows(user: Any) -> list[Transition]:
    """The rows of the table that can put something in this user's queue."""
    return [row for row in TABLE if waits_in_queue(row) and actor_scope_q(user, row.actor) is not None]


def queue_q(user: Any) -> Q:
    parts = []
    for actor in Actor.ALL:
        scope = actor_scope_q(user, actor)
        if scope is None:
            continue
        rows = [r for r in queue_rows(user) if r.actor == actor]
        if rows:
            parts.append(scope & reduce(or_, (row_q(r) for r in rows)))
    return reduce(or_, parts) if parts else _NOTHING


def overdue_q(plan: WorkflowPlan, now: Any = None) -> Q:
    now = now or timezone.now()
    return reduce(
        or_,
        (
            Q(status=state, state_entered_at__lt=now - timedelta(days=days))
            for state, days in plan.suggested_days.items()
        ),
        _NOTHING,
    )


QUEUE_SORTS = {
    "age": ("state_entered_at", "id"),
    "-age": ("-state_entered_at", "-id"),
    "progress": ("progress", "state_entered_at", "id"),
    "-progress": ("-progress", "state_entered_at", "id"),
}


def proposal_queue(
    user: Any,
    *,
    status: str = "",
    ptj: str = "",
    overdue: bool = False,
    sort: str = "age",
    plan: WorkflowPlan | None = None,
) -> QuerySet[Proposal]:
    """The items waiting for ``user``, scoped by PTj / committee / appointment (one query)."""
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    plan = plan or workflow_plan()
    queryset = _annotated(Proposal.objects.all(), plan).filter(queue_q(user))
    if status:
        queryset = queryset.filter(status=status)
    if ptj:
        queryset = queryset.filter(ptj__code=ptj)
    if overdue:
        queryset = queryset.filter(overdue_q(plan))
    return queryset.select_related("ptj", "created_by", "sme").order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["age"]))


def queue_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    if not queue_rows(user):
        return 0
    return _annotated(Proposal.objects.all()).filter(queue_q(user)).count()


@dataclass
class BoardColumn:
    status: str
    label: str
    proposals: list[Proposal] = field(default_factory=list)


def pipeline_board() -> list[BoardColumn]:
    """Every submitted proposal by state, in R-WF-1 order (one query)."""
    columns = {s: BoardColumn(s, str(ProposalStatus(s).label)) for s in PIPELINE if s != ProposalStatus.DRAFT}
    proposals = (
        Proposal.objects.exclude(status=ProposalStatus.DRAFT)
        .select_related("ptj", "created_by", "sme")
        .order_by("state_entered_at", "id")
    )
    for proposal in proposals:
        columns[proposal.status].proposals.append(proposal)
    return list(columns.values())


def step_info(proposal: Proposal, plan: WorkflowPlan | None = None, now: Any = None) -> dict[str, Any]:
    """Progress (Table 3), days in the current step against its suggested duration, overdue.
    Pass ``plan`` (policy.api.workflow_plan) when showing many proposals: one query for all."""
    plan = plan or workflow_plan()
    now = now or timezone.now()
    return {
        "progress": progress_of(proposal.status, proposal.returned_from, plan.progress),
        "days": days_between(proposal.state_entered_at, now),
        "suggested_days": plan.suggested_days.get(proposal.status),
        "overdue": is_overdue(proposal.status, proposal.state_entered_at, now, plan.suggested_days),
    }


def proposal_facts(proposal: Proposal) -> Facts:
    """The facts the table's guards read (two queries)."""
    body = MeetingBody.SENATE if proposal.status == ProposalStatus.COMMITTEE_APPROVED else proposal.committee
    return Facts(
        status=proposal.status,
        returned_from=proposal.returned_from,
        milestone_done=proposal.milestone_done_at is not None,
        video_not_applicable=proposal.video_not_applicable,
        accredited=proposal.kind in ACCREDITED_KINDS,
        registrations=frozenset(Registration.objects.filter(proposal=proposal).values_list("kind", flat=True)),
        on_agenda=bool(body) and AgendaItem.objects.filter(proposal=proposal, body=body, decision="").exists(),
    )


def users_for_actor(actor: str, proposal: Proposal) -> list[User]:
    """Who is ``actor`` for this proposal: the people to notify that it waits for them."""
    authors = {proposal.created_by_id, *proposal.co_developers.values_list("pk", flat=True)}
    if actor == Actor.DEVELOPER:
        return list(User.objects.filter(pk__in=authors, is_active=True))
    assignments = RoleAssignment.objects.filter(revoked_at__isnull=True)
    if actor == Actor.HEAD_OF_PTJ:
        role = Role.HEAD_OF_PTJ_MQA if proposal.kind in ACCREDITED_KINDS else Role.HEAD_OF_PTJ_NON_MQA
        assignments = assignments.filter(role=role, ptj_id=proposal.ptj_id)
    elif actor == Actor.CFLEX:
        assignments = assignments.filter(role=Role.CFLEX_REVIEWER)
    elif actor == Actor.SME and proposal.sme_id is not None:
        assignments = assignments.filter(role=Role.SME, user_id=proposal.sme_id)
    elif actor == Actor.COMMITTEE:
        assignments = assignments.filter(role=Role.COMMITTEE_SECRETARY, committee=proposal.committee)
    elif actor == Actor.SENATE:
        assignments = assignments.filter(role=Role.SENATE_SECRETARY)
    elif actor == Actor.BJKA and proposal.kind in ACCREDITED_KINDS:
        assignments = assignments.filter(role=Role.BJKA_OFFICER)
    else:
        return []
    return list(User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).exclude(pk__in=authors))


# --- history, versions and the reviewer's diff (R-WF-3) ----------------------------------------


def proposal_history(proposal: Proposal) -> list[AuditEvent]:
    """Every recorded event of the proposal, oldest first: the comment thread."""
    return list(AuditEvent.objects.for_object(proposal).select_related("actor").order_by("created_at", "id"))


@dataclass(frozen=True)
class ReviewDiff:
    base: int | None  # the version compared against
    latest: int | None
    changes: list[Change]
    own_base: bool  # the base is the version this user last acted on


def reviewer_diff(user: Any, proposal: Proposal, history: list[AuditEvent]) -> ReviewDiff:
    """What changed since the version ``user`` last acted on; if they never did, since the version
    before the latest."""
    versions = {v.number: v for v in ProposalVersion.objects.filter(proposal=proposal)}
    if not versions:
        return ReviewDiff(None, None, [], False)
    latest = max(versions)
    acted = [
        e.data.get("version")
        for e in history
        if e.actor_id == user.pk and isinstance(e.data.get("version"), int) and e.action != "proposal.submit"
    ]
    own = bool(acted)
    base = acted[-1] if acted else latest - 1
    if base not in versions or base >= latest:
        return ReviewDiff(base if base in versions else None, latest, [], own)
    return ReviewDiff(base, latest, version_diff(versions[base].snapshot, versions[latest].snapshot), own)


def proposal_returned_by(proposal: Proposal) -> AuditEvent | None:
    """The latest return for revision of ``proposal`` (who returned it, from which step): a
    resubmission goes back to that reviewer (R-WF-3)."""
    return (
        AuditEvent.objects.for_object(proposal)
        .filter(action="proposal.return")
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )

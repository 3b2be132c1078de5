"""The queue SQL and the permission predicates read the same table and must agree (issue 14,
docs/decisions/0151). For every person of the table's actors and every proposal state (with each
guard both met and unmet), the proposal is in the person's queue exactly when some row of
``courses.policies.workflow.MACHINE`` from its state, with its guard met, is theirs by the
``courses.act_as_<actor>`` predicate (R-WF-2 routing, scope, separation of duties).

Proposals are written straight into each state (not walked through the services): the test is
about two reads of the same rows, and walking some fifty proposals would cost minutes.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from courses.api import committee_for
from courses.choices import MeetingBody, ProposalKind, ProposalStatus, RegistrationKind
from courses.models import AgendaItem, Meeting, Proposal, Registration
from courses.policies.workflow import MACHINE, MILESTONE_STATES, Guard, waits_in_queue
from courses.selectors.workflow import proposal_facts, proposal_queue, queue_count

S = ProposalStatus
_PRE_SME = {S.DRAFT, S.SUBMITTED, S.HEAD_APPROVED, S.RETURNED}


def _variants(status: str) -> list[dict]:
    """Each state once per value of the guards that can hold in it."""
    if status in MILESTONE_STATES[:-1]:
        return [{"milestone_done": False}, {"milestone_done": True}]
    if status in (S.PRESENTED, S.COMMITTEE_APPROVED):
        return [{"on_agenda": False}, {"on_agenda": True}]
    if status == S.SENATE_APPROVED:
        return [{"registered": kinds} for kinds in ((), (RegistrationKind.MQA,), (RegistrationKind.UNIMAS,))]
    return [{}]


def _make(people, ptj, kind: str, status: str, variant: dict) -> Proposal:
    now = timezone.now()
    proposal = Proposal.objects.create(
        ptj=ptj,
        kind=kind,
        status=status,
        title=f"{kind} {status} {variant}",
        created_by=people.developer,
        committee="" if status == S.DRAFT else committee_for(kind, None),
        sme=None if status in _PRE_SME else people.sme,
        returned_from=S.SUBMITTED if status == S.RETURNED else "",
        milestone_done_at=now if variant.get("milestone_done") else None,
    )
    if variant.get("on_agenda"):
        body = MeetingBody.SENATE if status == S.COMMITTEE_APPROVED else proposal.committee
        meeting = Meeting.objects.create(body=body, date=date(2026, 12, 1), created_by=people.cflex)
        AgendaItem.objects.create(meeting=meeting, proposal=proposal, body=body, added_by=people.cflex)
    for registration in variant.get("registered", ()):
        Registration.objects.create(proposal=proposal, kind=registration, reference="REF/1", recorded_by=people.cflex)
    return proposal


@pytest.fixture
def proposals(people, ptj):
    made = []
    for kind in (ProposalKind.CAT1_WHOLE, ProposalKind.CAT3_SAMC):
        for status in S.values:
            for variant in _variants(status):
                made.append(_make(people, ptj, kind, status, variant))
    return made


def _by_predicate(user, proposals, facts) -> set[int]:
    return {
        proposal.pk
        for proposal in proposals
        for row in MACHINE.rows_from(proposal.status)
        if waits_in_queue(row)
        and MACHINE.guard_problem(row, facts[proposal.pk]) is None
        and user.has_perm(f"courses.act_as_{row.actor}", proposal)
    }


def test_queue_sql_and_act_as_predicates_agree_for_every_actor_and_state(people, proposals):
    # DOMAIN R-WF-1, R-WF-2: the queue is exactly what the person may act on now.
    facts = {p.pk: proposal_facts(p) for p in proposals}
    covered_states = set()
    for name, user in vars(people).items():
        queued = set(proposal_queue(user).values_list("pk", flat=True))
        expected = _by_predicate(user, proposals, facts)
        assert queued == expected, (
            name,
            sorted((p.kind, p.status, p.title) for p in proposals if p.pk in queued ^ expected),
        )
        assert queue_count(user) == len(expected), name
        covered_states |= {p.status for p in proposals if p.pk in expected}
    # Every state with a non-automatic row waits in someone's queue, so the test is not vacuous.
    assert covered_states == {r.source for r in MACHINE.rows if waits_in_queue(r)}


def test_every_guard_is_met_and_unmet_somewhere(proposals):
    # The variants exercise each guard both ways, so a guard missing from the SQL would show.
    facts = {p.pk: proposal_facts(p) for p in proposals}
    outcomes: dict[str, set[bool]] = {}
    for proposal in proposals:
        for row in MACHINE.rows_from(proposal.status):
            if row.guard:
                outcomes.setdefault(row.guard, set()).add(MACHINE.guard_problem(row, facts[proposal.pk]) is None)
    guarded = {r.guard for r in MACHINE.rows if r.guard and r.guard != Guard.REGISTRATIONS_COMPLETE}
    assert {g for g, seen in outcomes.items() if seen == {True, False}} >= guarded

"""Two approvers act on one proposal at the same moment (PostgreSQL row locks): exactly one
transition and one audit event; the other is told the step was already decided."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.models import Role
from audit.models import AuditEvent
from core.errors import ApplicationError
from courses.choices import ProposalStatus
from courses.services import proposal_transition
from tests.factories import user_with_role
from tests.workflow.conftest import fresh

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvers_at_once_make_one_transition(new_proposal, walker, people, ptj):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite serialises whole writes")
    deputy = user_with_role(Role.HEAD_OF_PTJ_MQA, ptj=ptj, full_name="Deputy Dean UG")
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def approve(user) -> None:
        try:
            barrier.wait(timeout=10)
            proposal_transition(
                actor=user, proposal=fresh(proposal), action="head_approve", expected_state=ProposalStatus.SUBMITTED
            )
            outcomes[user.full_name] = "ok"
        except ApplicationError as exc:
            outcomes[user.full_name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (people.head_mqa, deputy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(str(type(o).__name__) for o in outcomes.values()) == ["ApplicationError", "str"]
    refused = next(o for o in outcomes.values() if isinstance(o, ApplicationError))
    assert refused.code == "proposal_already_decided" and "already decided" in refused.message
    assert fresh(proposal).status == ProposalStatus.HEAD_APPROVED
    assert AuditEvent.objects.for_object(proposal).filter(action="proposal.head_approve").count() == 1


def test_two_reviewers_appointing_different_smes_at_once_one_wins_the_other_gets_409(new_proposal, walker, people):
    """Issue 12: both saw ``people.sme`` appointed; each appoints another SME at the same instant.
    Exactly one appointment is made (one audit event); the other is refused with 409
    ``stale_change`` naming the winner, never silently lost."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite serialises whole writes")
    from courses.services import proposal_sme_appoint

    second_reviewer = user_with_role(Role.CFLEX_REVIEWER, full_name="Second CFLEX reviewer")
    third_sme = user_with_role(Role.SME, full_name="Third SME")
    proposal = walker.to(new_proposal(), ProposalStatus.CFLEX_APPROVED)
    assert fresh(proposal).sme_id == people.sme.pk
    events = AuditEvent.objects.for_object(proposal).filter(action="proposal.sme_appoint").count()
    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def appoint(reviewer, sme) -> None:
        try:
            barrier.wait(timeout=10)
            proposal_sme_appoint(actor=reviewer, proposal=fresh(proposal), sme=sme, expected_sme_id=people.sme.pk)
            outcomes[sme.pk] = "ok"
        except ApplicationError as exc:
            outcomes[sme.pk] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=appoint, args=(people.cflex, people.other_sme)),
        threading.Thread(target=appoint, args=(second_reviewer, third_sme)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [sme for sme, outcome in outcomes.items() if outcome == "ok"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, ApplicationError)]
    assert len(winners) == 1 and len(refused) == 1, outcomes
    assert (refused[0].code, refused[0].status) == ("stale_change", 409)
    assert refused[0].current["sme"] == winners[0]
    assert fresh(proposal).sme_id == winners[0]
    assert AuditEvent.objects.for_object(proposal).filter(action="proposal.sme_appoint").count() == events + 1

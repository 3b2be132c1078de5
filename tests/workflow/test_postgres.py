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

"""PostgreSQL only: two learners take the last seat at the same moment; exactly one gets it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from core.errors import ApplicationError
from enrolment.models import Enrolment
from enrolment.services import enrolment_create
from tests.enrolment import builders

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SQLite serialises writers)"
    ),
]


def test_two_learners_race_for_the_last_seat():
    # DOMAIN R-EN-5: capacity enforced atomically
    offer = builders.offering(builders.ready_course(), capacity=1)
    learners = [builders.learner(), builders.learner()]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def enrol(user):
        try:
            barrier.wait()
            outcomes.append(enrolment_create(actor=user, offering=offer).pk)
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(u,)) for u in learners]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(map(str, outcomes))[-1] == "offering_full"
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert Enrolment.objects.filter(offering=offer).count() == 1


def test_two_administrators_recording_a_fee_at_once_one_wins_the_other_gets_409():
    """Issue 12 (lost updates): both saw the fee pending; one records it paid, the other waived,
    at the same instant. The row lock orders them: exactly one change and one audit event; the
    other is refused with 409 ``stale_change`` showing the winner's fee, never silently lost."""
    from audit.models import AuditEvent
    from enrolment.services import enrolment_fee_record

    offer = builders.offering(builders.ready_course())
    enrolment = enrolment_create(actor=builders.learner(), offering=offer)
    admins = [builders.cflex_admin(), builders.cflex_admin()]
    choices = {admins[0].pk: ("paid", "FPX-RACE-1"), admins[1].pk: ("waived", "")}
    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def record(admin):
        try:
            barrier.wait(timeout=10)
            status, reference = choices[admin.pk]
            enrolment_fee_record(
                actor=admin,
                enrolment=Enrolment.objects.get(pk=enrolment.pk),
                fee_status=status,
                reference=reference,
                expected_fee_status="pending",
            )
            outcomes[admin.pk] = "ok"
        except ApplicationError as exc:
            outcomes[admin.pk] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(a,)) for a in admins]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    winners = [pk for pk, outcome in outcomes.items() if outcome == "ok"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, ApplicationError)]
    assert len(winners) == 1 and len(refused) == 1, outcomes
    assert (refused[0].code, refused[0].status) == ("stale_change", 409)
    won_status, won_reference = choices[winners[0]]
    assert refused[0].current == {"fee_status": won_status, "reference": won_reference}
    enrolment.refresh_from_db()
    assert (enrolment.fee_status, enrolment.fee_reference) == (won_status, won_reference)
    assert AuditEvent.objects.filter(action="enrolment.fee", object_id=str(enrolment.pk)).count() == 1

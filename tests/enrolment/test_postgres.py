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

"""Two Deans decide one application at the same moment, and a learner submits twice at once
(PostgreSQL row locks): one decision, one audit event, one application."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.models import Role
from audit.models import AuditEvent
from core.errors import ApplicationError
from tests.factories import user_with_role
from tests.transfer import builders
from transfer.models import Application
from transfer.services import Claim, application_evidence_decide, application_submit, application_transition

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(call())
        except ApplicationError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def pg_world(transactional_db, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite serialises whole writes")
    settings.MEDIA_ROOT = tmp_path / "media"
    return builders.world()


def test_two_deans_at_once_make_one_decision(pg_world):
    world = pg_world
    credential = builders.outside(world.learner, "CSC3013")
    application = application_submit(
        actor=world.learner, programme_id=world.programme.pk, claims=[Claim(credential.ref, "TMN3013")]
    )
    line = application.lines.get()
    application_evidence_decide(actor=world.coordinator, application=application, line_id=line.pk, accept=True)
    application_transition(actor=world.coordinator, application=application, action="support")
    deputy = user_with_role(Role.DEAN, ptj=world.ptj, full_name="Deputy Dean")
    outcomes = _race(
        lambda: application_transition(
            actor=world.dean,
            application=Application.objects.get(pk=application.pk),
            action="approve",
            expected_state="dean_review",
        ),
        lambda: application_transition(
            actor=deputy,
            application=Application.objects.get(pk=application.pk),
            action="reject",
            comment="Too old",
            expected_state="dean_review",
        ),
    )
    refused = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(refused) == 1 and refused[0].code == "application_already_decided"
    decided = AuditEvent.objects.for_object(application).filter(action__in=["transfer.approve", "transfer.reject"])
    assert decided.count() == 1


def test_one_learner_submitting_twice_at_once_gets_one_application(pg_world):
    world = pg_world
    credential = builders.outside(world.learner, "CSC3013")

    def submit():
        return application_submit(
            actor=world.learner, programme_id=world.programme.pk, claims=[Claim(credential.ref, "TMN3013")]
        )

    outcomes = _race(submit, submit)
    assert sum(isinstance(o, Application) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, ApplicationError)] == ["application_open_exists"]
    assert Application.objects.count() == 1

"""The credit-transfer queue SQL (``transfer.selectors.application_queue``) and the
``transfer.act_as_<actor>`` predicates read the same table, ``transfer.policies.workflow.MACHINE``,
and must agree (issue 14, docs/decisions/0151): for every reviewer, every state and an application
with and without stand-alone claims, the application waits in the person's queue exactly when a
row from its state is theirs. Applications are submitted through the service and then put in each
state directly: the test is about two reads of the same rows."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.enrolment import builders as enrol
from tests.factories import user_with_role
from tests.transfer import builders
from transfer.choices import ApplicationStatus
from transfer.models import Application
from transfer.policies.workflow import MACHINE, states_for_actor
from transfer.selectors import application_queue
from transfer.services import Claim, application_submit

pytestmark = pytest.mark.django_db


def _apply(world, learner, *claims) -> Application:
    return application_submit(
        actor=learner, programme_id=world.programme.pk, claims=[Claim(c.ref, course) for c, course in claims]
    )


def test_queue_sql_and_act_as_predicates_agree_for_every_actor_and_state(world, other_ptj):
    # DOMAIN R-CT-6: APEL.C first for stand-alone MCs, then the programme's coordinator, then the Dean.
    second = enrol.learner(full_name="Siti Aminah Binti Yusof", nric="910202-13-5002")
    plain = _apply(world, world.learner, (builders.outside(world.learner, "CSC3013"), "TMN3013"))
    standalone = _apply(world, second, (builders.outside(second, "MC901", kind="samc", provider="Coursera"), "TMN3013"))
    people = {
        "apelc": world.apelc,
        "coordinator": world.coordinator,
        "dean": world.dean,
        "admin": world.admin,
        "learner": world.learner,
        "coordinator_not_named": user_with_role(Role.PROGRAMME_COORDINATOR, ptj=world.ptj),
        "coordinator_elsewhere": user_with_role(Role.PROGRAMME_COORDINATOR, ptj=other_ptj),
        "dean_elsewhere": user_with_role(Role.DEAN, ptj=other_ptj),
    }
    reviewer_actions = {r.action for r in MACHINE.rows if r.actor != "learner"}
    waiting_somewhere = set()
    for status in ApplicationStatus.values:
        Application.objects.filter(pk__in=[plain.pk, standalone.pk]).update(status=status)
        applications = list(Application.objects.filter(pk__in=[plain.pk, standalone.pk]))
        for name, user in people.items():
            queued = set(application_queue(user).values_list("pk", flat=True))
            expected = {
                a.pk
                for a in applications
                for row in MACHINE.rows_from(status)
                if row.action in reviewer_actions and user.has_perm(f"transfer.act_as_{row.actor}", a)
            }
            assert queued == expected, (status, name, queued, expected)
            waiting_somewhere |= {status} if expected else set()
    # Not vacuous: every state a reviewer acts in put something in someone's queue.
    assert waiting_somewhere == {s for actor in ("apelc", "coordinator", "dean") for s in states_for_actor(actor)}

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import PTj, Role, RoleAssignment, User
from audit.models import AuditEvent
from core.demo import DEMO_USERS
from courses.choices import ProposalStatus
from courses.models import Course, Programme, ProgrammeCourse, Proposal
from credentials.models import Credential
from enrolment.models import Offering

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "ptjs": PTj.objects.count(),
        "programmes": Programme.objects.count(),
        "courses": Course.objects.count(),
        "links": ProgrammeCourse.objects.count(),
        "audit": AuditEvent.objects.count(),
        "proposals": Proposal.objects.count(),
        "offerings": Offering.objects.count(),
    }


def test_demo_data_has_one_user_per_role_and_prints_every_login(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    for demo in DEMO_USERS:
        assert demo.email in out
    assert Course.objects.filter(code="TMN4033", name="Internet of Things", credits=3).exists()
    assert Course.objects.filter(code="TMUI233", name="Introduction to Computer Technologies").exists()
    assert Programme.objects.filter(level="foundation").exists()  # for R-CAT-5


def test_running_it_again_changes_nothing():
    call_command("seed_demo")
    before = _counts()
    password_hashes = dict(User.objects.values_list("email", "password"))
    call_command("seed_demo")
    assert _counts() == before
    assert dict(User.objects.values_list("email", "password")) == password_hashes


def test_demo_walks_one_course_to_ready_to_offer_through_every_step_and_opens_it():
    call_command("seed_demo")
    statuses = dict(Proposal.objects.values_list("code", "status"))
    assert statuses == {
        "TMUI233MC": ProposalStatus.READY_TO_OFFER,
        "TMN3013MC": ProposalStatus.SUBMITTED,
        "TMF1434MC": ProposalStatus.DRAFT,
    }
    ready = Proposal.objects.get(code="TMUI233MC")
    # Each step was taken by the demo user of the right role, and audited.
    actors = set(AuditEvent.objects.for_object(ready).values_list("actor__email", flat=True))
    assert {
        "head.mqa@demo.unimas.my",
        "cflex.reviewer@demo.unimas.my",
        "sme@demo.unimas.my",
        "jtsppa.secretary@demo.unimas.my",
        "senate.secretary@demo.unimas.my",
        "bjka@demo.unimas.my",
    } <= actors
    open_offering, past = Offering.objects.filter(proposal=ready).order_by("-starts_on")
    assert open_offering.instructors.get().email == "instructor@demo.unimas.my"
    # The past offering's results went through Senate and the demo learner holds its credential.
    assert past.results_status == "senate_approved"
    credential = Credential.objects.get(learner__email="learner@demo.unimas.my")
    assert credential.offering_id == past.pk and credential.document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

"""A small world for the reports, built through the services, whose every figure is worked out
by hand in the tests (DOMAIN R-QA-1, R-QA-2).

FCSIT course A, one offering taught by ``teacher_a``, six learners:
  L1 80% (A), L2 65% (B, a UNIMAS student), L3 55% (C+, passport), L4 40% (D+, fails),
  L5 withdraws, L6 defers; results approved by committee and Senate.
  Surveys (content, instructor, platform, overall): L1 5 5 4 5 "Great labs", L2 4 3 4 4,
  L4 2 2 3 1 "Too fast.".
FENG course B, one offering taught by ``teacher_b``, two learners still studying: M1 (passport),
M2 (a UNIMAS student).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from types import SimpleNamespace

import pytest

from accounts.models import Committee, PTj, Role
from courses import api as courses_api
from courses.services import course_ensure, programme_ensure, proposal_create, proposal_submit
from enrolment.models import Enrolment
from enrolment.services import (
    enrolment_create,
    enrolment_defer,
    enrolment_withdraw,
    learner_profile_save,
    mark_record,
    results_transition,
    survey_submit,
)
from tests.courses.builders import ready_data
from tests.enrolment import builders
from tests.factories import user_with_role

_numbers = iter(range(100, 999))


def learner(*, passport: str = "", student_id: str = ""):
    """A learner with a profile: Malaysian (NRIC) unless given a passport."""
    user = user_with_role(Role.LEARNER)
    learner_profile_save(
        actor=user,
        legal_name=user.full_name,
        identity_kind="passport" if passport else "nric",
        identity_number=passport or next(builders.NRICS),
        nationality="Indonesia" if passport else "",
        birth_date=date(1995, 5, 5) if passport else None,
        phone="+60 12-345 6789",
        student_id=student_id,
        pdpa_consent=True,
    )
    return user


def grade(offering, enrolment, teacher, score):
    for component in courses_api.ready_course_get(offering.proposal_id).components:
        mark_record(actor=teacher, offering=offering, enrolment_id=enrolment.pk, component_id=component.id, score=score)


def approve_results(offering, teacher):
    from enrolment.models import Offering

    offering = builders.course_has_run(offering)  # DOMAIN R-RS-4
    results_transition(actor=teacher, offering=offering, action="submit")
    secretary = user_with_role(Role.COMMITTEE_SECRETARY, committee=offering.committee)
    results_transition(actor=secretary, offering=Offering.objects.get(pk=offering.pk), action="endorse")
    results_transition(
        actor=builders.senate_secretary(), offering=Offering.objects.get(pk=offering.pk), action="approve"
    )


def answer(user, enrolment, ratings, comment=""):
    content, instructor, platform, overall = ratings
    return survey_submit(
        actor=user,
        enrolment=Enrolment.objects.get(pk=enrolment.pk),
        content_rating=content,
        instructor_rating=instructor,
        platform_rating=platform,
        overall_rating=overall,
        comment=comment,
    )


@pytest.fixture
def feng(db) -> PTj:
    return PTj.objects.get_or_create(code="FENG", defaults={"name": "Faculty of Engineering"})[0]


@pytest.fixture
def fcsit(db) -> PTj:
    return PTj.objects.get_or_create(
        code="FCSIT", defaults={"name": "Faculty of Computer Science and Information Technology"}
    )[0]


@pytest.fixture
def world(fcsit, feng):
    course_a = builders.ready_course(ptj=fcsit)
    course_b = builders.ready_course(ptj=feng, title="Micro-Credential in Engineering Surveying")
    teacher_a, teacher_b = builders.instructor(), builders.instructor()
    admin = builders.cflex_admin()
    offering_a = builders.offering(course_a, admin=admin, teacher=teacher_a, session="2026/2027 Semester 1")
    offering_b = builders.offering(course_b, admin=admin, teacher=teacher_b, session="2026/2027 Semester 2")
    people = [
        learner(),
        learner(student_id="82012"),
        learner(passport="B4471203"),
        learner(),
        learner(),
        learner(),
    ]
    enrolments = [enrolment_create(actor=p, offering=offering_a, international_notice_accepted=True) for p in people]
    for enrolment, score in zip(enrolments[:4], (80, 65, 55, 40), strict=True):
        grade(offering_a, enrolment, teacher_a, score)
    enrolment_withdraw(actor=people[4], enrolment=enrolments[4], reason="Work.")
    enrolment_defer(actor=people[5], enrolment=enrolments[5], reason="Family.")
    approve_results(offering_a, teacher_a)
    answer(people[0], enrolments[0], (5, 5, 4, 5), "Great labs")
    answer(people[1], enrolments[1], (4, 3, 4, 4))
    answer(people[3], enrolments[3], (2, 2, 3, 1), "Too fast.")
    for person in (learner(passport="C9981234"), learner(student_id="90011")):
        enrolment_create(actor=person, offering=offering_b, international_notice_accepted=True)
    return SimpleNamespace(
        fcsit=fcsit,
        feng=feng,
        course_a=course_a,
        course_b=course_b,
        offering_a=offering_a,
        offering_b=offering_b,
        teacher_a=teacher_a,
        teacher_b=teacher_b,
        admin=admin,
    )


def proposal_in(ptj: PTj, *, submit: bool = True):
    """A complete Category 1 proposal of ``ptj``, by that PTj's developer; submitted unless told."""
    n = next(_numbers)
    developer = user_with_role(Role.COURSE_DEVELOPER, ptj=ptj)
    origin = course_ensure(code=f"RPT{n}3", name=f"Reported course {n}", credits=3, ptj=ptj)
    programme = programme_ensure(
        code=f"RP{n}",
        name=f"Bachelor of Reporting {n}",
        ptj=ptj,
        level="bachelor",
        graduating_credits=128,
        courses=[origin],
    )
    data = dataclasses.replace(
        ready_data(lecturer_ids=(developer.pk,)), origin_programme_id=programme.pk, origin_course_id=origin.pk, code=""
    )
    proposal = proposal_create(actor=developer, data=data, ptj=ptj)
    if submit:
        proposal_submit(actor=developer, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def head_of(ptj: PTj):
    email = f"head-{ptj.code.lower()}@example.test"
    from accounts.models import User

    return User.objects.filter(email=email).first() or user_with_role(Role.HEAD_OF_PTJ_MQA, ptj=ptj, email=email)


def viewer(role: Role, ptj: PTj | None = None):
    if role == Role.COMMITTEE_SECRETARY:
        return user_with_role(role, committee=Committee.JTSPPA)
    return user_with_role(role, ptj=ptj)


@pytest.fixture
def issued(world):
    """The three passing learners' credentials issued; the first suspended, the second revoked."""
    from credentials.contexts import fetch
    from credentials.models import IssuanceRequest
    from credentials.services import credential_issue, credential_status_change

    fetch.fetch_contexts()  # the pinned JSON-LD contexts a credential is signed against
    made = [credential_issue(request_id=r.pk) for r in IssuanceRequest.objects.order_by("pk")]
    credential_status_change(actor=world.admin, credential_id=made[0].pk, action="suspend", reason="Under review.")
    credential_status_change(actor=world.admin, credential_id=made[1].pk, action="revoke", reason="Issued in error.")
    return made


def transfer_apply(world, learner, *claims):
    """``learner`` applies to ``world.programme`` with outside Category 2 credentials (code, mapped course)."""
    from tests.transfer import builders as transfer_builders
    from transfer.services import application_submit
    from transfer.services.applications import Claim

    return application_submit(
        actor=learner,
        programme_id=world.programme.pk,
        claims=[Claim(transfer_builders.outside(learner, code).ref, course) for code, course in claims],
    )


def transfer_approve(world, application):
    from transfer.services import application_evidence_decide, application_transition

    for line in application.lines.all():
        application_evidence_decide(actor=world.coordinator, application=application, line_id=line.pk, accept=True)
    application_transition(actor=world.coordinator, application=application, action="support")
    application_transition(actor=world.dean, application=application, action="approve")


@pytest.fixture
def transfers(settings, tmp_path):
    """Three applications to SK99 (FCSIT): one approved with two Category 2 claims of 3 credits
    each, one not supported by the coordinator, one still with the coordinator."""
    from tests.transfer import builders as transfer_builders
    from transfer.services import application_transition

    settings.MEDIA_ROOT = tmp_path / "media"
    world = transfer_builders.world()
    approved = transfer_apply(world, world.learner, ("CSC3013", "TMN3013"), ("CSC1233", "TMN4033"))
    transfer_approve(world, approved)
    refused = transfer_apply(world, builders.learner(), ("CSC3013", "TMN3013"))
    application_transition(
        actor=world.coordinator, application=refused, action="not_support", comment="Outdated syllabus."
    )
    transfer_apply(world, builders.learner(), ("CSC9993", "TMUI233"))
    return world

"""Offerings, profiles, enrolment, gradebook and results approval through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Committee
from audit.models import AuditEvent
from core.errors import ApplicationError, ErrorKind
from courses.api import committee_for, committee_for_proposal
from courses.choices import ProposalKind, ProposalStatus
from courses.models import Proposal
from credentials.api import credential_issue_request
from credentials.models import IssuanceRequest
from enrolment.choices import EnrolmentStatus, ResultsStatus
from enrolment.models import Enrolment, LearnerProfile, Mark, QuizAttempt
from enrolment.services import (
    enrolment_create,
    enrolment_defer,
    enrolment_fee_record,
    enrolment_withdraw,
    learner_identity_number,
    learner_profile_save,
    mark_record,
    results_transition,
    survey_submit,
)
from tests.enrolment import builders

pytestmark = pytest.mark.django_db


def code_of(call) -> str:
    with pytest.raises(ApplicationError) as exc:
        call()
    return exc.value.code


def components(offer):
    from courses.api import ready_course_get

    return {c.title: c for c in ready_course_get(offer.proposal_id).components}


# --- offerings -------------------------------------------------------------------------------
def test_an_offering_needs_a_course_that_is_ready_to_offer(admin, teacher):
    course = builders.ready_course()
    Proposal.objects.filter(pk=course.pk).update(status=ProposalStatus.SUBMITTED)
    with pytest.raises(ApplicationError) as exc:
        builders.offering(course, admin=admin, teacher=teacher)
    assert exc.value.code == "course_not_ready" and exc.value.kind == ErrorKind.CONFLICT


def test_only_cflex_opens_offerings(course, teacher):
    with pytest.raises(ApplicationError) as exc:
        builders.offering(course, admin=teacher, teacher=teacher)
    assert exc.value.code == "offering_forbidden"


def test_an_offering_copies_the_course_facts_and_its_committee(offer, course):
    assert (offer.course_code, offer.ptj_id, offer.course_level) == (course.code, course.ptj_id, 6)
    assert offer.committee == Committee.JTSPPA
    assert AuditEvent.objects.for_object(offer).get().action == "offering.create"


@pytest.mark.parametrize(
    ("kind", "level", "committee"),
    [
        (ProposalKind.CAT3_SAMC, 6, "JPPEU"),  # DOMAIN R-RS-2: non-MQA
        (ProposalKind.CAT3_QVC, 7, "JPPEU"),
        (ProposalKind.CAT1_WHOLE, 6, "JTSPPA"),  # MQA undergraduate
        (ProposalKind.CAT1_PART, 4, "JTSPPA"),
        (ProposalKind.CAT1_WHOLE, 7, "JTSPS"),  # MQA postgraduate
        (ProposalKind.CAT1_WHOLE, 8, "JTSPS"),
    ],
)
def test_which_committee_endorses_results(kind, level, committee):
    # DOMAIN R-RS-2, R-WF-1
    assert committee_for(kind, level) == committee


def test_committee_for_a_stand_alone_proposal():
    course = builders.ready_course(kind=ProposalKind.CAT3_SAMC)
    assert committee_for_proposal(course.pk) == "JPPEU"


# --- profile and NRIC ------------------------------------------------------------------------
def test_profile_derives_birth_date_and_encrypts_the_nric():
    user = builders.learner(nric="900101-13-5677")
    profile = LearnerProfile.objects.get(user=user)
    assert profile.birth_date.isoformat() == "1990-01-01"
    assert profile.identity_masked == "********5677"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM enrolment_learnerprofile WHERE id = %s", [profile.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "900101" not in row and "900101135677" not in row
    assert "5677" not in str(profile) and "900101" not in repr(profile)
    assert learner_identity_number(viewer=user, profile=profile) == "900101-13-5677"
    for event in AuditEvent.objects.filter(actor=user):
        assert "900101" not in f"{event.object_repr}{event.data}{event.comment}"


def test_only_the_learner_and_cflex_read_the_full_number(admin, teacher):
    user = builders.learner(nric="900101-13-5677")
    profile = LearnerProfile.objects.get(user=user)
    assert learner_identity_number(viewer=admin, profile=profile) == "900101-13-5677"
    with pytest.raises(ApplicationError) as exc:
        learner_identity_number(viewer=teacher, profile=profile)
    assert exc.value.kind == ErrorKind.NOT_FOUND


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("901301-13-5677", "nric_date"),  # DOMAIN R-EN learner profile: month 13
        ("900230-13-5677", "nric_date"),
        ("900101-17-5677", "nric_place_of_birth"),  # bad state code
        ("900101-00-5677", "nric_place_of_birth"),
        ("9001011356", "nric_format"),
    ],
)
def test_a_bad_nric_is_refused_without_echoing_it(number, code):
    from accounts.models import Role
    from tests.factories import user_with_role

    user = user_with_role(Role.LEARNER)
    with pytest.raises(ApplicationError) as exc:
        learner_profile_save(
            actor=user,
            legal_name="A B",
            identity_kind="nric",
            identity_number=number,
            nationality="",
            birth_date=None,
            phone="0123456789",
            pdpa_consent=True,
        )
    assert exc.value.code == code
    assert number[:6] not in exc.value.message and number[:6] not in repr(exc.value)


def test_the_same_nric_cannot_belong_to_two_accounts():
    builders.learner(nric="900101-13-5677")
    with pytest.raises(ApplicationError) as exc:
        builders.learner(nric="900101135677")
    assert exc.value.code == "identity_taken" and "5677" not in exc.value.message


def test_pdpa_consent_is_required():
    from accounts.models import Role
    from tests.factories import user_with_role

    user = user_with_role(Role.LEARNER)
    assert (
        code_of(
            lambda: learner_profile_save(
                actor=user,
                legal_name="A B",
                identity_kind="nric",
                identity_number="900101-13-5677",
                nationality="",
                birth_date=None,
                phone="0123456789",
                pdpa_consent=False,
            )
        )
        == "pdpa_consent_required"
    )


# --- enrolment -------------------------------------------------------------------------------
def test_a_learner_enrols_and_takes_a_seat(offer):
    user = builders.learner()
    enrolment = enrolment_create(actor=user, offering=offer)
    assert (enrolment.status, enrolment.seat, enrolment.fee_status) == ("enrolled", 1, "pending")
    assert code_of(lambda: enrolment_create(actor=user, offering=offer)) == "already_enrolled"


def test_enrolment_needs_a_profile_and_the_learner_role(offer, teacher):
    from accounts.models import Role
    from tests.factories import user_with_role

    assert code_of(lambda: enrolment_create(actor=user_with_role(Role.LEARNER), offering=offer)) == "profile_required"
    assert code_of(lambda: enrolment_create(actor=teacher, offering=offer)) == "enrol_forbidden"


def test_minimum_requirements_are_confirmed(course, admin, teacher):
    # DOMAIN R-EN-3
    offer = builders.offering(
        course, admin=admin, teacher=teacher, minimum_requirements="Aged 18 or over\nDigital literacy"
    )
    user = builders.learner()
    assert code_of(
        lambda: enrolment_create(actor=user, offering=offer, confirmed_requirements=["Aged 18 or over"])
    ) == ("requirements_unconfirmed")
    enrolment = enrolment_create(
        actor=user, offering=offer, confirmed_requirements=["Aged 18 or over", "Digital literacy"]
    )
    assert enrolment.requirements_confirmed == ["Aged 18 or over", "Digital literacy"]


def test_international_learners_accept_the_notice(offer):
    # DOMAIN R-EN-2
    user = builders.learner(passport="B1234567")
    assert code_of(lambda: enrolment_create(actor=user, offering=offer)) == "international_notice_required"
    enrolment = enrolment_create(actor=user, offering=offer, international_notice_accepted=True)
    assert enrolment.international_notice_at is not None


def test_a_full_offering_refuses_and_a_withdrawal_frees_the_seat(course, admin, teacher):
    # DOMAIN R-EN-5: capacity per offering
    offer = builders.offering(course, admin=admin, teacher=teacher, capacity=1)
    first, second = builders.learner(), builders.learner()
    enrolment = enrolment_create(actor=first, offering=offer)
    with pytest.raises(ApplicationError) as exc:
        enrolment_create(actor=second, offering=offer)
    assert (exc.value.code, exc.value.kind) == ("offering_full", ErrorKind.CONFLICT)
    assert code_of(lambda: enrolment_withdraw(actor=first, enrolment=enrolment, reason=" ")) == "reason_required"
    enrolment = enrolment_withdraw(actor=first, enrolment=enrolment, reason="Work commitments")
    assert (enrolment.status, enrolment.seat) == ("withdrawn", None)
    assert enrolment_create(actor=second, offering=offer).seat == 1


def test_defer_and_nobody_else_may(offer):
    user, other = builders.learner(), builders.learner()
    enrolment = enrolment_create(actor=user, offering=offer)
    assert code_of(lambda: enrolment_defer(actor=other, enrolment=enrolment, reason="x")) == "enrolment_not_found"
    assert enrolment_defer(actor=user, enrolment=enrolment, reason="Next intake").status == "deferred"
    assert code_of(lambda: enrolment_withdraw(actor=user, enrolment=enrolment, reason="x")) == "enrolment_not_active"


def test_enrolment_window(course, admin, teacher):
    today = timezone.localdate()
    offer = builders.offering(
        course,
        admin=admin,
        teacher=teacher,
        enrolment_opens=today + timedelta(days=2),
        enrolment_closes=today + timedelta(days=5),
    )
    assert code_of(lambda: enrolment_create(actor=builders.learner(), offering=offer)) == "enrolment_closed"


def test_cflex_records_the_fee(offer, admin):
    enrolment = enrolment_create(actor=builders.learner(), offering=offer)
    assert (
        code_of(lambda: enrolment_fee_record(actor=admin, enrolment=enrolment, fee_status="paid"))
        == "fee_reference_required"
    )
    enrolment = enrolment_fee_record(actor=admin, enrolment=enrolment, fee_status="paid", reference="FPX-20261122-0001")
    assert (enrolment.fee_status, enrolment.fee_reference) == ("paid", "FPX-20261122-0001")
    assert code_of(lambda: enrolment_fee_record(actor=enrolment.learner, enrolment=enrolment, fee_status="waived")) == (
        "enrolment_not_found"
    )


# --- gradebook -------------------------------------------------------------------------------
def grade_all(offer, teacher, enrolment, quiz, forum, essay):
    c = components(offer)
    mark_record(actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=c["Quiz"].id, score=quiz)
    mark_record(actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=c["Forum"].id, score=forum)
    mark_record(
        actor=teacher,
        offering=offer,
        enrolment_id=enrolment.pk,
        component_id=c["Essay"].id,
        score=essay,
        feedback="Well argued.",
    )
    enrolment.refresh_from_db()
    return enrolment


def test_weighted_final_mark_grade_and_policy_version(offer, teacher):
    # DOMAIN R-RS-1: 30% x 80 + 20% x 70 + 50% x 60 = 24 + 14 + 30 = 68 -> B
    enrolment = grade_all(offer, teacher, enrolment_create(actor=builders.learner(), offering=offer), 80, 70, 60)
    assert (enrolment.final_mark, enrolment.grade, enrolment.passed) == (D("68.00"), "B", True)
    assert enrolment.policy_version_id is not None
    # CLO attainment, kept for APEL.C (R-AP-1): CLO1 = quiz 30 + essay 50; CLO2 = forum 20 + essay 50
    c = components(offer)
    clo1, clo2 = c["Quiz"].clo_ids[0], c["Forum"].clo_ids[0]
    assert enrolment.clo_attainment == {str(clo1): "67.50", str(clo2): "62.86"}


def test_the_best_quiz_attempt_counts(offer, teacher):
    # DOMAIN R-AS-4
    enrolment = enrolment_create(actor=builders.learner(), offering=offer)
    quiz = components(offer)["Quiz"]
    for score in (40, 90, 65):
        mark_record(actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=quiz.id, score=score)
    assert list(QuizAttempt.objects.filter(enrolment=enrolment).values_list("score", flat=True)) == [40, 90, 65]
    assert Mark.objects.get(enrolment=enrolment, component_id=quiz.id).score == 90


def test_marks_above_the_maximum_and_by_others_are_refused(offer, teacher):
    enrolment = enrolment_create(actor=builders.learner(), offering=offer)
    essay = components(offer)["Essay"]
    assert code_of(
        lambda: mark_record(actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=essay.id, score=101)
    ) == ("score_above_maximum")
    assert code_of(
        lambda: mark_record(
            actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=essay.id, score="abc"
        )
    ) == ("score_not_a_number")
    stranger = builders.instructor()
    assert code_of(
        lambda: mark_record(actor=stranger, offering=offer, enrolment_id=enrolment.pk, component_id=essay.id, score=5)
    ) == ("offering_not_found")


# --- results approval ------------------------------------------------------------------------
def test_results_flow_to_senate_and_credential_requests(offer, teacher):
    # DOMAIN R-RS-2
    passing = enrolment_create(actor=builders.learner(), offering=offer)
    failing = enrolment_create(actor=builders.learner(), offering=offer)
    offer = builders.course_has_run(offer)  # DOMAIN R-RS-4
    assert code_of(lambda: results_transition(actor=teacher, offering=offer, action="submit")) == "marks_missing"
    grade_all(offer, teacher, passing, 80, 70, 60)
    grade_all(offer, teacher, failing, 20, 30, 40)
    jtsppa, jppeu, senate = (
        builders.committee_secretary(),
        builders.committee_secretary(Committee.JPPEU),
        builders.senate_secretary(),
    )

    assert (
        code_of(lambda: results_transition(actor=jtsppa, offering=offer, action="endorse"))
        == "results_illegal_transition"
    )
    results_transition(actor=teacher, offering=offer, action="submit")
    assert code_of(lambda: results_transition(actor=jppeu, offering=offer, action="endorse")) == "offering_not_found"
    assert code_of(lambda: results_transition(actor=senate, offering=offer, action="endorse")) == "forbidden"
    assert code_of(lambda: results_transition(actor=jtsppa, offering=offer, action="return")) == "comment_required"
    results_transition(actor=jtsppa, offering=offer, action="endorse")
    assert not IssuanceRequest.objects.exists()  # no credential before Senate approval
    passing.refresh_from_db()
    assert passing.status == "enrolled"
    results_transition(actor=senate, offering=offer, action="approve")

    offer.refresh_from_db()
    assert offer.results_status == ResultsStatus.SENATE_APPROVED
    statuses = dict(Enrolment.objects.filter(offering=offer).values_list("pk", "status"))
    assert statuses == {passing.pk: EnrolmentStatus.COMPLETED, failing.pk: EnrolmentStatus.FAILED}
    request = IssuanceRequest.objects.get()
    assert (request.enrolment_id, request.grade) == (passing.pk, "B")
    actions = list(AuditEvent.objects.for_object(offer).values_list("action", flat=True).order_by("id"))
    assert actions == ["offering.create", "results.submit", "results.endorse", "results.approve"]
    # Marks are final after approval.
    essay = components(offer)["Essay"]
    assert code_of(
        lambda: mark_record(actor=teacher, offering=offer, enrolment_id=passing.pk, component_id=essay.id, score=1)
    ) in ("results_locked", "enrolment_not_active")


def test_credential_request_is_idempotent(offer, teacher):
    enrolment = grade_all(offer, teacher, enrolment_create(actor=builders.learner(), offering=offer), 80, 70, 60)
    args = {
        "actor": teacher,
        "enrolment_id": enrolment.pk,
        "offering_id": offer.pk,
        "learner_id": enrolment.learner_id,
        "course_code": "X",
        "course_title": "Y",
        "final_mark": D("68"),
        "grade": "B",
        "policy_version_id": enrolment.policy_version_id,
    }
    assert credential_issue_request(**args).created
    assert not credential_issue_request(**args).created
    assert IssuanceRequest.objects.count() == 1


def test_a_change_after_submission_sends_results_back(offer, teacher):
    enrolment = grade_all(offer, teacher, enrolment_create(actor=builders.learner(), offering=offer), 80, 70, 60)
    offer = builders.course_has_run(offer)
    results_transition(actor=teacher, offering=offer, action="submit")
    mark_record(
        actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=components(offer)["Forum"].id, score=75
    )
    offer.refresh_from_db()
    assert offer.results_status == ResultsStatus.DRAFT
    assert AuditEvent.objects.for_object(offer).filter(action="results.reopen").exists()


def test_a_committee_returns_results_with_a_comment(offer, teacher):
    grade_all(offer, teacher, enrolment_create(actor=builders.learner(), offering=offer), 80, 70, 60)
    offer = builders.course_has_run(offer)
    results_transition(actor=teacher, offering=offer, action="submit")
    results_transition(
        actor=builders.committee_secretary(), offering=offer, action="return", comment="Check the essay marks."
    )
    offer.refresh_from_db()
    assert (offer.results_status, offer.results_comment) == ("draft", "Check the essay marks.")


def test_survey_after_the_final_assessment_once(offer, teacher):
    # DOMAIN R-RS-3
    user = builders.learner()
    enrolment = enrolment_create(actor=user, offering=offer)
    answers = {
        "content_rating": 5,
        "instructor_rating": 4,
        "platform_rating": 3,
        "overall_rating": 5,
        "comment": "More videos",
    }
    assert code_of(lambda: survey_submit(actor=user, enrolment=enrolment, **answers)) == "survey_not_open"
    grade_all(offer, teacher, enrolment, 80, 70, 60)
    assert (
        code_of(lambda: survey_submit(actor=user, enrolment=enrolment, **{**answers, "overall_rating": 6}))
        == "rating_invalid"
    )
    survey_submit(actor=user, enrolment=enrolment, **answers)
    assert code_of(lambda: survey_submit(actor=user, enrolment=enrolment, **answers)) == "survey_done"

"""Applications, reviews and decisions through the services: authorised, audited, atomic, and the
engine's result kept with the policy version it was made under (R-CT-1..6, R-AP-1, R-AP-4)."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import PTj, Role
from accounts.services import role_assign
from audit.models import AuditEvent
from core.errors import ApplicationError, ErrorKind
from core.models import Notification
from policy.api import policy_in_force
from tests.factories import user_with_role
from tests.transfer import builders
from transfer.models import AgeException, Application, ApplicationLine, DecisionLetter, PriorCredential
from transfer.selectors import learner_credentials, learner_evaluation, stored_result
from transfer.services import (
    Claim,
    age_exception_grant,
    age_exception_revoke,
    application_clo_assess,
    application_evidence_decide,
    application_mapping_set,
    application_submit,
    application_transition,
    decision_letter_issue,
    prior_credential_add,
    prior_credential_withdraw,
)
from transfer.tasks import decision_letter_send

pytestmark = pytest.mark.django_db


def refused(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        call()
    return exc.value


def apply(world, *claims: tuple, comment: str = "") -> Application:
    return application_submit(
        actor=world.learner,
        programme_id=world.programme.pk,
        claims=[Claim(c.ref if hasattr(c, "ref") else c, course) for c, course in claims],
        comment=comment,
    )


def accept_all(world, application, who=None) -> None:
    for line in application.lines.all():
        if line.verification == "unverified":
            application_evidence_decide(
                actor=who or world.coordinator, application=application, line_id=line.pk, accept=True
            )


# --- prior credentials ------------------------------------------------------------------------------


def test_an_outside_course_with_a_pdf_is_kept_unverified(world):
    credential = builders.outside(world.learner, "CSC3013")
    assert credential.kind == "cat2" and credential.verification == "unverified"
    assert "PDF" in credential.verification_reason
    assert credential.evidence_file.read().startswith(b"%PDF-")
    held = {h.ref: h for h in learner_credentials(world.learner.pk)}
    assert held[credential.ref].provider == "Universiti Malaysia Sabah"
    assert AuditEvent.objects.filter(action="transfer.credential_add", object_id=str(credential.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"kind": "cat1"}, "kind_invalid", "kind"),  # DOMAIN R-CT-1: Category 1 is UNIMAS's own only
        ({"accreditation_reference": ""}, "accreditation_required", "accreditation_reference"),  # DOMAIN R-CT-4
        ({"kind": "samc_qvc", "qvc_reference": ""}, "qvc_reference_required", "qvc_reference"),  # DOMAIN R-CT-3
        ({"credits": 0}, "credits_invalid", "credits"),
        ({"evidence": SimpleUploadedFile("x.pdf", b"")}, "evidence_empty", "evidence"),
        ({"evidence": SimpleUploadedFile("x.json", b"{not json")}, "evidence_type", "evidence"),
        ({"evidence": SimpleUploadedFile("x.json", b'{"type": ["Thing"]}')}, "evidence_not_badge", "evidence"),
    ],
)
def test_bad_prior_credentials_are_refused_and_nothing_is_saved(world, overrides, code, field):
    values = {
        "actor": world.learner,
        "kind": "cat2",
        "code": "CSC3013",
        "title": "Network Security",
        "provider": "Universiti Malaysia Sabah",
        "credits": 3,
        "evidence": builders.pdf(),
        "accreditation_reference": "MQA/FA 1234",
    }
    values.update(overrides)
    error = refused(lambda: prior_credential_add(**values))
    assert (error.code, error.field, error.kind) == (code, field, ErrorKind.INVALID)
    assert not PriorCredential.objects.exists()


def test_only_learners_add_prior_credentials(world):
    assert refused(lambda: builders.outside(world.coordinator, "CSC3013")).kind == ErrorKind.FORBIDDEN


def test_the_same_outside_credential_twice_is_refused(world):
    builders.outside(world.learner, "CSC3013")
    error = refused(lambda: builders.outside(world.learner, "csc3013"))
    assert (error.code, error.kind) == ("credential_duplicate", ErrorKind.CONFLICT)
    assert PriorCredential.objects.count() == 1


# --- badges -------------------------------------------------------------------------------------------


@pytest.fixture
def issued_document(world):
    from tests.credentials.builders import issued

    return issued().document


def badge_file(document: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile("badge.json", json.dumps(document).encode(), content_type="application/json")


def test_a_signed_outside_badge_whose_status_cannot_be_read_is_kept_unverified(world, issued_document):
    badge = builders.outside_badge(issued_document, credits=3)
    credential = builders.outside(world.learner, "OUX101", kind="samc", evidence=badge_file(badge))
    assert credential.evidence_kind == "badge" and credential.verification == "unverified"
    assert "status.example.org" in credential.verification_reason
    # A genuine signature by another issuer (decision 0121): never "valid", kept for a person to check.
    assert credential.verification_data["verdict"] == "other_issuer"
    assert credential.verification_data["issuer_is_portal"] is False


def test_an_unverifiable_badge_is_refused_with_the_reason_and_nothing_saved(world, issued_document):
    # A badge changed after it was signed: the portal can check its did:key signature, and it fails.
    badge = builders.outside_badge(issued_document, tamper=True)
    error = refused(lambda: builders.outside(world.learner, "OUX101", kind="samc", evidence=badge_file(badge)))
    assert (error.code, error.field, error.kind) == ("badge_invalid", "evidence", ErrorKind.INVALID)
    assert "invalid" in error.message
    assert not PriorCredential.objects.exists()


def test_a_badge_saying_other_credits_is_refused(world, issued_document):
    badge = builders.outside_badge(issued_document, credits=2)
    error = refused(lambda: builders.outside(world.learner, "OUX101", kind="samc", evidence=badge_file(badge)))
    assert (error.code, error.field) == ("credits_mismatch", "credits")


def test_this_portals_own_badge_is_not_added_again(world, issued_document):
    error = refused(
        lambda: builders.outside(world.learner, "OUX101", kind="samc", evidence=badge_file(issued_document))
    )
    assert (error.code, error.kind, error.field) == ("badge_from_this_portal", ErrorKind.CONFLICT, "evidence")
    assert not PriorCredential.objects.exists()


# --- submitting ------------------------------------------------------------------------------------------


def test_a_learner_applies_and_the_result_is_kept_with_its_policy_version(world, django_capture_on_commit_callbacks):
    # DOMAIN R-CT-4, R-CT-6: Category 2 courses go to the programme coordinator.
    a = builders.outside(world.learner, "CSC3013")
    b = builders.outside(world.learner, "CSC1233")
    with django_capture_on_commit_callbacks():
        application = apply(world, (a, "TMN3013"), (b, "TMUI233"), comment="Please consider my transcript.")
    assert application.status == "coordinator_review"
    assert application.credits_transferred == 6 and application.policy_version_id == policy_in_force().id
    assert application.result["provisional"] is True  # the PDFs are not checked yet
    assert [line.counted_credits for line in application.lines.all()] == [3, 3]
    event = AuditEvent.objects.get(action="transfer.submit")
    assert event.data["policy_version"] == policy_in_force().id and event.to_state == "coordinator_review"
    assert Notification.objects.filter(recipient=world.coordinator, template="transfer_transition").exists()
    assert not Notification.objects.filter(recipient=world.apelc).exists()


def test_samc_claims_go_to_the_apelc_officer_first(world):
    # DOMAIN R-CT-6: SAMC learners apply through APEL.C.
    samc = builders.outside(world.learner, "MC901", kind="samc", provider="Coursera")
    application = apply(world, (samc, "TMN3013"))
    assert application.status == "apelc_review"
    assert Notification.objects.filter(recipient=world.apelc).exists()


def test_a_credential_claimed_twice_is_refused_and_nothing_saved(world):
    # DOMAIN R-CT-5: a credential never counts twice.
    a = builders.outside(world.learner, "CSC3013")
    error = refused(lambda: apply(world, (a, "TMN3013"), (a, "TMUI233")))
    assert (error.code, error.field, error.kind) == ("credential_claimed_twice", "claims[1].credential", 400)
    assert error.rule == "R-CT-5" and "R-CT-5" not in error.message
    assert not Application.objects.exists() and not ApplicationLine.objects.exists()


def test_a_course_mapped_from_too_few_credits_is_refused_and_nothing_saved(world):
    # DOMAIN R-NM-2: two 1-credit parts do not make the 3-credit TMN4033.
    a = builders.outside(world.learner, "IOT1", credits=1)
    b = builders.outside(world.learner, "IOT2", credits=1)
    error = refused(lambda: apply(world, (a, "TMN4033"), (b, "TMN4033")))
    assert (error.code, error.field) == ("course_credits_short", "claims[0].course")
    assert error.rule == "R-NM-2" and "TMN4033" in error.message and "R-NM-2" not in error.message
    assert not Application.objects.exists()


def test_the_parts_of_a_divided_course_credit_it_together(world):
    # DOMAIN R-NM-2
    parts = [builders.outside(world.learner, f"IOT{n}", credits=1) for n in range(3)]
    application = apply(world, *((p, "TMN4033") for p in parts))
    assert application.credits_transferred == 3


def test_someone_elses_credential_cannot_be_claimed(world):
    other = builders.enrol.learner()
    theirs = builders.outside(other, "CSC3013")
    error = refused(lambda: apply(world, (theirs, "TMN3013")))
    assert (error.code, error.kind, error.field) == (
        "credential_not_found",
        ErrorKind.NOT_FOUND,
        "claims[0].credential",
    )


def test_a_course_not_in_the_programme_is_refused(world):
    a = builders.outside(world.learner, "CSC3013")
    error = refused(lambda: apply(world, (a, "KNS2153")))
    assert (error.code, error.field) == ("course_not_in_programme", "claims[0].course")


def test_one_open_application_per_programme(world):
    a = builders.outside(world.learner, "CSC3013")
    apply(world, (a, "TMN3013"))
    error = refused(lambda: apply(world, (a, "TMN3013")))
    assert (error.code, error.kind) == ("application_open_exists", ErrorKind.CONFLICT)
    assert Application.objects.count() == 1


def test_a_foundation_programme_is_never_a_target(world):
    # DOMAIN R-CAT-5
    from courses.services import programme_ensure

    foundation = programme_ensure(
        code="ASC", name="Foundation in Science", ptj=world.ptj, level="foundation", graduating_credits=36
    )
    a = builders.outside(world.learner, "CSC3013")
    error = refused(
        lambda: application_submit(actor=world.learner, programme_id=foundation.pk, claims=[Claim(a.ref, "TMN3013")])
    )
    assert (error.code, error.field) == ("programme_foundation", "programme")


def test_only_learners_apply(world):
    assert refused(lambda: apply(world)).kind != ErrorKind.FORBIDDEN  # the learner is one; nothing claimed
    error = refused(
        lambda: application_submit(actor=world.dean, programme_id=world.programme.pk, claims=[Claim("p1", "TMN3013")])
    )
    assert error.kind == ErrorKind.FORBIDDEN


# --- review: coordinator, Dean (R-CT-6) ----------------------------------------------------------------------


@pytest.fixture
def submitted(world):
    a = builders.outside(world.learner, "CSC3013")
    b = builders.outside(world.learner, "CSC1233")
    return apply(world, (a, "TMN3013"), (b, "TMN4033"))


def test_coordinator_adjusts_the_mapping_supports_and_dean_approves(
    world, submitted, django_capture_on_commit_callbacks
):
    # DOMAIN R-CT-6: coordinator reviews (and may correct the mapping) -> Dean approves -> letter.
    line_b = submitted.lines.get(credential__code="CSC1233")
    application_mapping_set(
        actor=world.coordinator, application=submitted, mapping={line_b.pk: "TMUI233"}, comment="Closer match"
    )
    line_b.refresh_from_db()
    assert line_b.course_code == "TMUI233"
    event = AuditEvent.objects.get(action="transfer.map")
    assert event.data["changes"] == {"CSC1233": ["TMN4033", "TMUI233"]} and event.comment == "Closer match"
    accept_all(world, submitted)
    application_transition(actor=world.coordinator, application=submitted, action="support", comment="Good match")
    submitted.refresh_from_db()
    assert submitted.status == "dean_review"
    with django_capture_on_commit_callbacks() as callbacks:
        application_transition(actor=world.dean, application=submitted, action="approve")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by, submitted.credits_transferred) == ("approved", world.dean, 6)
    assert submitted.result["provisional"] is False
    approved = AuditEvent.objects.get(action="transfer.approve")
    assert approved.data["policy_version"] == submitted.policy_version_id
    assert len(callbacks) >= 1  # the letter task is queued once the decision commits


def test_the_decision_letter_is_written_kept_and_sent_once(world, submitted, django_capture_on_commit_callbacks):
    # DOMAIN R-CT-6: a copy of the decision goes to the learner and to the administrator.
    accept_all(world, submitted)
    application_transition(actor=world.coordinator, application=submitted, action="support")
    application_transition(actor=world.dean, application=submitted, action="approve")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert decision_letter_send(submitted.pk) is True
    letter = DecisionLetter.objects.get(application=submitted)
    assert letter.file.read().startswith(b"%PDF-") and letter.decision == "approved"
    assert letter.policy_version_id == submitted.policy_version_id
    assert sorted(letter.sent_to) == sorted([world.learner.email, world.admin.email])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.learner.email, world.admin.email])
    to_learner = next(m for m in mail.outbox if m.to == [world.learner.email])
    (name, content, mimetype) = to_learner.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF-") and name.endswith(".pdf")
    assert "approved" in to_learner.subject.lower()
    decision_letter_send(submitted.pk)  # a retried task
    assert len(mail.outbox) == 2 and DecisionLetter.objects.count() == 1


def test_the_letter_text_names_the_decision_the_credits_and_the_policy(world, submitted, tmp_path):
    accept_all(world, submitted)
    application_transition(actor=world.coordinator, application=submitted, action="support")
    application_transition(actor=world.dean, application=submitted, action="approve", comment="Welcome to SK99")
    letter = decision_letter_issue(application_id=submitted.pk)
    path = tmp_path / "letter.pdf"
    with letter.file.open("rb") as handle:
        path.write_bytes(handle.read())
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "Decision: Approved" in text and "6 of the programme's 120 graduating credits" in text
    assert "TMN3013" in text and "Welcome to SK99" in text and "Prof. Dr. Wan Azlan" in text
    assert policy_in_force().name in text
    assert "900101" not in text  # no identity number on the letter


def test_support_needs_every_evidence_checked(world, submitted):
    error = refused(lambda: application_transition(actor=world.coordinator, application=submitted, action="support"))
    assert (error.code, error.kind) == ("evidence_not_checked", ErrorKind.CONFLICT)
    submitted.refresh_from_db()
    assert submitted.status == "coordinator_review"


def test_not_supported_needs_a_reason_and_ends_the_application(world, submitted):
    error = refused(
        lambda: application_transition(actor=world.coordinator, application=submitted, action="not_support")
    )
    assert (error.code, error.field) == ("comment_required", "comment")
    application_transition(
        actor=world.coordinator, application=submitted, action="not_support", comment="Outdated syllabus"
    )
    submitted.refresh_from_db()
    assert submitted.status == "not_supported" and submitted.decision_comment == "Outdated syllabus"
    assert decision_letter_issue(application_id=submitted.pk).decision == "not_supported"


@pytest.mark.parametrize(
    ("who", "action", "kind"),
    [
        ("dean", "support", ErrorKind.FORBIDDEN),  # the coordinator's step
        ("learner", "support", ErrorKind.FORBIDDEN),
        ("apelc", "support", ErrorKind.NOT_FOUND),  # no stand-alone claim: not theirs to see
        ("coordinator", "approve", ErrorKind.CONFLICT),  # not the Dean's step yet
        ("coordinator", "fly", ErrorKind.INVALID),
    ],
)
def test_each_step_is_only_for_its_actor(world, submitted, who, action, kind):
    accept_all(world, submitted)
    error = refused(lambda: application_transition(actor=getattr(world, who), application=submitted, action=action))
    assert error.kind == kind
    submitted.refresh_from_db()
    assert submitted.status == "coordinator_review"


def test_a_coordinator_of_another_faculty_or_programme_sees_nothing(world, submitted, other_ptj):
    elsewhere = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=other_ptj)
    same_ptj_other = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=world.ptj)  # not the named coordinator
    for person in (elsewhere, same_ptj_other):
        error = refused(lambda p=person: application_transition(actor=p, application=submitted, action="support"))
        assert error.kind == ErrorKind.NOT_FOUND


def test_nobody_reviews_their_own_application(world):
    role_assign(user=world.coordinator, role=Role.LEARNER)
    own = builders.outside(world.coordinator, "CSC3013")
    application = application_submit(
        actor=world.coordinator, programme_id=world.programme.pk, claims=[Claim(own.ref, "TMN3013")]
    )
    error = refused(
        lambda: application_evidence_decide(
            actor=world.coordinator, application=application, line_id=application.lines.get().pk, accept=True
        )
    )
    assert error.kind == ErrorKind.FORBIDDEN


def test_a_stale_page_cannot_decide_twice(world, submitted):
    accept_all(world, submitted)
    application_transition(actor=world.coordinator, application=submitted, action="support")
    error = refused(
        lambda: application_transition(
            actor=world.coordinator, application=submitted, action="support", expected_state="coordinator_review"
        )
    )
    assert (error.code, error.kind) == ("application_already_decided", ErrorKind.CONFLICT)


def test_a_mapping_that_leaves_a_course_short_is_refused_whole(world):
    # DOMAIN R-NM-2: moving one part of a divided course away leaves it short; nothing changes.
    parts = [builders.outside(world.learner, f"IOT{n}", credits=1) for n in range(3)]
    application = apply(world, *((p, "TMN4033") for p in parts))
    first = application.lines.order_by("position").first()
    error = refused(
        lambda: application_mapping_set(actor=world.coordinator, application=application, mapping={first.pk: "TMUI233"})
    )
    assert (error.code, error.field) == ("course_credits_short", "lines[0].course")
    assert set(application.lines.values_list("course_code", flat=True)) == {"TMN4033"}
    assert not AuditEvent.objects.filter(action="transfer.map").exists()


def test_only_the_coordinator_maps_and_only_while_reviewing(world, submitted):
    line = submitted.lines.first()
    assert (
        refused(
            lambda: application_mapping_set(actor=world.dean, application=submitted, mapping={line.pk: "TMUI233"})
        ).kind
        == ErrorKind.FORBIDDEN
    )
    assert (
        refused(
            lambda: application_mapping_set(actor=world.coordinator, application=submitted, mapping={99999: "TMUI233"})
        ).kind
        == ErrorKind.NOT_FOUND
    )
    application_transition(actor=world.learner, application=submitted, action="withdraw")
    assert (
        refused(
            lambda: application_mapping_set(
                actor=world.coordinator, application=submitted, mapping={line.pk: "TMUI233"}
            )
        ).code
        == "application_not_editable"
    )


def test_rejected_evidence_needs_a_reason_and_stops_the_credit(world, submitted):
    line = submitted.lines.get(credential__code="CSC3013")
    error = refused(
        lambda: application_evidence_decide(
            actor=world.coordinator, application=submitted, line_id=line.pk, accept=False
        )
    )
    assert (error.code, error.field) == ("reason_required", "reason")
    application_evidence_decide(
        actor=world.coordinator, application=submitted, line_id=line.pk, accept=False, reason="Not an accredited course"
    )
    line.refresh_from_db()
    submitted.refresh_from_db()
    assert (line.verification, line.counted_credits, line.reason) == ("rejected", 0, "evidence_rejected")
    assert submitted.credits_transferred == 3


def test_the_learner_withdraws_and_may_then_withdraw_the_credential(world, submitted):
    credential = submitted.lines.first().credential
    assert refused(lambda: prior_credential_withdraw(actor=world.learner, credential=credential)).code == (
        "credential_in_open_application"
    )
    application_transition(actor=world.learner, application=submitted, action="withdraw")
    prior_credential_withdraw(actor=world.learner, credential=credential)
    credential.refresh_from_db()
    assert credential.withdrawn_at is not None and PriorCredential.objects.filter(pk=credential.pk).exists()


# --- APEL.C (R-AP-1) ------------------------------------------------------------------------------------------


@pytest.fixture
def samc_application(world):
    samc = builders.outside(world.learner, "MC901", kind="samc", provider="Coursera")
    qvc = builders.outside(world.learner, "MCV902", kind="samc_qvc", provider="Open University Malaysia")
    return apply(world, (samc, "TMN3013"), (qvc, "TMUI233"))


def test_the_apelc_officer_assesses_each_clo(world, samc_application):
    # DOMAIN R-AP-1: a CLO at 49% stops the claim; 50% on each counts.
    app = samc_application
    samc, qvc = app.lines.order_by("position")
    error = refused(lambda: application_transition(actor=world.apelc, application=app, action="apelc_complete"))
    assert error.code == "apelc_not_assessed"
    assert (
        refused(lambda: application_transition(actor=world.coordinator, application=app, action="support")).code
        == "illegal_transition"
    )
    application_clo_assess(actor=world.apelc, application=app, line_id=samc.pk, attainment=[D("72"), D("49")])
    application_clo_assess(actor=world.apelc, application=app, line_id=qvc.pk, attainment=["50", "50", "61.5"])
    samc.refresh_from_db()
    qvc.refresh_from_db()
    assert (samc.counted_credits, samc.reason, samc.clo_source) == (0, "clo_below_minimum", "officer")
    assert (qvc.counted_credits, qvc.clo_attainment) == (3, ["50.00", "50.00", "61.50"])
    event = AuditEvent.objects.filter(action="transfer.assess").last()
    assert event.data["min_clo"] == 50
    accept_all(world, app, who=world.apelc)  # the officer judges stand-alone evidence
    application_transition(actor=world.apelc, application=app, action="apelc_complete")
    app.refresh_from_db()
    assert app.status == "coordinator_review" and app.credits_transferred == 3


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ([], "clo_attainment"),
        (["101"], "clo_attainment[0]"),
        (["50", "abc"], "clo_attainment[1]"),
        (["-1"], "clo_attainment[0]"),
    ],
)
def test_bad_clo_attainment_is_refused(world, samc_application, values, field):
    line = samc_application.lines.first()
    error = refused(
        lambda: application_clo_assess(
            actor=world.apelc, application=samc_application, line_id=line.pk, attainment=values
        )
    )
    assert error.field == field
    line.refresh_from_db()
    assert line.clo_attainment is None


def test_only_the_apelc_officer_assesses(world, samc_application):
    line = samc_application.lines.first()
    error = refused(
        lambda: application_clo_assess(
            actor=world.coordinator, application=samc_application, line_id=line.pk, attainment=[80]
        )
    )
    assert error.kind == ErrorKind.FORBIDDEN


# --- APEL.M age exception (R-AP-4) --------------------------------------------------------------------------------


def test_the_dean_grants_an_age_exception_with_a_reason(world):
    # DOMAIN R-AP-4: the university may grant an exception, with a recorded reason.
    young = builders.enrol.learner(nric="080101-13-5001")  # born 2008
    before = learner_evaluation(young.pk, world.programme.pk).apelm
    assert not before.age_ok and "apelm_too_young" in before.reasons
    assert (
        refused(
            lambda: age_exception_grant(
                actor=world.dean, learner_id=young.pk, programme_id=world.programme.pk, reason=""
            )
        ).field
        == "reason"
    )
    assert (
        refused(
            lambda: age_exception_grant(
                actor=world.coordinator,
                learner_id=young.pk,
                programme_id=world.programme.pk,
                reason="Exceptional talent",
            )
        ).kind
        == ErrorKind.FORBIDDEN
    )
    age_exception_grant(
        actor=world.dean,
        learner_id=young.pk,
        programme_id=world.programme.pk,
        reason="Exceptional national olympiad record",
    )
    after = learner_evaluation(young.pk, world.programme.pk).apelm
    assert after.age_ok and after.age_exception
    assert AuditEvent.objects.filter(action="transfer.age_exception", comment__contains="olympiad").exists()


@pytest.fixture
def young_application(world):
    """An open application by a learner born in 2008: under the APEL.M age for a bachelor's."""
    young = builders.enrol.learner(nric="080101-13-5001")
    claim = builders.outside(young, "CSC3013")
    application = application_submit(actor=young, programme_id=world.programme.pk, claims=[Claim(claim.ref, "TMN3013")])
    return application


def _stored_apelm(application):
    application.refresh_from_db()
    return stored_result(application.result)[1]


def test_an_age_exception_granted_then_revoked_changes_the_open_application(world, young_application):
    # DOMAIN R-AP-4: the exception is the university's, with a reason; revoking it (with a reason)
    # applies the minimum age again, and the application under review says so at once.
    learner_id = young_application.learner_id
    assert not _stored_apelm(young_application).age_ok
    granted = age_exception_grant(
        actor=world.dean, learner_id=learner_id, programme_id=world.programme.pk, reason="National olympiad medal"
    )
    assert _stored_apelm(young_application).age_ok and _stored_apelm(young_application).age_exception

    age_exception_revoke(actor=world.admin, exception_id=granted.pk, reason="The medal could not be confirmed")
    apelm = _stored_apelm(young_application)
    assert not apelm.age_ok and not apelm.age_exception and "apelm_too_young" in apelm.reasons
    kept = AgeException.objects.get(pk=granted.pk)
    assert kept.revoked_at is not None and kept.revoked_by == world.admin
    assert kept.revoke_reason == "The medal could not be confirmed"
    event = AuditEvent.objects.get(action="transfer.age_exception_revoke", object_id=str(granted.pk))
    assert event.actor == world.admin and "could not be confirmed" in event.comment
    # Revoked, never deleted; a later exception may be granted again.
    again = age_exception_grant(
        actor=world.dean, learner_id=learner_id, programme_id=world.programme.pk, reason="Medal confirmed by MOE"
    )
    assert again.pk != granted.pk and AgeException.objects.filter(learner_id=learner_id).count() == 2


def test_a_decided_application_keeps_the_age_answer_it_was_decided_on(world, young_application):
    granted = age_exception_grant(
        actor=world.dean,
        learner_id=young_application.learner_id,
        programme_id=world.programme.pk,
        reason="National olympiad medal",
    )
    application_transition(actor=young_application.learner, application=young_application, action="withdraw")
    age_exception_revoke(actor=world.dean, exception_id=granted.pk, reason="The medal could not be confirmed")
    assert _stored_apelm(young_application).age_ok


def test_revoking_an_age_exception_is_refused_with_the_reason(world, young_application):
    # DOMAIN R-AP-4: only the Dean of the programme's PTj or CFLEX, with a reason, once.
    granted = age_exception_grant(
        actor=world.dean,
        learner_id=young_application.learner_id,
        programme_id=world.programme.pk,
        reason="National olympiad medal",
    )
    other_ptj = PTj.objects.create(code="FENG", name="Faculty of Engineering")
    for who in (world.coordinator, young_application.learner, user_with_role(Role.DEAN, ptj=other_ptj)):
        error = refused(
            lambda who=who: age_exception_revoke(actor=who, exception_id=granted.pk, reason="No longer justified")
        )
        assert (error.code, error.kind) == ("transfer_forbidden", ErrorKind.FORBIDDEN)
    error = refused(lambda: age_exception_revoke(actor=world.dean, exception_id=granted.pk, reason="  no  "))
    assert (error.code, error.field, error.kind) == ("reason_required", "reason", ErrorKind.INVALID)
    error = refused(lambda: age_exception_revoke(actor=world.dean, exception_id=granted.pk + 999, reason="x" * 12))
    assert error.kind == ErrorKind.NOT_FOUND
    # Nothing changed by the refusals.
    assert AgeException.objects.get(pk=granted.pk).revoked_at is None
    assert _stored_apelm(young_application).age_ok
    assert not AuditEvent.objects.filter(action="transfer.age_exception_revoke").exists()

    age_exception_revoke(actor=world.dean, exception_id=granted.pk, reason="The medal could not be confirmed")
    error = refused(lambda: age_exception_revoke(actor=world.dean, exception_id=granted.pk, reason="Again, twice"))
    assert (error.code, error.kind) == ("age_exception_revoked", ErrorKind.CONFLICT)


def test_other_apps_read_credit_transfer_through_its_api(world, submitted):
    from transfer.api import applications_for_learner, transfer_estimate

    (decision,) = applications_for_learner(world.learner.pk)
    assert (decision.programme_code, decision.status, decision.credits_transferred) == ("SK99", "coordinator_review", 6)
    estimate = transfer_estimate(world.learner.pk, world.programme.pk)
    assert (estimate.transferred, estimate.remaining, estimate.provisional) == (0, 120, False)  # codes differ: unmapped

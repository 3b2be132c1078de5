"""Issuance: one credential per passing enrolment, serials, idempotence, the signed badge, the
email, re-issue and the CFLEX batch (R-CR-1, R-CR-3)."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from core.errors import ApplicationError
from credentials import ld
from credentials.api import credential_verify_document, credentials_for_learner
from credentials.models import Credential, CredentialStatus, IssuanceRequest, RequestStatus
from credentials.services import (
    credential_issue,
    credential_proof_record,
    credential_reissue,
    credentials_issue,
    issuance_fail,
    issuance_retry_failed,
)
from enrolment.models import LearnerProfile
from tests.credentials.builders import approved_offering, issued
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db


def test_one_credential_per_passing_learner_only():
    # DOMAIN R-CR-1: every passing learner, and only they.
    offering, enrolments = approved_offering(passing=2, failing=1)
    requests = list(IssuanceRequest.objects.filter(offering_id=offering.pk))
    assert sorted(r.enrolment_id for r in requests) == sorted(e.pk for e in enrolments[:2])
    for request in requests:
        credential_issue(request_id=request.pk)
    credentials = Credential.objects.filter(offering_id=offering.pk)
    assert credentials.count() == 2
    assert {c.learner_id for c in credentials} == {e.learner_id for e in enrolments[:2]}
    assert all(r.status == RequestStatus.ISSUED for r in IssuanceRequest.objects.filter(offering_id=offering.pk))


def test_serial_and_verification_id_shapes():
    credential = issued()
    assert re.fullmatch(rf"UNIMAS-MC-{credential.issued_at.year}-\d{{6}}", credential.serial)
    assert credential.verification_id.version == 4
    assert credential.facts["serial"] == credential.serial
    assert credential.document["serialNumber"] == credential.serial


def test_issuing_twice_issues_once():
    # A retried or duplicated task never issues twice.
    offering, _ = approved_offering()
    request = IssuanceRequest.objects.get(offering_id=offering.pk)
    first = credential_issue(request_id=request.pk)
    second = credential_issue(request_id=request.pk)
    assert first.pk == second.pk
    assert Credential.objects.filter(enrolment_id=request.enrolment_id).count() == 1


@pytest.mark.parametrize("size", [2, 4])
def test_issuing_a_chunk_takes_the_same_statements_whatever_its_size(size, django_assert_num_queries, monkeypatch):
    # Issue 15, decision 0240: lock the chunk's requests (with any credential already issued),
    # their awards in one query, the status list they point into, one INSERT of the complete
    # credentials, the requests marked issued, the audit events in one INSERT. The course is read
    # once per batch; on PostgreSQL the credentials' ids are reserved 100 at a time.
    from django.db import connection

    from credentials.services import issuance

    monkeypatch.setattr(issuance, "_credential_ids", issuance._ReservedIds())
    offering, _ = approved_offering(passing=size + 1)
    first, *chunk = IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk")
    credential_issue(request_id=first.pk)  # reads the course and reserves ids
    # SAVEPOINT and RELEASE (the test's own transaction makes atomic a savepoint) are two more.
    # SQLite has no sequence to reserve from: it inserts each credential, then completes them all.
    expected = 8 if connection.vendor == "postgresql" else 8 + size
    with django_assert_num_queries(expected):
        results = credentials_issue(request_ids=[r.pk for r in chunk])
    assert sorted(results) == sorted(r.pk for r in chunk)
    for credential in results.values():
        assert isinstance(credential, Credential)
        credential.refresh_from_db()
        assert credential.serial.endswith(f"{credential.pk:06d}")
        assert credential_verify_document(credential.document).verdict == "valid"
        assert AuditEvent.objects.filter(action="credential.issue", object_id=str(credential.pk)).count() == 1
    assert set(IssuanceRequest.objects.filter(pk__in=results).values_list("status", flat=True)) == {
        RequestStatus.ISSUED
    }


def test_a_chunk_issued_twice_leaves_one_result_and_refuses_only_the_enrolment_that_did_not_pass():
    # DOMAIN R-CR-1: a redelivered chunk (or one overlapping a request sent again) issues nothing
    # twice; an enrolment that no longer passes is refused by itself, the rest are issued.
    from enrolment.models import Enrolment

    offering, _ = approved_offering(passing=3)
    requests = list(IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk"))
    Enrolment.objects.filter(pk=requests[1].enrolment_id).update(passed=False)
    ids = [r.pk for r in requests]
    first = credentials_issue(request_ids=ids)
    refused = first[requests[1].pk]
    assert isinstance(refused, ApplicationError) and refused.code == "not_passed"
    assert not Credential.objects.filter(enrolment_id=requests[1].enrolment_id).exists()
    again = credentials_issue(request_ids=list(reversed(ids)))
    assert again[requests[0].pk].pk == first[requests[0].pk].pk
    assert again[requests[2].pk].pk == first[requests[2].pk].pk
    assert Credential.objects.filter(offering_id=offering.pk).count() == 2
    assert AuditEvent.objects.filter(action="credential.issue").count() == 2
    with pytest.raises(ApplicationError) as error:
        credential_issue(request_id=requests[1].pk)
    assert error.value.code == "not_passed"


def test_the_issuing_task_marks_a_refused_request_failed_and_issues_the_rest():
    from credentials.tasks import credential_issue_task
    from enrolment.models import Enrolment

    offering, _ = approved_offering(passing=2)
    passing, refused = IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk")
    Enrolment.objects.filter(pk=refused.enrolment_id).update(passed=False)
    assert credential_issue_task([passing.pk, refused.pk]) == 1
    passing.refresh_from_db()
    refused.refresh_from_db()
    assert (passing.status, passing.attempts) == (RequestStatus.ISSUED, 1)
    assert (refused.status, refused.attempts) == (RequestStatus.FAILED, 1)
    assert refused.last_error.startswith("not_passed:")


def test_database_refuses_a_second_credential_for_one_enrolment():
    credential = issued()
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(
            request=credential.request,
            enrolment_id=credential.enrolment_id,
            generation=1,
            offering_id=credential.offering_id,
            learner=credential.learner,
            serial="UNIMAS-MC-2026-999999",
            course_code="X",
            course_title="X",
            credits=1,
            grade="A",
            facts={},
        )


def test_serials_are_unique_and_never_reused():
    offering, _ = approved_offering(passing=3)
    serials = [
        credential_issue(request_id=r.pk).serial for r in IssuanceRequest.objects.filter(offering_id=offering.pk)
    ]
    assert len(set(serials)) == 3
    numbers = sorted(int(s.rsplit("-", 1)[1]) for s in serials)
    assert numbers == sorted(set(numbers))


def test_badge_is_an_open_badge_signed_with_eddsa_rdfc_2022():
    # DOMAIN R-CR-3
    credential = issued(checked=False)
    doc = credential.document
    assert doc["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"]["id"] == ld.portal_did()
    assert doc["issuer"]["id"].startswith("did:web:")
    assert doc["proof"]["type"] == "DataIntegrityProof"
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert doc["proof"]["verificationMethod"].startswith(ld.portal_did() + "#")
    subject = doc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    email = next(i for i in subject["identifier"] if i["identityType"] == "emailAddress")
    assert email["hashed"] is True and email["identityHash"].startswith("sha256$")
    assert credential.learner.email not in str(doc)
    achievement = subject["achievement"]
    assert achievement["humanCode"] == credential.course_code
    assert Decimal(str(achievement["sltHours"])) > 0 and achievement["creditsAvailable"] > 0
    # DOMAIN R-AF-4 (issue 17): each outcome is the sentence the course page prints, listed in the
    # criteria's narrative too.
    first = "Given a diagram, explain the parts of a computer, correctly, in writing."
    assert (achievement["learningOutcomes"][0]["position"], achievement["learningOutcomes"][0]["outcome"]) == (1, first)
    assert achievement["criteria"]["narrative"].endswith(
        f"The learner is able to:\n\n1. {first}\n2. In a short essay, compare network technologies with three criteria."
    )
    assert {r["value"] for r in subject["result"]} >= {credential.grade}
    # One status entry, as OB 3.0 allows (decision 0122); suspension is the portal's own list.
    assert doc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert doc["credentialStatus"]["statusPurpose"] == "revocation"
    assert doc["credentialSchema"] == [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    result = credential_verify_document(doc)
    assert (result.verdict, result.issuer_is_portal) == ("valid", True)
    # Its proof is checked once, by the render queue after issue (decision 0240), and the result
    # kept for the public page.
    assert credential.signature_checked_at is None
    credential_proof_record(credential)
    credential.refresh_from_db()
    assert credential.signature_checked_at is not None and credential.signature_problem == ""


def test_the_nric_is_nowhere_in_the_credential():
    # DOMAIN R-CR-4
    learner = enrol.learner(nric="880808-13-5123")
    credential = issued(learner=learner)
    text = str(credential.document) + str(credential.facts)
    assert "880808135123" not in text.replace("-", "")
    assert "5123" in credential.facts["identity_masked"]


def test_learner_is_emailed_once_when_ready(django_capture_on_commit_callbacks, settings):
    from core.models import Notification
    from core.services import notification_deliver
    from credentials.services import credential_announce

    credential = issued()
    with django_capture_on_commit_callbacks(execute=False):
        credential_announce(credential_id=credential.pk)
        credential_announce(credential_id=credential.pk)
    notes = Notification.objects.filter(recipient=credential.learner, template="credential_ready")
    assert notes.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        notification_deliver(notification_id=notes.get().pk)
    assert len(mail.outbox) == 1
    assert credential.serial in mail.outbox[0].body
    assert f"/verify/{credential.verification_id}/" in mail.outbox[0].body


def test_reissue_after_name_correction_revokes_the_old_with_a_pointer():
    learner = enrol.learner()
    credential = issued(learner=learner)
    LearnerProfile.objects.filter(user=learner).update(legal_name="Siti Nur Aisyah Binti Ahmad")
    admin = enrol.cflex_admin()
    new = credential_reissue(actor=admin, credential_id=credential.pk, reason="Name corrected on request")
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    assert credential.replaced_by == new
    assert new.generation == 2 and new.serial != credential.serial
    assert new.facts["learner_name"] == "Siti Nur Aisyah Binti Ahmad"
    assert new.document["replaces"].endswith(f"/verify/{credential.verification_id}/credential.json")
    assert credential_verify_document(credential.document).verdict == "revoked"
    assert credential_verify_document(new.document).verdict == "valid"
    with pytest.raises(ApplicationError) as error:
        credential_reissue(actor=admin, credential_id=credential.pk, reason="again")
    assert error.value.code == "already_revoked"
    with pytest.raises(ApplicationError) as error:
        credential_reissue(actor=learner, credential_id=new.pk, reason="mine")
    assert error.value.code == "forbidden"
    assert [c.serial for c in credentials_for_learner(learner.pk)] == [new.serial, credential.serial]


def test_failed_requests_are_retried_by_cflex_only(django_capture_on_commit_callbacks):
    offering, _ = approved_offering()
    request = IssuanceRequest.objects.get(offering_id=offering.pk)
    issuance_fail(request_id=request.pk, error="OperationalError: database went away")
    request.refresh_from_db()
    assert request.status == RequestStatus.FAILED
    with pytest.raises(ApplicationError) as error:
        issuance_retry_failed(actor=enrol.instructor(), batch_id=request.batch_id)
    assert error.value.code == "forbidden"
    with django_capture_on_commit_callbacks() as queued:
        assert issuance_retry_failed(actor=enrol.cflex_admin(), batch_id=request.batch_id) == 1
    assert len(queued) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert AuditEvent.objects.for_object(request).filter(action="credential.retry").exists()


def test_verification_ids_are_not_sequential():
    approved_offering(passing=2)
    ids = [credential_issue(request_id=r.pk).verification_id for r in IssuanceRequest.objects.all()]
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    assert ids[0] != ids[1]


def test_senate_approval_requests_every_credential_in_one_go_and_once(django_capture_on_commit_callbacks, monkeypatch):
    # DOMAIN R-CR-1: a second call (a retried approval) makes nothing new; the tasks go out in id
    # order after commit, which the stale sweep relies on, ISSUE_CHUNK requests a task (decision 0240).
    from credentials import tasks
    from credentials.api import credential_issue_requests
    from credentials.data import CredentialAsk
    from credentials.services import issuance

    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.credential_issue_task, "apply_async", lambda args, **_: sent.append(args[0]))
    monkeypatch.setattr(issuance, "ISSUE_CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        offering, enrolments = approved_offering(passing=3, failing=1)
    requests = list(IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk"))
    assert sent == [[requests[0].pk, requests[1].pk], [requests[2].pk]] and len(requests) == 3
    assert (
        AuditEvent.objects.filter(action="credential.request", object_id__in=[str(r.pk) for r in requests]).count() == 3
    )
    asks = [
        CredentialAsk(e.pk, e.learner_id, Decimal("80"), "A", requests[0].policy_version_id) for e in enrolments[:3]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        again = credential_issue_requests(
            actor=enrol.cflex_admin(),
            offering_id=offering.pk,
            course_code=offering.course_code,
            course_title=offering.course_title,
            asks=asks,
        )
    assert again == 0 and IssuanceRequest.objects.filter(offering_id=offering.pk).count() == 3
    assert len(sent) == 2


def test_the_mms_states_the_approved_courses_entry_requirements_not_the_offerings_statements():
    # DOMAIN R-CR-2 (issue 17): "Enrolment requirements" is the course's approved entry requirement.
    from credentials.services import credential_issue
    from enrolment.models import Offering

    offering, _ = approved_offering()
    Offering.objects.filter(pk=offering.pk).update(minimum_requirements="I can use a computer\nI am 18 or older")
    request = IssuanceRequest.objects.get(offering_id=offering.pk)
    credential = credential_issue(request_id=request.pk)
    assert credential.facts["enrolment_requirements"] == "SPM or equivalent."

"""R-CR-7: after a learner's first credential the legal name changes only through a request with
an identity document that CFLEX decides; approval re-issues the credentials through the one
re-issue path (old revoked with a pointer). Every step audited; the learner is told."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import ApplicationError
from core.models import Notification
from credentials.api import credential_verify_document
from credentials.models import Credential, CredentialStatus
from enrolment.models import LearnerProfile, NameChangeRequest
from enrolment.policies import evidence_kind
from enrolment.services import learner_profile_save, name_change_decide, name_change_request
from tests.credentials.builders import issued
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW = "Siti Nur Aisyah Binti Ahmad"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


def _doc(name: str = "ic.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


NRIC = "900101-13-0042"


def _save_profile(learner, name: str) -> None:
    learner_profile_save(
        actor=learner,
        legal_name=name,
        identity_kind="nric",
        identity_number=NRIC,
        nationality="",
        birth_date=None,
        phone="+60 12-345 6789",
        pdpa_consent=True,
    )


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (PDF, "ic.pdf", "pdf"),
        (b"\x89PNG\r\n\x1a\n0000", "ic.png", "png"),
        (b"\xff\xd8\xff\xe0", "ic.JPG", "jpeg"),
        (PDF, "ic.png", None),  # the name claims an image, the bytes say PDF
        (b"<html><script>", "ic.pdf", None),  # the name claims PDF, the bytes are markup
    ],
)
def test_evidence_is_judged_by_content(head, name, kind):
    assert evidence_kind(head, name=name) == kind


def test_direct_edit_of_the_legal_name_is_refused_after_the_first_credential(client):
    # DOMAIN R-CR-7
    learner = enrol.learner(nric=NRIC)
    _save_profile(learner, "Before Any Credential")  # no credential yet: a plain edit works
    issued(learner=learner)
    with pytest.raises(ApplicationError) as error:
        _save_profile(learner, NEW)
    assert error.value.code == "legal_name_locked" and error.value.field == "legal_name"
    assert LearnerProfile.objects.get(user=learner).legal_name == "Before Any Credential"
    _save_profile(learner, "Before Any Credential")  # other fields still save with the same name
    # The page refuses too, in the page.
    client.force_login(learner)
    response = client.post(
        reverse("learner-profile"),
        {
            "legal_name": NEW,
            "identity_kind": "nric",
            "identity_number": NRIC,
            "phone": "+60 12-345 6789",
            "pdpa_consent": "on",
        },
    )
    assert response.status_code == 409
    assert LearnerProfile.objects.get(user=learner).legal_name == "Before Any Credential"
    assert reverse("name-change") in client.get(reverse("learner-profile")).content.decode()


def test_approved_name_change_reissues_with_the_new_name(client, django_capture_on_commit_callbacks):
    # DOMAIN R-CR-7
    learner = enrol.learner()
    old = issued(learner=learner)
    client.force_login(learner)
    response = client.post(reverse("name-change"), {"new_name": NEW, "reason": "Spelling", "evidence": _doc()})
    assert response.status_code == 302
    request = NameChangeRequest.objects.get(user=learner)
    assert (
        request.status == "pending" and request.evidence_kind == "pdf" and request.old_name == old.facts["learner_name"]
    )
    assert not request.evidence.name.endswith("ic.pdf")  # stored under a random name
    # A second open request is refused.
    with pytest.raises(ApplicationError) as error:
        name_change_request(actor=learner, new_name="Another Name", reason="", evidence=_doc())
    assert error.value.code == "name_change_pending"

    admin = enrol.cflex_admin()
    with django_capture_on_commit_callbacks(execute=False):
        name_change_decide(actor=admin, request_id=request.pk, approve=True, comment="Matches the passport")
    request.refresh_from_db()
    old.refresh_from_db()
    assert request.status == "approved" and request.reissued == 1
    assert LearnerProfile.objects.get(user=learner).legal_name == NEW
    new = Credential.objects.get(replaces=old)
    assert old.status == CredentialStatus.REVOKED and old.replaced_by == new
    assert new.facts["learner_name"] == NEW
    names = [i["identityHash"] for i in new.document["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names == [NEW]
    assert credential_verify_document(new.document).verdict == "valid"
    assert credential_verify_document(old.document).verdict == "revoked"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "name_change.request",
        "name_change.approve",
        "learner_profile.name_change",
        "credential.reissue",
    } <= actions
    note = Notification.objects.get(recipient=learner, template="name_change_decided")
    assert note.context["approved"] is True and note.context["reissued"] == 1
    # Decided once.
    with pytest.raises(ApplicationError) as error:
        name_change_decide(actor=admin, request_id=request.pk, approve=False, comment="no")
    assert error.value.code == "name_change_decided"


def test_refusal_needs_a_comment_and_changes_nothing():
    learner = enrol.learner()
    credential = issued(learner=learner)
    request = name_change_request(actor=learner, new_name=NEW, reason="", evidence=_doc())
    admin = enrol.cflex_admin()
    with pytest.raises(ApplicationError) as error:
        name_change_decide(actor=admin, request_id=request.pk, approve=False, comment=" ")
    assert error.value.code == "comment_required"
    name_change_decide(actor=admin, request_id=request.pk, approve=False, comment="The document is unreadable")
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE
    assert LearnerProfile.objects.get(user=learner).legal_name != NEW
    assert Notification.objects.filter(recipient=learner, template="name_change_decided").count() == 1


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (None, "evidence_required"),
        (SimpleUploadedFile("ic.pdf", b"<svg onload=alert(1)>", content_type="application/pdf"), "evidence_type"),
    ],
)
def test_bad_evidence_is_refused_by_field(upload, code):
    learner = enrol.learner()
    with pytest.raises(ApplicationError) as error:
        name_change_request(actor=learner, new_name=NEW, reason="", evidence=upload)
    assert error.value.code == code and error.value.field == "evidence"
    assert not NameChangeRequest.objects.exists()


def test_only_cflex_decides_and_only_owner_and_cflex_see_the_evidence(client):
    learner = enrol.learner()
    request = name_change_request(actor=learner, new_name=NEW, reason="", evidence=_doc())
    other = enrol.learner()
    with pytest.raises(ApplicationError) as error:
        name_change_decide(actor=learner, request_id=request.pk, approve=True, comment="")
    assert error.value.code == "name_change_not_found"
    evidence = reverse("name-change-evidence", args=[request.pk])
    client.force_login(other)
    assert client.get(evidence).status_code == 404
    assert client.get(reverse("name-change-detail", args=[request.pk])).status_code == 404
    assert client.get(reverse("name-change-queue")).status_code == 404
    client.force_login(learner)
    response = client.get(evidence)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(enrol.cflex_admin())
    assert client.get(evidence).status_code == 200
    assert NEW in client.get(reverse("name-change-queue")).content.decode()
    response = client.post(reverse("name-change-detail", args=[request.pk]), {"decision": "refuse", "comment": ""})
    assert response.status_code == 400
    response = client.post(reverse("name-change-detail", args=[request.pk]), {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).legal_name == NEW

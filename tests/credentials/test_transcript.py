"""Signed transcripts of stacked micro-credentials, 1EdTech CLR 2.0 (issue 16): made by the
learner from their own valid credentials, verified by the one verdict and by the independent
verifier (and a tampered copy fails in both), shared by an unguessable link with a public page
and a PDF, audited, and taken by credit transfer as evidence that counts its credentials."""

from __future__ import annotations

import copy
import io
import json
import subprocess
from decimal import Decimal

import pypdf
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import ApplicationError, ErrorKind
from credentials import ld
from credentials.models import Transcript
from credentials.services import (
    credential_status_change,
    credential_verify_document,
    transcript_create,
    transcript_withdraw,
)
from tests.credentials.builders import issued
from tests.credentials.independent import independent_verdict
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two():
    learner = enrol.learner()
    first = issued(learner=learner, title="Micro-Credential in Data Basics")
    second = issued(learner=learner, title="Micro-Credential in Sensor Networks")
    return learner, first, second


def test_a_transcript_is_a_signed_clr_that_verifies_and_a_tampered_copy_fails(client, two):
    learner, first, second = two
    transcript = transcript_create(actor=learner, credential_ids=[first.pk, second.pk], title="For my diploma")
    document = transcript.document
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert ld.CLR_V2 in document["@context"]
    embedded = document["credentialSubject"]["verifiableCredential"]
    assert embedded == [first.document, second.document]  # exactly as signed, each still verifiable
    expected_credits = first.credits + second.credits
    assert Decimal(str(document["credentialSubject"]["creditsTotal"])) == expected_credits == transcript.credits

    result = credential_verify_document(document)
    assert (result.verdict, result.issuer_is_portal, result.embedded_count) == ("valid", True, 2)
    assert result.credits == expected_credits and result.slt_hours == transcript.slt_hours > 0
    assert independent_verdict(document, client.get) == "valid"

    changed_grade = copy.deepcopy(document)
    changed_grade["credentialSubject"]["verifiableCredential"][1]["credentialSubject"]["result"][0]["value"] = "A+"
    changed_total = copy.deepcopy(document)
    changed_total["credentialSubject"]["creditsTotal"] = 99
    dropped = copy.deepcopy(document)
    dropped["credentialSubject"]["verifiableCredential"].pop()
    for tampered in (changed_grade, changed_total, dropped):
        assert credential_verify_document(tampered).verdict == "invalid"
        assert independent_verdict(tampered, client.get).startswith("invalid")
    # The API answers for a transcript too.
    answer = client.post(reverse("api-credential-verify"), document, content_type="application/json").json()
    assert (answer["verdict"], answer["embedded_count"]) == ("valid", 2)

    # A credential inside it revoked afterwards: the transcript no longer stands, for both verifiers.
    credential_status_change(actor=enrol.cflex_admin(), credential_id=second.pk, action="revoke", reason="Error")
    result = credential_verify_document(document)
    assert result.verdict == "revoked" and "2" in result.reason
    assert independent_verdict(document, client.get).startswith("revoked")


def test_only_the_learners_own_valid_credentials_go_in(two):
    learner, first, second = two
    someone_else = issued()
    with pytest.raises(ApplicationError) as error:
        transcript_create(actor=learner, credential_ids=[first.pk, someone_else.pk])
    assert (error.value.code, error.value.kind) == ("credential_not_found", ErrorKind.NOT_FOUND)
    with pytest.raises(ApplicationError) as error:
        transcript_create(actor=learner, credential_ids=[])
    assert (error.value.code, error.value.field) == ("credentials_required", "credentials")
    credential_status_change(actor=enrol.cflex_admin(), credential_id=second.pk, action="suspend", reason="Check")
    with pytest.raises(ApplicationError) as error:
        transcript_create(actor=learner, credential_ids=[first.pk, second.pk])
    assert (error.value.code, error.value.kind) == ("credential_not_active", ErrorKind.CONFLICT)
    assert not Transcript.objects.exists()


def test_the_learner_makes_shares_and_withdraws_a_transcript(client, two, tmp_path):
    learner, first, second = two
    client.force_login(learner)
    page = client.get(reverse("credentials:transcripts"))
    assert page.status_code == 200 and first.serial in page.content.decode()
    response = client.post(
        reverse("credentials:transcripts"), {"title": "For Syarikat Maju", "credentials": [first.pk, second.pk]}
    )
    transcript = Transcript.objects.get(learner=learner)
    assert response.status_code == 302
    assert response["Location"] == reverse("credentials:transcript", args=[transcript.share_token])
    assert len(transcript.share_token) >= 32  # 192 random bits: a link nobody can guess
    event = AuditEvent.objects.get(action="transcript.create")
    assert event.actor == learner and event.data["credentials"] == [first.serial, second.serial]

    client.logout()  # the share link is public
    html = client.get(reverse("credentials:transcript", args=[transcript.share_token])).content.decode()
    assert "Valid credential, issued by UNIMAS" in html and "For Syarikat Maju" in html
    assert str(transcript.credits) in html and first.course_code in html and second.course_code in html
    as_json = client.get(reverse("credentials:transcript_json", args=[transcript.share_token])).json()
    assert as_json == transcript.document
    pdf = client.get(reverse("credentials:transcript_pdf", args=[transcript.share_token]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "transcript.pdf"
    path.write_bytes(pdf.content)
    listing = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert "clr.json" in listing
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert json.loads(reader.attachments["clr.json"][0]) == transcript.document
    assert 'pdfaid:part="3"' in reader.xmp_metadata.rdf_root.toxml()

    assert client.get(reverse("credentials:transcript", args=["x" * 32])).status_code == 404
    # Another learner cannot withdraw it (404), the owner can; then the link is gone.
    client.force_login(enrol.learner())
    assert client.post(reverse("credentials:transcript_withdraw", args=[transcript.pk])).status_code == 404
    with pytest.raises(ApplicationError):
        transcript_withdraw(actor=enrol.learner(), transcript_id=transcript.pk)
    client.force_login(learner)
    assert client.post(reverse("credentials:transcript_withdraw", args=[transcript.pk])).status_code == 302
    for name in ("transcript", "transcript_json", "transcript_pdf"):
        assert client.get(reverse(f"credentials:{name}", args=[transcript.share_token])).status_code == 404


def test_a_form_naming_another_persons_credential_is_404(client, two):
    learner, first, _second = two
    other = issued()
    client.force_login(learner)
    response = client.post(reverse("credentials:transcripts"), {"credentials": [first.pk, other.pk]})
    assert response.status_code == 400  # not one of the offered choices: the form refuses it
    assert not Transcript.objects.exists()


def test_credit_transfer_takes_a_transcript_as_evidence_and_counts_its_credentials(two):
    """A CLR from another provider (a did:key issuer embedding two of its badges): kept as
    unverified evidence (its status cannot be checked here), with both credentials counted and
    their credits added up; a tampered one is refused."""
    from tests.transfer import builders as transfer

    learner, first, second = two
    outside_key = ld.SigningKey.generate("partner")
    badges = [transfer.outside_badge(c.document, credits=2) for c in (first, second)]
    document = copy.deepcopy(transcript_create(actor=learner, credential_ids=[first.pk, second.pk]).document)
    del document["proof"]
    document["issuer"]["id"] = ld.did_key_for(outside_key.public_key)
    document["credentialSubject"]["verifiableCredential"] = badges
    document["credentialSubject"]["creditsTotal"] = 4
    signed = ld.sign(
        document, key=outside_key, verification_method=ld.did_key_verification_method(outside_key.public_key)
    )

    def upload(doc: dict) -> SimpleUploadedFile:
        return SimpleUploadedFile("transcript.json", json.dumps(doc).encode(), content_type="application/json")

    prior = transfer.outside(learner, "OUX201", kind="samc", credits=4, evidence=upload(signed))
    assert prior.evidence_kind == "badge" and prior.verification == "unverified"
    assert prior.verification_data["embedded_credentials"] == 2
    assert prior.verification_data["credits"] == "4"
    assert [part["verdict"] for part in prior.verification_data["embedded"]] == ["other_issuer", "other_issuer"]
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = "Forged"
    with pytest.raises(ApplicationError) as error:
        transfer.outside(learner, "OUX202", kind="samc", credits=4, evidence=upload(tampered))
    assert error.value.code == "badge_invalid"

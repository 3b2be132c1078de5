"""Credential pages and documents: public verification, uploads, the wallet, downloads, CFLEX
actions and batches, DID document, context and status lists, commands."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from credentials import ld
from credentials.models import Credential, CredentialStatus, IssuanceRequest, RequestStatus, VerificationHit
from credentials.services import credential_issue, credential_status_change, issuance_fail, verification_counts_flush
from tests.credentials.builders import approved_offering, issued
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db
NRIC = "910214-13-5678"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def holder():
    return enrol.learner(nric=NRIC)


@pytest.fixture
def credential(holder):
    return issued(learner=holder)


@pytest.fixture
def admin():
    return enrol.cflex_admin()


def _page(client, credential):
    return client.get(reverse("credentials:verify", args=[credential.verification_id]))


# --- public verification page --------------------------------------------------------------------
def test_verification_page_needs_no_login_and_says_valid(client, credential):
    response = _page(client, credential)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid credential" in html
    assert credential.serial in html
    assert credential.facts["learner_name"] in html
    assert credential.course_code in html
    assert "htmx" not in html and "<script" not in html  # light: no script on the page a phone opens
    assert not VerificationHit.objects.exists()  # counted in the cache, not in a shared row
    assert verification_counts_flush() == 1
    assert VerificationHit.objects.get(channel="page").count == 1


def test_verification_page_masks_the_nric(client, credential):
    # DOMAIN R-CR-4
    html = _page(client, credential).content.decode()
    digits = re.sub(r"\D", "", html)
    assert NRIC.replace("-", "") not in digits
    assert NRIC not in html
    assert "********5678" in html


def test_credential_json_has_no_nric_and_is_the_signed_document(client, credential):
    # DOMAIN R-CR-4
    response = client.get(reverse("credentials:verify_json", args=[credential.verification_id]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    body = response.content.decode()
    assert NRIC.replace("-", "") not in re.sub(r"\D", "", body)
    assert json.loads(body) == credential.document
    verification_counts_flush()
    assert VerificationHit.objects.get(channel="json").count == 1


def test_revoked_page_gives_reason_and_date(client, credential, admin):
    # DOMAIN R-CR-5
    credential_status_change(actor=admin, credential_id=credential.pk, action="revoke", reason="Results annulled")
    html = _page(client, credential).content.decode()
    assert "Revoked" in html and "Results annulled" in html
    assert "Valid credential" not in html


def test_suspended_page(client, credential, admin):
    credential_status_change(actor=admin, credential_id=credential.pk, action="suspend", reason="Appeal pending")
    html = _page(client, credential).content.decode()
    assert "Suspended" in html and "Appeal pending" in html


def test_unknown_ids_are_404_and_not_enumerable(client, credential):
    assert client.get(reverse("credentials:verify", args=[uuid.uuid4()])).status_code == 404
    assert client.get(f"/verify/{credential.pk}/").status_code == 404
    assert client.get(f"/verify/{credential.serial}/").status_code == 404


def test_verification_is_limited_per_credential_not_per_address(client, credential, settings, ratelimit_clock):
    # One carrier-NAT address checks many credentials: only the credential flooded is limited,
    # across its page and its JSON (decision 0121).
    settings.VERIFY_RATE_PER_CREDENTIAL = "5/m"
    other = issued()
    url = reverse("credentials:verify", args=[credential.verification_id])
    codes = [client.get(url).status_code for _ in range(5)]
    assert codes == [200] * 5
    assert client.get(url).status_code == 429
    json_url = reverse("credentials:verify_json", args=[credential.verification_id])
    refused = client.get(json_url)
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert client.get(reverse("credentials:verify", args=[other.verification_id])).status_code == 200


def test_verification_has_a_global_ceiling(client, credential, settings, ratelimit_clock):
    settings.VERIFY_RATE_GLOBAL = "3/m"
    codes = [client.get(reverse("credentials:verify", args=[uuid.uuid4()])).status_code for _ in range(3)]
    assert codes == [404] * 3  # unknown ids count too: a flood over random ids meets the ceiling
    response = _page(client, credential)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


@pytest.mark.parametrize("accept", ["application/ld+json", "application/vc", "text/html;q=0.5, application/vc+ld+json"])
def test_the_verification_url_gives_a_verifier_the_signed_credential(client, credential, accept):
    response = client.get(reverse("credentials:verify", args=[credential.verification_id]), HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == accept.split(", ")[-1]
    assert json.loads(response.content) == credential.document
    assert "Accept" in response["Vary"]


def test_the_verification_page_names_its_credential_as_an_alternate(client, credential):
    response = client.get(
        reverse("credentials:verify", args=[credential.verification_id]),
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    assert response["Content-Type"].startswith("text/html")
    json_url = reverse("credentials:verify_json", args=[credential.verification_id])
    assert f'<link rel="alternate" type="application/ld+json" href="{json_url}"' in response.content.decode()
    assert "Accept" in response["Vary"]


# --- upload a credential file -------------------------------------------------------------------------
def _upload(client, content: bytes, name="credential.json"):
    upload = SimpleUploadedFile(name, content, content_type="application/json")
    return client.post(reverse("credentials:verify_lookup"), {"file": upload})


def test_upload_of_a_genuine_credential(client, credential):
    response = _upload(client, json.dumps(credential.document).encode())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid credential" in html
    assert reverse("credentials:verify", args=[credential.verification_id]) in html


def test_upload_of_an_altered_credential_says_why(client, credential):
    document = json.loads(json.dumps(credential.document))
    document["credentialSubject"]["result"][0]["value"] = "A+"
    html = _upload(client, json.dumps(document).encode()).content.decode()
    assert "Not valid" in html
    assert "changed" in html


def test_upload_of_a_revoked_credential(client, credential, admin):
    credential_status_change(actor=admin, credential_id=credential.pk, action="revoke", reason="Error")
    assert "Revoked" in _upload(client, json.dumps(credential.document).encode()).content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not json at all", "not JSON"), (b"[1, 2]", "JSON object"), (b"", "Choose a credential file")],
)
def test_bad_uploads_are_400_naming_the_field(client, content, message):
    response = _upload(client, content) if content else client.post(reverse("credentials:verify_lookup"), {})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_paste_json_instead_of_a_file(client, credential):
    response = client.post(reverse("credentials:verify_lookup"), {"text": json.dumps(credential.document)})
    assert "Valid credential" in response.content.decode()


def test_oversized_upload_is_refused(client):
    response = _upload(client, b"{" + b" " * (600 * 1024) + b"}")
    assert response.status_code == 400
    assert "512 KB" in response.content.decode()


# --- documents --------------------------------------------------------------------------------------
def test_did_document_at_well_known(client):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"  # a rotation is seen within a minute
    did = response.json()
    assert did["id"] == ld.portal_did()
    methods = {m["id"] for m in did["verificationMethod"]}
    assert ld.verification_method_id(ld.portal_keys()[0]) in methods
    assert set(did["assertionMethod"]) <= methods


def test_own_context_is_served(client):
    response = client.get(reverse("credentials:context"))
    assert response.status_code == 200
    assert "sltHours" in response.json()["@context"]


def test_status_lists_are_served_signed(client, credential):
    entry = credential.document["credentialStatus"]
    path = entry["statusListCredential"].split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"  # a revocation is seen within a minute
    listed = response.json()
    assert "BitstringStatusListCredential" in listed["type"]
    assert listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert client.get("/credentials/status/revocation/999/").status_code == 404
    assert client.get("/credentials/status/other/0/").status_code == 404


# --- wallet and downloads ---------------------------------------------------------------------------
def test_wallet_lists_downloads_linkedin_and_share_link(client, credential, holder):
    client.force_login(holder)
    html = client.get(reverse("credentials:wallet")).content.decode()
    assert credential.serial in html
    assert reverse("credentials:download", args=[credential.verification_id, "certificate"]) in html
    assert reverse("credentials:download", args=[credential.verification_id, "mms"]) in html
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert f"certId={credential.serial}" in html
    assert "organizationName=Universiti+Malaysia+Sarawak" in html
    assert "organizationId" not in html  # none configured
    assert f"issueYear={credential.issued_at.year}" in html
    assert f"/verify/{credential.verification_id}/" in html


def test_wallet_has_the_badge_thumbnail_and_copy_share_buttons_that_need_no_inline_script(client, credential, holder):
    # Issue 17: the badge image as the thumbnail; copy and share come from js/share.js (no inline
    # script under the CSP) and start hidden; "Email the link" works without JavaScript.
    client.force_login(holder)
    html = client.get(reverse("credentials:wallet")).content.decode()
    thumb = reverse("credentials:badge_svg", args=[credential.course_code])
    assert f'class="credential-thumb" src="{thumb}"' in html
    assert client.get(thumb).status_code == 200
    assert "/static/js/share.js" in html and "<script>" not in html
    assert "data-copy hidden" in html and "data-share hidden" in html
    verify = f"/verify/{credential.verification_id}/"
    mailto = re.search(r'href="(mailto:[^"]+)"', html)
    assert mailto is not None
    assert mailto.group(1).startswith("mailto:?subject=") and quote(verify, safe="") in mailto.group(1)


def test_linkedin_link_has_the_organisation_id_and_the_malaysian_issue_month(client, holder, settings):
    # 20:00 UTC on 31 December is already 1 January in Kuching (UTC+8).
    settings.CREDENTIAL_LINKEDIN_ORGANIZATION_ID = "2401753"
    offering, _ = approved_offering(learners=[holder])
    request = IssuanceRequest.objects.get(offering_id=offering.pk)
    credential_issue(request_id=request.pk, now=datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    client.force_login(holder)
    html = client.get(reverse("credentials:wallet")).content.decode()
    assert "organizationId=2401753" in html
    assert "issueYear=2027&amp;issueMonth=1&amp;" in html


def test_holder_downloads_pdfs_others_get_404(client, credential, holder, admin):
    url = reverse("credentials:download", args=[credential.verification_id, "certificate"])
    assert client.get(url).status_code == 302  # login first
    client.force_login(enrol.learner())
    assert client.get(url).status_code == 404
    client.force_login(holder)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(admin)
    assert client.get(reverse("credentials:download", args=[credential.verification_id, "mms"])).status_code == 200
    assert client.get(f"/credentials/{credential.verification_id}/other.pdf").status_code == 404


def test_mms_pdf_text_has_masked_identity_only(client, credential, holder, tmp_path):
    # DOMAIN R-CR-4 (the MMS is a credential too)
    client.force_login(holder)
    pdf = client.get(reverse("credentials:download", args=[credential.verification_id, "mms"])).content
    (tmp_path / "mms.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "mms.pdf"), "-"], capture_output=True, text=True).stdout
    assert credential.serial in text
    assert NRIC.replace("-", "") not in re.sub(r"\D", "", text)


# --- CFLEX ------------------------------------------------------------------------------------------
def test_cflex_revokes_from_the_manage_page(client, credential, admin):
    url = reverse("credentials:manage", args=[credential.verification_id])
    client.force_login(admin)
    response = client.post(url, {"action": "revoke", "reason": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = client.post(url, {"action": "revoke", "reason": "Plagiarism"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED


def test_manage_page_is_404_for_everyone_else(client, credential):
    url = reverse("credentials:manage", args=[credential.verification_id])
    for user in (credential.learner, enrol.instructor()):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "revoke", "reason": "x"}).status_code == 404
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE


def test_cflex_reissues_from_the_manage_page(client, credential, admin):
    client.force_login(admin)
    response = client.post(
        reverse("credentials:manage", args=[credential.verification_id]),
        {"reissue": "1", "reissue-reason": "Name fixed"},
    )
    assert response.status_code == 302
    new = Credential.objects.get(replaces=credential)
    assert response["Location"] == reverse("credentials:manage", args=[new.verification_id])
    html = _page(client, credential).content.decode()
    assert new.serial in html  # the old page points to the new credential


def test_batch_progress_page_and_retry(client, admin):
    offering, _ = approved_offering(passing=3)
    requests = list(IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk"))
    credential_issue(request_id=requests[0].pk)
    issuance_fail(request_id=requests[1].pk, error="LookupError: gone")
    client.force_login(admin)
    batch_url = reverse("credentials:batch", args=[requests[0].batch_id])
    html = client.get(batch_url).content.decode()
    assert "1 of 3 issued" in html and "1 failed" in html and "1 waiting" in html
    assert 'hx-trigger="every 2s"' in html  # refreshes itself until finished
    partial = client.get(batch_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "1 of 3 issued" in partial
    assert "LookupError: gone" in html
    response = client.post(reverse("credentials:batch_retry", args=[requests[0].batch_id]))
    assert response.status_code == 302
    assert IssuanceRequest.objects.get(pk=requests[1].pk).status == RequestStatus.PENDING
    assert offering.course_code in client.get(reverse("credentials:batches")).content.decode()


def test_batch_pages_are_cflex_only(client):
    offering, _ = approved_offering()
    batch_id = IssuanceRequest.objects.get(offering_id=offering.pk).batch_id
    client.force_login(enrol.instructor())
    assert client.get(reverse("credentials:batch", args=[batch_id])).status_code == 404
    assert client.post(reverse("credentials:batch_retry", args=[batch_id])).status_code == 404
    assert client.get(reverse("credentials:batches")).status_code == 404


def test_cflex_finds_a_credential_by_serial(client, credential, admin):
    client.force_login(admin)
    html = client.get(reverse("credentials:batches"), {"q": credential.serial}).content.decode()
    assert reverse("credentials:manage", args=[credential.verification_id]) in html


# --- management commands ----------------------------------------------------------------------------
def test_credential_export_writes_three_files(credential, tmp_path):
    call_command("credential_export", str(credential.verification_id), "--out", str(tmp_path / "out"))
    out = tmp_path / "out"
    assert (out / "certificate.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "mms.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((out / "credential.json").read_text()) == credential.document


def test_credential_revoke_command(credential):
    call_command("credential_revoke", str(credential.verification_id), "--reason", "Withdrawn by Senate")
    credential.refresh_from_db()
    assert (credential.status, credential.status_reason) == (CredentialStatus.REVOKED, "Withdrawn by Senate")
    with pytest.raises(CommandError, match="revoked"):
        call_command("credential_revoke", str(credential.verification_id), "--reason", "again")
    with pytest.raises(CommandError, match="No credential"):
        call_command("credential_revoke", "not-a-uuid", "--reason", "x")

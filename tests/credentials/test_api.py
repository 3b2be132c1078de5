"""The credentials API: public verification (throttled), the learner's list, CFLEX status
changes and batch progress; named 4xx errors."""

from __future__ import annotations

import copy
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from credentials.models import CredentialStatus, IssuanceRequest
from tests.credentials.builders import approved_offering, issued
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def credential():
    return issued()


def test_public_verify_of_a_posted_document(client, credential):
    url = reverse("api-credential-verify")
    answer = client.post(url, credential.document, content_type="application/json").json()
    assert answer["verdict"] == "valid" and answer["issuer_is_portal"] is True
    assert answer["verification_id"] == str(credential.verification_id)
    altered = copy.deepcopy(credential.document)
    altered["credentialSubject"]["achievement"]["name"] = "Something else"
    answer = client.post(url, altered, content_type="application/json").json()
    assert answer["verdict"] == "invalid" and "changed" in answer["reason"]


def test_verify_needs_a_json_object(client):
    response = client.post(reverse("api-credential-verify"), [1, 2], content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_a_credential"


def test_public_status_by_id(client, credential):
    answer = client.get(reverse("api-credential-status", args=[credential.verification_id])).json()
    assert answer["verdict"] == "valid"
    missing = client.get(reverse("api-credential-status", args=[uuid.uuid4()]))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "credential_not_found"


def test_verification_api_is_limited_per_credential_with_its_page(client, credential, settings, ratelimit_clock):
    # The API and the page count against the same per-credential limit (decision 0121).
    settings.VERIFY_RATE_PER_CREDENTIAL = "4/m"
    url = reverse("api-credential-status", args=[credential.verification_id])
    assert [client.get(url).status_code for _ in range(3)] == [200] * 3
    assert client.get(reverse("credentials:verify", args=[credential.verification_id])).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "throttled"
    assert client.get(reverse("api-credential-status", args=[issued().verification_id])).status_code == 200


def test_posted_documents_are_limited_per_address(client, credential, settings, ratelimit_clock):
    settings.VERIFY_UPLOAD_RATE_PER_ADDRESS = "2/m"
    url = reverse("api-credential-verify")
    codes = [client.post(url, credential.document, content_type="application/json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_learner_lists_own_credentials_only(client, credential):
    other = issued()
    client.force_login(credential.learner)
    rows = client.get(reverse("api-my-credentials")).json()
    assert [r["serial"] for r in rows] == [credential.serial]
    assert other.serial not in str(rows)
    assert rows[0]["verification_url"].endswith(f"/verify/{credential.verification_id}/")


def test_cflex_changes_status_others_get_404(client, credential):
    url = reverse("api-credential-status-change", args=[credential.verification_id])
    client.force_login(credential.learner)
    assert client.post(url, {"action": "revoke", "reason": "x"}, content_type="application/json").status_code == 404
    client.force_login(enrol.cflex_admin())
    response = client.post(url, {"action": "suspend", "reason": ""}, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "reason"
    response = client.post(url, {"action": "suspend", "reason": "Appeal"}, content_type="application/json")
    assert response.json()["status"] == CredentialStatus.SUSPENDED
    response = client.post(url, {"action": "suspend", "reason": "Again"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "bad_status"


def test_batch_progress_for_cflex(client):
    offering, _ = approved_offering(passing=2)
    batch_id = IssuanceRequest.objects.filter(offering_id=offering.pk).values_list("batch_id", flat=True)[0]
    url = reverse("api-credential-batch", args=[batch_id])
    client.force_login(enrol.instructor())
    assert client.get(url).status_code == 404
    client.force_login(enrol.cflex_admin())
    assert client.get(url).json() | {"id": 0} == {
        "id": 0,
        "course_code": offering.course_code,
        "total": 2,
        "done": 0,
        "failed": 0,
        "waiting": 2,
        "finished": False,
        "rendered": 0,
        "all_rendered": False,
    }


@pytest.mark.parametrize("body", [b"{}", b'{"action": "burn", "reason": [[[]]]}', b"not json at all"])
def test_a_status_change_by_whoever_may_not_manage_is_404_whatever_the_body(client, credential, body):
    """Issue 12: revoke / suspend answer 404 to whoever may not manage credentials (the learner,
    an instructor) before the body is read, whatever it holds; never a 400, never a 500."""
    from audit.models import AuditEvent

    url = reverse("api-credential-status-change", args=[credential.verification_id])
    outsiders = (credential.learner, enrol.instructor())
    admin = enrol.cflex_admin()
    events = AuditEvent.objects.count()
    for who in outsiders:
        client.force_login(who)
        refused = client.post(url, body, content_type="application/json")
        assert (refused.status_code, refused.json()["error"]["code"]) == (404, "credential_not_found")
    client.force_login(admin)
    assert client.post(url, body, content_type="application/json").status_code == 400  # now the body counts
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE and AuditEvent.objects.count() == events

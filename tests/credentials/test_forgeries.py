"""Forgeries, as an attacker would make them, one test each. None may be shown green or as issued
by UNIMAS: not by the verdict function, not on the upload page (file and paste), not by the API,
and not by credit transfer's evidence check, which all reach the same verdict (R-CR-3, R-CR-5;
decision 0042, updated by 0121)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials import ld
from credentials.api import credential_verify_document
from credentials.models import StatusList
from credentials.policies import status_position
from credentials.services import credential_status_change
from tests.credentials.builders import issued
from transfer.policies.evidence import badge_verification

pytestmark = pytest.mark.django_db
UNIMAS = "Universiti Malaysia Sarawak (UNIMAS)"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def genuine():
    return issued().document


def _unsigned(document):
    forged = copy.deepcopy(document)
    forged.pop("proof", None)
    return forged


def _signed_by_outsider(document, *, issuer: str | None = None, method: str | None = None):
    """Sign with a key the attacker made: as a did:key, or under whatever issuer / method id."""
    key = ld.SigningKey.generate("key-attacker")
    forged = _unsigned(document)
    forged["issuer"]["id"] = issuer or ld.did_key_for(key.public_key)
    return ld.sign(forged, key=key, verification_method=method or ld.did_key_verification_method(key.public_key))


def _doors(client, document, *, ours: bool = False) -> dict[str, str]:
    """The verdict of every door that takes a document from outside, asserting that none vouches
    for it. ``ours``: the document really is the portal's (signed by its key), only something
    else about it is wrong."""
    body = json.dumps(document)
    verdicts = {"service": credential_verify_document(document).verdict}
    assert credential_verify_document(document).issuer_is_portal is ours
    answer = client.post(reverse("api-credential-verify"), body, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["issuer_is_portal"] is ours
    verdicts["api"] = answer.json()["verdict"]
    upload = SimpleUploadedFile("credential.json", body.encode(), content_type="application/json")
    for door, data in (("file", {"file": upload}), ("paste", {"text": body})):
        html = client.post(reverse("credentials:verify_lookup"), data).content.decode()
        assert "verdict-valid" not in html and 'data-verdict="valid"' not in html
        assert "Valid credential" not in html and "Signed by Universiti Malaysia Sarawak" not in html
        if not ours:
            assert '<dd class="wrap-anywhere">Universiti Malaysia Sarawak' not in html  # the issuer line
        verdicts[door] = html.split('data-verdict="', 1)[1].split('"', 1)[0]
    assert len(set(verdicts.values())) == 1, verdicts  # every door, one verdict
    verdict = verdicts["service"]
    assert verdict != "valid"
    issuer = document["issuer"]["id"]
    assert badge_verification(verdict, issuer=issuer, issuer_is_portal=ours) != "verified"
    return verdicts


def test_a_did_key_issuer_named_unimas_using_the_portals_status_lists(client, genuine):
    forged = _signed_by_outsider(genuine)
    assert forged["issuer"]["name"] == UNIMAS
    assert forged["credentialStatus"]["statusListCredential"].startswith("http://")  # the portal's own list
    _doors(client, forged)
    result = credential_verify_document(forged)
    assert result.verdict == "other_issuer"  # the signature is genuine, the issuer is not UNIMAS
    assert forged["issuer"]["id"] in result.reason
    html = client.post(reverse("credentials:verify_lookup"), {"text": json.dumps(forged)}).content.decode()
    assert "Genuine signature, but not issued by UNIMAS" in html and forged["issuer"]["id"] in html


def test_another_hosts_did_web(client, genuine):
    forged = _signed_by_outsider(genuine, issuer="did:web:unimas-my.example", method="did:web:unimas-my.example#key-1")
    _doors(client, forged)
    result = credential_verify_document(forged)
    assert result.verdict == "invalid" and "cannot be resolved here" in result.reason


def test_a_status_list_issued_by_someone_else_says_nothing(client, genuine):
    # (a) A forger's credential pointing at a revoked entry of the portal's list is not "revoked"
    # by that list (nor valid): the list speaks only for its own issuer.
    victim = issued()
    credential_status_change(actor=None, credential_id=victim.pk, action="revoke", reason="Fraud")
    forged = _unsigned(genuine)
    forged["credentialStatus"] = copy.deepcopy(victim.document["credentialStatus"])
    forged = _signed_by_outsider(forged)
    _doors(client, forged)
    result = credential_verify_document(forged)
    assert result.verdict == "other_issuer"
    assert f"The status list was issued by {ld.portal_did()}" in result.reason
    # (b) The portal's own credential, its list served re-signed by an outsider: not checked.
    position = status_position(victim.pk)
    listed = StatusList.objects.get(purpose="revocation", number=position.number)
    outsider = ld.SigningKey.generate("key-outsider")
    unsigned = {k: v for k, v in listed.signed.items() if k != "proof"}
    unsigned["issuer"] = ld.did_key_for(outsider.public_key)
    unsigned["credentialSubject"]["encodedList"] = ld.encode_list(bytes(len(bytes(listed.bits))))  # all clear
    StatusList.objects.filter(pk=listed.pk).update(
        signed=ld.sign(unsigned, key=outsider, verification_method=ld.did_key_verification_method(outsider.public_key))
    )
    verdicts = _doors(client, genuine, ours=True)
    assert verdicts["service"] == "status_unknown"
    assert "not by the credential's issuer" in credential_verify_document(genuine).reason


def test_a_validfrom_in_the_future(client, genuine):
    # Signed by the portal's own key, so only the date is wrong: "not yet valid", never valid.
    forged = _unsigned(genuine)
    forged["validFrom"] = "2030-01-01T00:00:00Z"
    forged = ld.sign(forged, key=ld.current_signing_key())
    verdicts = _doors(client, forged, ours=True)  # the portal's key, so the portal's: just not yet
    assert verdicts["service"] == "not_yet_valid"
    html = client.post(reverse("credentials:verify_lookup"), {"text": json.dumps(forged)}).content.decode()
    assert "Not yet valid" in html and "2030-01-01" in html


def test_a_stored_credential_valid_from_the_future_is_not_yet_valid_on_its_page(client):
    credential = issued()
    start = datetime(2030, 1, 1, tzinfo=UTC)
    forged = _unsigned(credential.document)
    forged["validFrom"] = "2030-01-01T00:00:00Z"
    credential.document = ld.sign(forged, key=ld.current_signing_key(), created=start)
    credential.save(update_fields=["document"])
    page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert 'data-verdict="not_yet_valid"' in page and "2030-01-01" in page
    answer = client.get(reverse("api-credential-status", args=[credential.verification_id])).json()
    assert answer["verdict"] == "not_yet_valid"


@pytest.mark.parametrize(
    "claim",
    ["the portal's key id under another DID", "the portal's method under a did:key issuer", "the portal's DID"],
)
def test_a_portal_key_id_claimed_by_a_different_key_or_did(client, genuine, claim):
    portal_method = genuine["proof"]["verificationMethod"]
    key_id = portal_method.split("#")[1]
    attacker = ld.SigningKey.generate(key_id)
    forged = _unsigned(genuine)
    if claim == "the portal's key id under another DID":
        forged["issuer"]["id"] = "did:web:evil.example"
        method = f"did:web:evil.example#{key_id}"
    elif claim == "the portal's method under a did:key issuer":
        forged["issuer"]["id"] = ld.did_key_for(attacker.public_key)
        method = portal_method
    else:  # the portal's DID and method, signed by another key
        method = portal_method
    forged = ld.sign(forged, key=attacker, verification_method=method)
    _doors(client, forged)
    assert credential_verify_document(forged).verdict == "invalid"

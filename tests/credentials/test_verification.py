"""Verification: tampering, revocation, suspension, status that cannot be checked, expiry, the
issuer binding (R-CR-3, R-CR-5)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from credentials import ld
from credentials.api import credential_verify_document
from credentials.models import CredentialStatus, StatusList
from credentials.policies import StatusCheck, status_position, verdict
from credentials.services import credential_status_change, status_list_document
from tests.credentials.builders import issued
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential():
    return issued()


@pytest.fixture
def admin():
    return enrol.cflex_admin()


def _set(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


CHANGES = [
    (("credentialSubject", "identifier", 1, "identityHash"), "Someone Else"),
    (("credentialSubject", "achievement", "name"), "Micro-credential in Something Better"),
    (("credentialSubject", "achievement", "humanCode"), "TMX9999MC"),
    (("credentialSubject", "achievement", "creditsAvailable"), 12),
    (("credentialSubject", "achievement", "sltHours"), 999),
    (("credentialSubject", "achievement", "learningOutcomes", 0, "outcome"), "Knows everything"),
    (("credentialSubject", "result", 0, "value"), "A+"),
    (("credentialSubject", "creditsEarned"), 30),
    (("issuer", "name"), "Universiti Palsu"),
    (("validFrom",), "2020-01-01T00:00:00Z"),
    (("serialNumber",), "UNIMAS-MC-1999-123456"),
    (("credentialStatus", "statusListIndex"), "7"),
    (("credentialSchema", 0, "id"), "https://example.org/another-schema.json"),
]


@pytest.mark.parametrize(("path", "value"), CHANGES, ids=[".".join(map(str, p)) for p, _ in CHANGES])
def test_a_change_to_any_field_fails_verification(credential, path, value):
    # DOMAIN R-CR-3
    document = copy.deepcopy(credential.document)
    assert credential_verify_document(document).verdict == "valid"
    _set(document, path, value)
    result = credential_verify_document(document)
    assert result.verdict == "invalid"
    assert "changed" in result.reason or "signature" in result.reason


def test_an_added_field_fails_verification(credential):
    document = copy.deepcopy(credential.document)
    document["credentialSubject"]["achievement"]["fieldOfStudy"] = "Medicine"
    assert credential_verify_document(document).verdict == "invalid"


def test_a_removed_field_fails_verification(credential):
    document = copy.deepcopy(credential.document)
    del document["credentialSubject"]["result"]
    assert credential_verify_document(document).verdict == "invalid"


def test_revocation_flips_the_bit_and_the_verdict(credential, admin):
    # DOMAIN R-CR-5
    position = status_position(credential.pk)
    credential_status_change(actor=admin, credential_id=credential.pk, action="revoke", reason="Academic misconduct")
    listed = StatusList.objects.get(purpose="revocation", number=position.number)
    assert ld.bit_get(bytes(listed.bits), position.index) is True
    published = status_list_document(purpose="revocation", number=position.number)
    assert ld.bit_get(ld.decode_list(published["credentialSubject"]["encodedList"]), position.index) is True
    assert credential_verify_document(credential.document).verdict == "revoked"
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED and credential.status_reason == "Academic misconduct"
    event = AuditEvent.objects.for_object(credential).get(action="credential.revoke")
    assert (event.actor, event.comment) == (admin, "Academic misconduct")


def test_revocation_is_final(credential, admin):
    credential_status_change(actor=admin, credential_id=credential.pk, action="revoke", reason="Fraud")
    for action in ("reinstate", "suspend", "revoke"):
        with pytest.raises(ApplicationError) as error:
            credential_status_change(actor=admin, credential_id=credential.pk, action=action, reason="x")
        assert error.value.code == "bad_status"


def test_suspension_and_reinstatement(credential, admin):
    # DOMAIN R-CR-5
    credential_status_change(actor=admin, credential_id=credential.pk, action="suspend", reason="Under investigation")
    assert credential_verify_document(credential.document).verdict == "suspended"
    credential_status_change(actor=admin, credential_id=credential.pk, action="reinstate", reason="Cleared")
    assert credential_verify_document(credential.document).verdict == "valid"
    position = status_position(credential.pk)
    listed = StatusList.objects.get(purpose="suspension", number=position.number)
    assert ld.bit_get(bytes(listed.bits), position.index) is False


def test_a_credential_issued_with_two_status_entries_still_verifies(credential, admin):
    # Before decision 0122 credentials named both lists, as a list; they are checked entry by entry.
    document = copy.deepcopy(credential.document)
    del document["proof"], document["credentialSchema"]
    revocation = document["credentialStatus"]
    list_url = revocation["statusListCredential"].replace("/revocation/", "/suspension/")
    suspension = {**revocation, "statusPurpose": "suspension", "statusListCredential": list_url}
    suspension["id"] = f"{list_url}#{revocation['statusListIndex']}"
    document["credentialStatus"] = [revocation, suspension]
    old = ld.sign(document, key=ld.current_signing_key())
    assert credential_verify_document(old).verdict == "valid"
    for action, expected in (("suspend", "suspended"), ("reinstate", "valid"), ("revoke", "revoked")):
        credential_status_change(actor=admin, credential_id=credential.pk, action=action, reason="x")
        assert credential_verify_document(old).verdict == expected


def test_a_new_credential_is_suspended_through_the_portals_own_list(credential, admin):
    # One status entry (revocation); the portal still checks its own suspension list (0122).
    assert credential.document["credentialStatus"]["statusPurpose"] == "revocation"
    credential_status_change(actor=admin, credential_id=credential.pk, action="suspend", reason="x")
    assert credential_verify_document(credential.document).verdict == "suspended"


def test_revoking_one_leaves_another_valid(admin):
    first, second = issued(), issued()
    credential_status_change(actor=admin, credential_id=first.pk, action="revoke", reason="Error")
    assert credential_verify_document(second.document).verdict == "valid"


@pytest.mark.parametrize(
    ("action", "reason", "code"),
    [("revoke", "", "reason_required"), ("revoke", "   ", "reason_required"), ("delete", "x", "bad_action")],
)
def test_status_change_needs_a_known_action_and_a_reason(credential, admin, action, reason, code):
    with pytest.raises(ApplicationError) as error:
        credential_status_change(actor=admin, credential_id=credential.pk, action=action, reason=reason)
    assert error.value.code == code
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE


def test_only_cflex_admins_change_status(credential):
    for actor in (credential.learner, enrol.instructor()):
        with pytest.raises(ApplicationError) as error:
            credential_status_change(actor=actor, credential_id=credential.pk, action="revoke", reason="x")
        assert error.value.code == "forbidden"


def test_a_tampered_status_list_means_status_could_not_be_checked(credential, admin):
    # Never "valid" when revocation cannot be checked.
    credential_status_change(actor=admin, credential_id=credential.pk, action="suspend", reason="Check")
    credential_status_change(actor=admin, credential_id=credential.pk, action="reinstate", reason="Done")
    position = status_position(credential.pk)
    status_list_document(purpose="revocation", number=position.number)  # publish it
    listed = StatusList.objects.get(purpose="revocation", number=position.number)
    forged = copy.deepcopy(listed.signed)
    forged["validFrom"] = "2020-01-01T00:00:00Z"
    StatusList.objects.filter(pk=listed.pk).update(signed=forged)
    result = credential_verify_document(credential.document)
    assert result.verdict == "status_unknown"
    assert "signature" in result.reason


def test_an_unreachable_status_list_means_status_could_not_be_checked(credential):
    # A list on another host is never fetched, so its status is unknown, not valid; the
    # signature still has to hold, so this is checked on a did:key-signed copy.
    secret = ld.SigningKey.generate("test")
    document = copy.deepcopy(credential.document)
    del document["proof"]
    did = ld.did_key_for(secret.public_key)
    document["issuer"]["id"] = did
    entry = document["credentialStatus"]
    entry["statusListCredential"] = "https://status.example.org/lists/1"
    entry["id"] = "https://status.example.org/lists/1#5"
    signed = ld.sign(document, key=secret, verification_method=ld.did_key_verification_method(secret.public_key))
    result = credential_verify_document(signed)
    assert result.verdict == "other_issuer"  # a genuine signature, but not the portal's: never "valid"
    assert "status.example.org" in result.reason and did in result.reason
    assert result.issuer_is_portal is False


def test_a_status_list_that_does_not_exist_means_status_could_not_be_checked(credential):
    document = copy.deepcopy(credential.document)
    del document["proof"]
    entry = document["credentialStatus"]
    entry["statusListCredential"] = entry["statusListCredential"].replace("/0/", "/99/")
    signed = ld.sign(document, key=ld.portal_keys()[0])
    result = credential_verify_document(signed)
    assert result.verdict == "status_unknown"


def test_a_credential_without_status_is_not_reported_valid(credential):
    document = copy.deepcopy(credential.document)
    del document["proof"]
    del document["credentialStatus"]
    assert credential_verify_document(ld.sign(document, key=ld.portal_keys()[0])).verdict == "status_unknown"


def test_an_expired_credential(credential):
    document = copy.deepcopy(credential.document)
    del document["proof"]
    document["validUntil"] = (timezone.now() - timedelta(days=1)).replace(microsecond=0).isoformat()
    assert credential_verify_document(ld.sign(document, key=ld.portal_keys()[0])).verdict == "expired"


def test_a_did_key_cannot_speak_for_unimas(credential):
    # Signed with an outside key but naming UNIMAS's DID as issuer.
    outsider = ld.SigningKey.generate("evil")
    document = copy.deepcopy(credential.document)
    del document["proof"]
    did = ld.did_key_for(outsider.public_key)
    signed = ld.sign(document, key=outsider, verification_method=ld.did_key_verification_method(outsider.public_key))
    result = credential_verify_document(signed)
    assert result.verdict == "invalid"
    assert did in result.reason


@pytest.mark.parametrize("junk", [None, [], "text", {"type": ["Thing"]}, {"type": ["VerifiableCredential"]}])
def test_junk_is_invalid_not_an_error(junk):
    assert credential_verify_document(junk).verdict == "invalid"


# --- the verdict rule itself, without a database --------------------------------------------------
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # fixed: test ids must not change between runs


CLEAR = [StatusCheck("revocation", False), StatusCheck("suspension", False)]
BEFORE = (NOW - timedelta(days=1)).isoformat()
AFTER = (NOW + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("statuses", "ours", "start", "until", "expected"),
    [
        (CLEAR, True, BEFORE, None, "valid"),
        ([StatusCheck("revocation", True), StatusCheck("suspension", True)], True, BEFORE, None, "revoked"),
        ([StatusCheck("revocation", False), StatusCheck("suspension", True)], True, BEFORE, None, "suspended"),
        (
            [StatusCheck("revocation", None, "down"), StatusCheck("suspension", False)],
            True,
            BEFORE,
            None,
            "status_unknown",
        ),
        (
            [StatusCheck("revocation", False), StatusCheck("suspension", None, "down")],
            True,
            BEFORE,
            None,
            "status_unknown",
        ),
        ([], True, BEFORE, None, "status_unknown"),
        ([StatusCheck("suspension", False)], True, BEFORE, None, "status_unknown"),  # revocation unchecked
        ([StatusCheck("revocation", False)], True, BEFORE, (NOW - timedelta(seconds=1)).isoformat(), "expired"),
        ([StatusCheck("revocation", False)], True, BEFORE, AFTER, "valid"),
        (CLEAR, True, AFTER, None, "not_yet_valid"),
        (CLEAR, True, NOW.isoformat(), None, "valid"),
        (CLEAR, True, "2030-01-01T00:00:00", None, "invalid"),  # no time zone: not a dateTimeStamp
        (CLEAR, False, BEFORE, None, "other_issuer"),  # never green unless the portal's own key signed
        ([StatusCheck("revocation", None, "outside")], False, BEFORE, None, "other_issuer"),
        ([StatusCheck("revocation", True)], False, BEFORE, None, "revoked"),
        (CLEAR, False, AFTER, None, "not_yet_valid"),
    ],
)
def test_verdict_rule(statuses, ours, start, until, expected):
    # DOMAIN R-CR-3, R-CR-5
    outcome, reason = verdict(
        signature_ok=True,
        signature_problem="",
        issuer_is_portal=ours,
        issuer="did:key:z6Mk" if not ours else "did:web:portal",
        statuses=statuses,
        valid_from=start,
        valid_until=until,
        now=NOW,
    )
    assert outcome == expected
    if expected == "other_issuer":
        assert "did:key:z6Mk" in reason


def test_a_bad_signature_outranks_everything():
    outcome, reason = verdict(
        signature_ok=False,
        signature_problem="changed",
        issuer_is_portal=False,
        issuer="did:web:portal",
        statuses=[StatusCheck("revocation", True)],
        valid_from=None,
        valid_until=None,
        now=NOW,
    )
    assert (outcome, reason) == ("invalid", "changed")


def test_status_lists_are_published_at_issue_and_a_get_only_reads(credential, django_assert_num_queries):
    position = status_position(credential.pk)
    rows = StatusList.objects.filter(number=position.number)
    assert {r.purpose for r in rows} == {"revocation", "suspension"}
    assert all(r.signed and r.issuer_did == ld.portal_did() for r in rows)
    with django_assert_num_queries(1):
        served = status_list_document(purpose="suspension", number=position.number)
    assert served == rows.get(purpose="suspension").signed
    rows.filter(purpose="suspension").delete()
    with django_assert_num_queries(1):  # a GET never makes or signs a list
        assert status_list_document(purpose="suspension", number=position.number) is None
    assert not rows.filter(purpose="suspension").exists()
    assert status_list_document(purpose="revocation", number=position.number + 1) is None
    assert status_list_document(purpose="bogus", number=position.number) is None

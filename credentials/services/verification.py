"""Checking a credential document: signature, issuer binding and status (R-CR-3, R-CR-5).

Reads only, except the anonymous monthly hit counter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone

from credentials import conf, ld
from credentials.data import VerificationData
from credentials.models import Credential, VerificationHit
from credentials.policies import INVALID, StatusCheck, verdict


def verification_hit(channel: str, *, on: date | None = None) -> None:
    """Count one public verification (no IP, no id, no person: R-QA-1 reporting only)."""
    month = (on or timezone.localdate()).replace(day=1)
    updated = VerificationHit.objects.filter(month=month, channel=channel).update(count=F("count") + 1)
    if not updated:
        hit, created = VerificationHit.objects.get_or_create(month=month, channel=channel, defaults={"count": 1})
        if not created:
            VerificationHit.objects.filter(pk=hit.pk).update(count=F("count") + 1)


def _resolver(issuer_id: str) -> Callable[[str], Ed25519PublicKey | None]:
    portal = ld.portal_did()

    def resolve_key(vm: str) -> Ed25519PublicKey | None:
        # The key must belong to the issuer the credential names: a did:key signature cannot
        # speak for UNIMAS.
        if not vm.startswith(issuer_id + "#"):
            return None
        if issuer_id == portal:
            return ld.resolve_portal_key(vm)
        if issuer_id.startswith("did:key:"):
            return ld.resolve_did_key(vm)
        return None

    return resolve_key


def _issuer_id(document: dict[str, Any]) -> str:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else ""


def _status_checks(document: dict[str, Any]) -> list[StatusCheck]:
    entries = document.get("credentialStatus") or []
    if isinstance(entries, dict):
        entries = [entries]
    checks = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            checks.append(StatusCheck(purpose="unknown", set=None, problem="An unsupported status entry was found."))
            continue
        checks.append(_status_check(entry))
    return checks


def _status_check(entry: dict[str, Any]) -> StatusCheck:
    from credentials.services.status import status_list_document

    purpose = str(entry.get("statusPurpose", ""))
    url = str(entry.get("statusListCredential", ""))
    try:
        index = int(str(entry.get("statusListIndex", "")))
    except ValueError:
        return StatusCheck(purpose, None, "The status entry has no valid index.")
    base = conf.base_url()
    if not url.startswith(base + "/"):
        host = urlsplit(url).netloc or url or "(none)"
        return StatusCheck(purpose, None, f"The status list at {host} is outside this portal and could not be checked.")
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        match = None
    if match is None or match.url_name != "status_list":
        return StatusCheck(purpose, None, "The status list could not be fetched.")
    listed = status_list_document(purpose=match.kwargs["purpose"], number=match.kwargs["number"])
    if listed is None:
        return StatusCheck(purpose, None, "The status list could not be fetched.")
    check = ld.verify(listed, resolve=_resolver(_issuer_id(listed)))
    subject = listed.get("credentialSubject") or {}
    if not check.ok or _issuer_id(listed) != ld.portal_did():
        return StatusCheck(purpose, None, "The status list's own signature is not valid, so it cannot be trusted.")
    if subject.get("statusPurpose") != purpose:
        return StatusCheck(purpose, None, "The status list is for another purpose.")
    try:
        bits = ld.decode_list(str(subject.get("encodedList", "")))
        return StatusCheck(purpose, ld.bit_get(bits, index))
    except (ValueError, IndexError, OSError, EOFError):
        return StatusCheck(purpose, None, "The status list could not be read.")


def credential_verify_document(document: Any) -> VerificationData:
    """The verdict on a credential document, ours or uploaded. Never raises."""
    if not isinstance(document, dict) or "VerifiableCredential" not in (document.get("type") or []):
        return _result(INVALID, "This is not a verifiable credential (no VerifiableCredential type).", {})
    issuer = _issuer_id(document)
    if not issuer:
        return _result(INVALID, "The credential names no issuer.", document)
    check = ld.verify(document, resolve=_resolver(issuer))
    reason = check.reason
    if not check.ok and "unknown verification method" in reason.lower():
        reason = (
            f"The signing key {check.verification_method or '(none)'} does not belong to the issuer {issuer}, "
            "or the issuer's keys cannot be resolved here."
        )
    valid_until = document.get("validUntil")
    statuses = _status_checks(document) if check.ok else []
    outcome, why = verdict(
        signature_ok=check.ok,
        signature_problem=reason,
        statuses=statuses,
        valid_until=valid_until if isinstance(valid_until, str) else None,
        now=timezone.now(),
    )
    return _result(outcome, why, document)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _result(outcome: str, reason: str, document: dict[str, Any]) -> VerificationData:
    subject = _dict(document.get("credentialSubject"))
    achievement = _dict(subject.get("achievement"))
    names = [
        i.get("identityHash", "")
        for i in subject.get("identifier") or []
        if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")
    ]
    credits: Decimal | None
    try:
        credits = Decimal(str(achievement["creditsAvailable"])) if "creditsAvailable" in achievement else None
    except (InvalidOperation, TypeError):
        credits = None
    issuer = _issuer_id(document)
    ours = issuer == ld.portal_did() if issuer else False
    vid = None
    if ours and isinstance(document.get("id"), str):
        vid = _verification_id(document["id"])
    return VerificationData(
        verdict=outcome,
        reason=reason,
        issuer=issuer,
        issuer_is_portal=ours,
        verification_id=vid,
        achievement_name=str(achievement.get("name", "")),
        achievement_code=str(achievement.get("humanCode", "")),
        credits=credits,
        subject_name=str(names[0]) if names else "",
        valid_from=str(document.get("validFrom", "")),
    )


def _verification_id(credential_url: str) -> str | None:
    try:
        match = resolve(urlsplit(credential_url).path)
    except Resolver404:
        return None
    return str(match.kwargs.get("verification_id")) if match.url_name == "verify_json" else None


def credential_by_verification_id(verification_id: str) -> Credential | None:
    return Credential.objects.select_related("replaced_by").filter(verification_id=verification_id).first()

"""Checking a credential: who signed it, whether it was altered, its status and validity period
(R-CR-3, R-CR-5). Every door reaches the same verdict (``policies.verdict``):

- ``credential_verify_document``: a document from outside (upload, paste, API, credit-transfer
  evidence) is verified in full: its proof, the status lists it names and their own proofs.
- ``credential_verdict``: one of the portal's own stored credentials, for its public page and the
  API. Its proof was checked once, after issue (``credential_proof_record``), and that record
  holds while the key that signed it is still published; its status bits are read straight from
  the status-list rows. Nothing is written.

The public pages count their hits in the cache (``verification_count``); a Celery beat task moves
the counts to the monthly table (``verification_counts_flush``), so no request updates a shared
row (docs/decisions/0121)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import conf, hits, ld
from credentials.data import VerificationData
from credentials.models import Credential, StatusPurpose, VerificationHit
from credentials.policies import INVALID, StatusCheck, verdict
from credentials.transcript import MAX_EMBEDDED, embedded_credentials, is_transcript, totals

log = logging.getLogger(__name__)


# --- Whose key signed it -----------------------------------------------------------------------------
def _resolver(issuer_id: str) -> Callable[[str], Ed25519PublicKey | None]:
    portal = ld.portal_did()

    def resolve_key(vm: str) -> Ed25519PublicKey | None:
        # The key must belong to the issuer the credential names: a did:key signature cannot
        # speak for UNIMAS, and a portal key id under another DID is just another DID's key.
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


def portal_methods() -> frozenset[str]:
    """The verification methods of every key the portal publishes (current and retired)."""
    return _methods(str(settings.PUBLIC_BASE_URL), str(getattr(settings, "CREDENTIAL_SIGNING_KEYS", "") or ""))


@functools.lru_cache(maxsize=8)
def _methods(base_url: str, configured_keys: str) -> frozenset[str]:
    return frozenset(ld.verification_method_id(key) for key in ld.portal_keys())


# --- Full verification of a document from outside -------------------------------------------------------
def _status_entries(document: dict[str, Any]) -> list[Any]:
    entries = document.get("credentialStatus") or []
    return [entries] if isinstance(entries, dict) else entries if isinstance(entries, list) else [entries]


def _status_checks(document: dict[str, Any], issuer: str, *, ours: bool) -> list[StatusCheck]:
    checks = []
    for entry in _status_entries(document):
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            checks.append(StatusCheck(purpose="unknown", set=None, problem=_("An unsupported status entry was found.")))
            continue
        checks.append(_status_check(entry, issuer))
    if ours and not any(c.purpose == StatusPurpose.SUSPENSION for c in checks):
        # Credentials issued since decision 0122 carry one status entry (revocation): the
        # portal still suspends them, and says so for its own credentials from its own list.
        checks.extend(_own_suspension(document))
    return checks


def _status_check(entry: dict[str, Any], issuer: str) -> StatusCheck:
    from credentials.services.status import status_list_document

    purpose = str(entry.get("statusPurpose", ""))
    url = str(entry.get("statusListCredential", ""))
    try:
        index = int(str(entry.get("statusListIndex", "")))
    except ValueError:
        return StatusCheck(purpose, None, _("The status entry has no valid index."))
    base = conf.base_url()
    if not url.startswith(base + "/"):
        host = urlsplit(url).netloc or url or "(none)"
        return StatusCheck(
            purpose,
            None,
            _("The status list at %(host)s is outside this portal and could not be checked.") % {"host": host},
        )
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        match = None
    if match is None or match.url_name != "status_list":
        return StatusCheck(purpose, None, _("The status list could not be fetched."))
    listed = status_list_document(purpose=match.kwargs["purpose"], number=match.kwargs["number"])
    if listed is None:
        return StatusCheck(purpose, None, _("The status list could not be fetched."))
    if _issuer_id(listed) != issuer:
        # A status list speaks only for its own issuer's credentials (a forger pointing at the
        # portal's lists learns nothing from them, and neither does the verifier).
        return StatusCheck(
            purpose,
            None,
            _("The status list was issued by %(list)s, not by the credential's issuer, so it says nothing about it.")
            % {"list": _issuer_id(listed) or "(none)"},
        )
    check = ld.verify(listed, resolve=_resolver(issuer))
    if not check.ok:
        return StatusCheck(purpose, None, _("The status list's own signature is not valid, so it cannot be trusted."))
    subject = listed.get("credentialSubject") or {}
    if subject.get("statusPurpose") != purpose:
        return StatusCheck(purpose, None, _("The status list is for another purpose."))
    try:
        bits = ld.decode_list(str(subject.get("encodedList", "")))
        return StatusCheck(purpose, ld.bit_get(bits, index))
    except (ValueError, IndexError, OSError, EOFError):
        return StatusCheck(purpose, None, _("The status list could not be read."))


def _own_suspension(document: dict[str, Any]) -> list[StatusCheck]:
    vid = _verification_id(document.get("id"))
    pk = Credential.objects.filter(verification_id=vid).values_list("pk", flat=True).first() if vid else None
    if pk is None and not vid:
        # A copy bound to a wallet's DID (issue 16) is suspended with the credential it copies.
        from credentials.services.wallet import bound_credential_original

        pk = bound_credential_original(_text(document.get("id")) or "")
    if pk is None:
        return [StatusCheck(StatusPurpose.SUSPENSION, None, _("The portal has no record of this credential."))]
    from credentials.services.status import status_checks_stored

    return [c for c in status_checks_stored(pk) if c.purpose == StatusPurpose.SUSPENSION]


def credential_verify_document(document: Any, *, printed_problem: str = "") -> VerificationData:
    """The verdict on a credential document, ours or uploaded, checked in full. Never raises.
    ``printed_problem``: why the PDF it came in prints other facts (services.pdf_check)."""
    if not isinstance(document, dict) or "VerifiableCredential" not in (document.get("type") or []):
        return _result(
            INVALID, _("This is not a verifiable credential (no VerifiableCredential type)."), {}, ours=False
        )
    issuer = _issuer_id(document)
    if not issuer:
        return _result(INVALID, _("The credential names no issuer."), document, ours=False)
    check = ld.verify(document, resolve=_resolver(issuer))
    reason = check.reason
    if not check.ok and "unknown verification method" in reason.lower():
        reason = _(
            "The signing key %(method)s does not belong to the issuer %(issuer)s, "
            "or the issuer's keys cannot be resolved here."
        ) % {"method": check.verification_method or "(none)", "issuer": issuer}
    # Issued by UNIMAS: the proof holds under one of the portal's own published keys, and the
    # credential names the portal's did:web (the resolver already bound the key to the issuer).
    ours = check.ok and issuer == ld.portal_did() and check.verification_method in portal_methods()
    if is_transcript(document):
        return _transcript_result(document, check.ok, reason, issuer, ours=ours, printed_problem=printed_problem)
    statuses = _status_checks(document, issuer, ours=ours) if check.ok else []
    outcome, why = verdict(
        signature_ok=check.ok,
        signature_problem=reason,
        issuer_is_portal=ours,
        issuer=issuer,
        statuses=statuses,
        valid_from=_text(document.get("validFrom")),
        valid_until=_text(document.get("validUntil")),
        now=timezone.now(),
        printed_problem=printed_problem,
    )
    return _result(outcome, why, document, ours=ours)


def _transcript_result(
    document: dict[str, Any], signature_ok: bool, problem: str, issuer: str, *, ours: bool, printed_problem: str
) -> VerificationData:
    """A CLR transcript: its own proof, then every credential inside it checked in full, and one
    verdict over both (``policies.verdict`` with ``parts``)."""
    embedded = embedded_credentials(document)
    if len(embedded) > MAX_EMBEDDED:
        signature_ok, problem = False, _("The transcript embeds more than %(n)d credentials.") % {"n": MAX_EMBEDDED}
    parts = [credential_verify_document(item) for item in embedded] if signature_ok else []
    outcome, why = verdict(
        signature_ok=signature_ok,
        signature_problem=problem,
        issuer_is_portal=ours,
        issuer=issuer,
        statuses=[],
        valid_from=_text(document.get("validFrom")),
        valid_until=_text(document.get("validUntil")),
        now=timezone.now(),
        printed_problem=printed_problem,
        parts=[(part.verdict, part.reason) for part in parts] if signature_ok else None,
    )
    summed = totals(embedded)
    result = _result(outcome, why, document, ours=False)
    return replace(
        result,
        issuer_is_portal=ours,
        achievement_name=str(document.get("name", "")),
        credits=summed.credits,
        slt_hours=summed.slt_hours,
        embedded_count=len(embedded),
        embedded=tuple(parts),
    )


# --- The portal's own credentials: recorded at issue, read on every GET ----------------------------------
def credential_proof_record(credential: Credential) -> None:
    """Check a stored credential's proof once and keep the result, which the public page then
    relies on (decision 0121). The render queue does it after issue (decision 0240); until then
    the credential is verified in full whenever it is looked at. Once: a credential already
    checked is left as it is."""
    if credential.signature_checked_at is not None:
        return
    assert credential.document is not None
    check = ld.verify(credential.document, resolve=_resolver(_issuer_id(credential.document)))
    credential.signature_checked_at = timezone.now()
    credential.signature_problem = "" if check.ok else check.reason[:300]
    Credential.objects.filter(pk=credential.pk, signature_checked_at__isnull=True).update(
        signature_checked_at=credential.signature_checked_at, signature_problem=credential.signature_problem
    )
    if not check.ok:
        log.error("credential %s failed its own signature check: %s", credential.pk, check.reason)


def credential_verdict(credential: Credential, *, bits: dict[str, int] | None = None) -> VerificationData:
    """The verdict on one of the portal's stored credentials, without canonicalising anything:
    the proof checked at issue (while its key is still published), and the status bits read from
    the list rows (``bits``, when the caller has just read them). A credential with no recorded
    check is verified in full (no write)."""
    document = credential.document
    assert document is not None
    if credential.signature_checked_at is None:
        return credential_verify_document(document)
    found = stored_verdict(
        credential_id=credential.pk,
        signed_with=credential.signed_with,
        signature_problem=credential.signature_problem,
        issuer=_issuer_id(document),
        valid_from=_text(document.get("validFrom")),
        valid_until=_text(document.get("validUntil")),
        bits=bits,
    )
    # Ours: its id is this credential's own (no need to resolve the document's URL again).
    return _result(
        found.verdict,
        found.reason,
        document,
        ours=found.issuer_is_portal,
        verification_id=str(credential.verification_id),
    )


@dataclass(frozen=True)
class StoredVerdict:
    """The verdict on a stored credential whose proof was checked at issue, and what the public
    page prints with it."""

    verdict: str
    reason: str
    issuer: str
    issuer_is_portal: bool
    valid_from: str
    printed_mismatch: bool = False  # a PDF's printed facts: never, for a stored credential


def stored_verdict(
    *,
    credential_id: int,
    signed_with: str,
    signature_problem: str,
    issuer: str,
    valid_from: str | None,
    valid_until: str | None,
    bits: dict[str, int] | None,
) -> StoredVerdict:
    """R-CR-3 / R-CR-5 for one of the portal's own credentials whose proof was checked at issue:
    the recorded check while its key is still published, its status bits, its validity period.
    ``issuer``, ``valid_from`` and ``valid_until`` are the signed document's (its ``issuer`` id and
    its dates when they are strings), as ``credential_verdict`` reads them from the document and
    the page's first view from the columns the database keeps of them (decision 0265)."""
    from credentials.services.status import status_checks_stored

    portal = ld.portal_did()
    signature_ok = not signature_problem and signed_with in portal_methods()
    problem = signature_problem
    if not signature_ok and not problem:
        problem = _("The key that signed this credential (%(method)s) is no longer published by the portal.") % {
            "method": signed_with or "(none)"
        }
    ours = signature_ok and issuer == portal and signed_with.startswith(portal + "#")
    outcome, why = verdict(
        signature_ok=signature_ok,
        signature_problem=problem,
        issuer_is_portal=ours,
        issuer=issuer,
        statuses=status_checks_stored(credential_id, bits=bits) if signature_ok else [],
        valid_from=valid_from,
        valid_until=valid_until,
        now=timezone.now(),
    )
    return StoredVerdict(outcome, why, issuer, ours, valid_from or "")


# --- The answer --------------------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _result(
    outcome: str, reason: str, document: dict[str, Any], *, ours: bool, verification_id: str | None = None
) -> VerificationData:
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
    return VerificationData(
        verdict=outcome,
        reason=reason,
        issuer=_issuer_id(document),
        issuer_is_portal=ours,
        verification_id=(verification_id or _verification_id(document.get("id"))) if ours else None,
        achievement_name=str(achievement.get("name", "")),
        achievement_code=str(achievement.get("humanCode", "")),
        credits=credits,
        subject_name=str(names[0]) if names else "",
        valid_from=str(document.get("validFrom", "")),
    )


def _verification_id(credential_url: Any) -> str | None:
    if not isinstance(credential_url, str) or not credential_url.startswith(conf.base_url() + "/"):
        return None
    try:
        match = resolve(urlsplit(credential_url).path)
    except Resolver404:
        return None
    return str(match.kwargs.get("verification_id")) if match.url_name == "verify_json" else None


def credential_by_verification_id(verification_id: str) -> Credential | None:
    return Credential.objects.select_related("replaced_by").filter(verification_id=verification_id).first()


# --- Counting public verifications -------------------------------------------------------------------
def verification_count(channel: str) -> None:
    """Count one public verification in the shared cache (no IP, no id, no person: R-QA-1
    reporting only); the credential GETs count in ``hits.record`` with their limits instead.
    ``verification_counts_flush`` moves the counts into the monthly table."""
    hits.count(channel, timezone.localdate().replace(day=1))


def verification_counts_flush() -> int:
    """Move the counted verifications of this month and the last from the cache to the table
    (Celery beat, every minute). A count made while this runs is kept for the next run."""
    today = timezone.localdate().replace(day=1)
    last_month = (today - timedelta(days=1)).replace(day=1)
    moved = 0
    for month in (last_month, today):
        for channel in VerificationHit.Channel.values:
            count = hits.take_count(channel, month)
            if count > 0:
                verification_hit(channel, on=month, count=count)
                moved += count
    return moved


@transaction.atomic
def verification_hit(channel: str, *, on: date | None = None, count: int = 1) -> None:
    """Add ``count`` public verifications to the monthly table (the flush's one write)."""
    month = (on or timezone.localdate()).replace(day=1)
    updated = VerificationHit.objects.filter(month=month, channel=channel).update(count=F("count") + count)
    if not updated:
        hit, created = VerificationHit.objects.get_or_create(month=month, channel=channel, defaults={"count": count})
        if not created:
            VerificationHit.objects.filter(pk=hit.pk).update(count=F("count") + count)

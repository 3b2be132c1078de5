"""Evidence of an outside credential: a PDF, or an Open Badges 3.0 credential in JSON, judged by
its content. Pure: bytes in, a kind and the parsed document (or a named refusal) out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from core import safejson
from transfer.choices import EvidenceKind, Verification
from transfer.policies.caps import Problem

FIELD = "evidence"


class EvidenceRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _refuse(code: str, message: str) -> EvidenceRefused:
    return EvidenceRefused(Problem("R-CT-6", code, message, FIELD))


@dataclass(frozen=True)
class Evidence:
    kind: str  # EvidenceKind
    document: dict[str, Any] | None  # the badge, for EvidenceKind.BADGE


def evidence_read(content: bytes, *, name: str, max_bytes: int) -> Evidence:
    """A PDF (``%PDF-``, named ``.pdf``) or a JSON object (named ``.json``) that looks like a
    verifiable credential; anything else is refused with the reason."""
    if len(content) > max_bytes:
        raise _refuse(
            "evidence_too_large",
            _("The file is %(size)s MB; the limit is %(max)s MB.")
            % {"size": round(len(content) / 1_048_576, 1), "max": round(max_bytes / 1_048_576, 1)},
        )
    if not content:
        raise _refuse("evidence_empty", _("The evidence file is empty."))
    suffix = PurePath(name).suffix.lower()
    if content.startswith(b"%PDF-"):
        if suffix != ".pdf":
            raise _refuse("evidence_type_mismatch", _("The file is a PDF but its name does not end in .pdf."))
        return Evidence(EvidenceKind.PDF, None)
    try:
        document = safejson.loads(content, max_bytes=max_bytes)
    except safejson.JsonInputError as error:
        if error.code in {"json_invalid", "json_not_utf8"}:
            raise _refuse(
                "evidence_type", _("Upload a PDF, or an Open Badges 3.0 credential as a .json file.")
            ) from None
        raise _refuse("evidence_" + error.code, error.message) from None
    if suffix != ".json":
        raise _refuse("evidence_type_mismatch", _("The file is JSON but its name does not end in .json."))
    types = document.get("type") if isinstance(document, dict) else None
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise _refuse(
            "evidence_not_badge",
            _("This JSON is not an Open Badges 3.0 credential: it has no type VerifiableCredential."),
        )
    assert isinstance(document, dict)
    return Evidence(EvidenceKind.BADGE, document)


# What the portal's one verdict on an uploaded badge (credentials.api.credential_verify_document)
# means for the claim.
REFUSED_VERDICTS = frozenset({"invalid", "revoked", "suspended", "expired", "not_yet_valid"})


def badge_verification(verdict: str, *, issuer: str, issuer_is_portal: bool) -> str | None:
    """``Verification`` for a badge, or None when it must be refused.

    - valid (issued by this portal, status checked): verified.
    - other_issuer (a genuine signature by another issuer, whose status the portal cannot check)
      and status_unknown (signed, but its status list could not be read): unverified.
    - invalid, when the signature could really be checked (this portal's keys, or a ``did:key``
      issuer whose key is in its name): refused, it is not genuine.
    - invalid because the issuer's keys cannot be resolved here (e.g. a ``did:web`` of another
      provider): unverified, for a person to check.
    - revoked, suspended, expired, not yet valid: refused, it does not stand now.
    """
    if verdict == "valid":
        return Verification.VERIFIED
    if verdict == "invalid" and issuer and not issuer_is_portal and not issuer.startswith("did:key:"):
        return Verification.UNVERIFIED
    if verdict in REFUSED_VERDICTS:
        return None
    return Verification.UNVERIFIED

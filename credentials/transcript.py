"""The signed transcript of stacked micro-credentials as a 1EdTech CLR 2.0 ``ClrCredential``
(issue 16): pure functions over plain values, no ORM (STYLE: policies).

The learner's ``AchievementCredential``s (OpenBadgeCredential) are embedded exactly as signed in
``credentialSubject.verifiableCredential``, so each still verifies on its own; the transcript
states the totals of credits and Student Learning Time hours, computed from the embedded
credentials' ``achievement.creditsAvailable`` and ``achievement.sltHours``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from credentials.policies import OB_CONTEXT, VC_CONTEXT

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_TYPE = "ClrCredential"
MAX_EMBEDDED = 60  # more micro-credentials than any programme stacks


@dataclass(frozen=True)
class Totals:
    credits: Decimal
    slt_hours: Decimal
    count: int


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _achievement(document: Any) -> dict[str, Any]:
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return achievement if isinstance(achievement, dict) else {}


def totals(documents: list[Any]) -> Totals:
    """Credits and SLT hours of the embedded credentials, added up."""
    credits = sum((_decimal(_achievement(d).get("creditsAvailable")) for d in documents), Decimal(0))
    hours = sum((_decimal(_achievement(d).get("sltHours")) for d in documents), Decimal(0))
    return Totals(credits=credits, slt_hours=hours, count=len(documents))


def _number(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


def is_transcript(document: Any) -> bool:
    types = document.get("type") if isinstance(document, dict) else None
    return isinstance(types, list) and CLR_TYPE in types


def embedded_credentials(document: dict[str, Any]) -> list[Any]:
    subject = document.get("credentialSubject")
    embedded = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    if isinstance(embedded, dict):
        return [embedded]
    return embedded if isinstance(embedded, list) else []


def clr_document(
    *,
    transcript_url: str,
    title: str,
    issuer_id: str,
    issuer_name: str,
    issuer_url: str,
    issuer_email: str,
    learner_name: str,
    credentials: list[dict[str, Any]],
    valid_from: str,
    own_context_url: str,
) -> dict[str, Any]:
    """The unsigned ClrCredential over ``credentials`` (signed documents, in the learner's order)."""
    if not credentials:
        raise ValueError("a transcript embeds at least one credential")
    summed = totals(credentials)
    return {
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT, own_context_url],
        "id": transcript_url,
        "type": ["VerifiableCredential", CLR_TYPE],
        "name": title,
        "description": f"{summed.count} micro-credential(s) from {issuer_name}",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name, "url": issuer_url, "email": issuer_email},
        "validFrom": valid_from,
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": learner_name}
            ],
            "verifiableCredential": credentials,
            "creditsTotal": _number(summed.credits),
            "sltHoursTotal": _number(summed.slt_hours),
        },
    }


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")

"""Pure rules of credentials: serial numbers, status-list positions, the Open Badges 3.0
document, verdicts and share links. No ORM, no request."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from core import fsm
from credentials.data import CloResult, CredentialFacts

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# The official 1EdTech JSON Schema every issued credential conforms to (docs/decisions/0122).
OB_SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
OB_SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"

# W3C Bitstring Status List: 131,072 entries (16 KB) is the minimum list size, for herd privacy.
STATUS_LIST_SIZE = 131_072
# An odd multiplier is a bijection modulo a power of two: positions within a list are spread,
# not sequential, yet never collide and need no lookup.
_STATUS_SPREAD = 40_503


# --- Credential status (R-CR-5), a table run by the one engine ``core.fsm`` ----------------------
# CFLEX revokes (final), suspends and reinstates; each move sets or clears the credential's bit in
# one Bitstring Status List (STATUS_BITS: the list's purpose and the bit's new value).
STATUS_MACHINE: fsm.Machine[fsm.Transition, None] = fsm.Machine(
    "credential status",
    (
        fsm.Transition("active", "suspend", "cflex", "suspended", comment_required=True),
        fsm.Transition("active", "revoke", "cflex", "revoked", comment_required=True),
        fsm.Transition("suspended", "reinstate", "cflex", "active", comment_required=True),
        fsm.Transition("suspended", "revoke", "cflex", "revoked", comment_required=True),
    ),
    actors=("cflex",),
)
STATUS_BITS: dict[str, tuple[str, bool]] = {
    "revoke": ("revocation", True),
    "suspend": ("suspension", True),
    "reinstate": ("suspension", False),
}


# --- Serial numbers and list positions ----------------------------------------------------------
def serial_format(year: int, number: int) -> str:
    """``UNIMAS-MC-<year>-<6 digits>``; ``number`` is the credential's never-reused row id."""
    return f"UNIMAS-MC-{year}-{number:06d}"


@dataclass(frozen=True)
class StatusPosition:
    number: int  # which list
    index: int  # which bit in it


def status_position(credential_id: int) -> StatusPosition:
    """Where a credential's bit sits in each status list: fixed by its id, unique, not guessable
    from its neighbours' order of issue."""
    offset = credential_id - 1
    number, within = divmod(offset, STATUS_LIST_SIZE)
    return StatusPosition(number=number, index=(within * _STATUS_SPREAD) % STATUS_LIST_SIZE)


# --- Identity ---------------------------------------------------------------------------------
def email_identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash: ``sha256$`` + hex of the normalised email and the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


# --- Facts <-> JSON ---------------------------------------------------------------------------
def facts_to_json(facts: CredentialFacts) -> dict[str, Any]:
    # Every field but ``clos`` (rewritten below) is a plain value: a shallow copy is asdict's
    # answer without its deep copy of each one.
    data = {field.name: getattr(facts, field.name) for field in _FACT_FIELDS}
    data["issued_on"] = facts.issued_on.isoformat()
    data["seal_date"] = facts.seal_date.isoformat()
    data["final_mark"] = str(facts.final_mark)
    data["credits"] = str(facts.credits)
    data["slt_hours"] = str(facts.slt_hours)
    data["clos"] = [
        {
            "position": c.position,
            "outcome": c.outcome,
            "attainment": None if c.attainment is None else str(c.attainment),
        }
        for c in facts.clos
    ]
    return data


_FACT_FIELDS = fields(CredentialFacts)


def facts_from_json(data: dict[str, Any], *, revoked: bool = False) -> CredentialFacts:
    values = dict(data)
    values["issued_on"] = date.fromisoformat(values["issued_on"])
    values["seal_date"] = date.fromisoformat(values["seal_date"])
    values["final_mark"] = Decimal(values["final_mark"])
    values["credits"] = Decimal(values["credits"])
    values["slt_hours"] = Decimal(values["slt_hours"])
    values["clos"] = tuple(
        CloResult(
            position=c["position"],
            outcome=c["outcome"],
            attainment=None if c["attainment"] is None else Decimal(c["attainment"]),
        )
        for c in values["clos"]
    )
    values["revoked"] = revoked
    return CredentialFacts(**values)


# --- The Open Badges 3.0 credential -------------------------------------------------------------
def _number(value: Decimal | int) -> float | int:
    as_decimal = Decimal(value)
    return int(as_decimal) if as_decimal == as_decimal.to_integral_value() else float(as_decimal)


@dataclass(frozen=True)
class BadgeInputs:
    facts: CredentialFacts
    credential_url: str  # the credential's id: its JSON at /verify/<id>/credential.json
    base_url: str  # the portal's public base URL
    own_context_url: str
    issuer_id: str  # did:web of the portal
    issuer_name: str
    issuer_email: str
    subject_email_hash: str
    subject_salt: str
    valid_from: datetime
    valid_until: datetime | None
    status_entries: tuple[dict[str, Any], ...]
    achievement_description: str
    criteria: str
    activity_start: date | None
    activity_end: date | None
    replaces_url: str = ""
    achievement_image: dict[str, str] | None = None  # an OB 3.0 Image: id, type, caption
    issuer_image: dict[str, str] | None = None
    mqr_url: str = ""
    qvc_url: str = ""


def image_object(*, url: str, caption: str) -> dict[str, str]:
    """An OB 3.0 ``Image`` (issue 16)."""
    return {"id": url, "type": "Image", "caption": caption}


QUALITY_FRAMEWORKS = {
    "mqr": "Malaysian Qualifications Register (MQR)",
    "qvc": "MQA quality verification of stand-alone micro-credentials (QVC)",
}


def quality_alignment(facts: CredentialFacts, *, mqr_url: str, qvc_url: str) -> list[dict[str, Any]]:
    """R-CR-6 / R-QA-3: the MQR reference or QVC verification as an OB 3.0 ``Alignment`` of the
    achievement (type, targetName and targetUrl required; the reference is its targetCode)."""
    if not facts.quality_kind or not facts.quality_reference:
        return []
    label = "MQR reference" if facts.quality_kind == "mqr" else "QVC verification"
    validity = f"valid {facts.quality_valid_from} to {facts.quality_valid_until}" if facts.quality_valid_until else ""
    return [
        {
            "type": ["Alignment"],
            "targetName": f"{label} {facts.quality_reference}",
            "targetDescription": f"{label} {facts.quality_reference}" + (f", {validity}" if validity else ""),
            "targetFramework": QUALITY_FRAMEWORKS[facts.quality_kind],
            "targetCode": facts.quality_reference,
            "targetUrl": mqr_url if facts.quality_kind == "mqr" else qvc_url,
        }
    ]


def open_badge_document(inputs: BadgeInputs) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential (OB 3.0 on VC Data Model 2.0). The learner is named and
    identified by a salted email hash; no identity-document number appears (R-CR-4)."""
    facts = inputs.facts
    achievement_url = f"{inputs.base_url}/catalogue/achievements/{facts.course_code}/"
    grade_description = f"{achievement_url}#grade"
    mark_description = f"{achievement_url}#final-mark"
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": inputs.subject_email_hash,
                "salt": inputs.subject_salt,
            },
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": facts.learner_name},
        ],
        "creditsEarned": _number(facts.credits),
        "result": [
            {"type": ["Result"], "resultDescription": grade_description, "value": facts.grade},
            {"type": ["Result"], "resultDescription": mark_description, "value": str(facts.final_mark)},
        ],
        "achievement": {
            "id": achievement_url,
            "type": ["Achievement"],
            "achievementType": "MicroCredential",
            "humanCode": facts.course_code,
            "name": facts.course_title,
            **({"image": inputs.achievement_image} if inputs.achievement_image else {}),
            "description": inputs.achievement_description or facts.course_title,
            "criteria": {"narrative": inputs.criteria},
            "creditsAvailable": _number(facts.credits),
            "inLanguage": "en",
            "resultDescription": [
                {
                    "id": grade_description,
                    "type": ["ResultDescription"],
                    "name": "Grade",
                    "resultType": "LetterGrade",
                },
                {
                    "id": mark_description,
                    "type": ["ResultDescription"],
                    "name": "Final mark",
                    "resultType": "Percent",
                    "valueMin": "0",
                    "valueMax": "100",
                },
            ],
            "sltHours": _decimal(facts.slt_hours),
            **_level(facts.course_level),
            "deliveryMode": facts.delivery,
            "modeOfStudy": facts.mode_of_study,
            "languageOfInstruction": facts.language,
            "durationText": facts.duration,
            "enrolmentRequirements": facts.enrolment_requirements,
            "programme": facts.programme,
            "qualityAssurance": facts.quality_assurance,
            "formativePercent": facts.formative_percent,
            "summativePercent": facts.summative_percent,
            "learningOutcomes": [
                {
                    "position": clo.position,
                    "outcome": clo.outcome,
                    **({} if clo.attainment is None else {"attainment": str(clo.attainment)}),
                }
                for clo in facts.clos
            ],
        },
    }
    alignment = quality_alignment(facts, mqr_url=inputs.mqr_url, qvc_url=inputs.qvc_url)
    if alignment:
        subject["achievement"]["alignment"] = alignment
    if inputs.activity_start:
        subject["activityStartDate"] = f"{inputs.activity_start.isoformat()}T00:00:00Z"
    if inputs.activity_end:
        subject["activityEndDate"] = f"{inputs.activity_end.isoformat()}T00:00:00Z"
    document: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT, inputs.own_context_url],
        "id": inputs.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{facts.course_code} {facts.course_title}",
        "issuer": {
            "id": inputs.issuer_id,
            "type": ["Profile"],
            "name": inputs.issuer_name,
            "url": inputs.base_url,
            "email": inputs.issuer_email,
            **({"image": inputs.issuer_image} if inputs.issuer_image else {}),
        },
        "validFrom": _iso(inputs.valid_from),
        "credentialSubject": subject,
        # OB 3.0 allows one status entry (0..1); credentials issued before had two, as a list.
        "credentialStatus": (
            inputs.status_entries[0] if len(inputs.status_entries) == 1 else list(inputs.status_entries)
        ),
        "credentialSchema": [{"id": OB_SCHEMA_URL, "type": OB_SCHEMA_TYPE}],
        "serialNumber": facts.serial,
        "institutionStatus": facts.institution_status,
    }
    if inputs.valid_until:
        document["validUntil"] = _iso(inputs.valid_until)
    if inputs.replaces_url:
        document["replaces"] = inputs.replaces_url
    return document


def _decimal(value: Decimal) -> int | str:
    """An xsd:decimal value: a whole number as JSON, else its exact decimal string."""
    return int(value) if value == value.to_integral_value() else str(value)


def _level(text: str) -> dict[str, int]:
    digits = re.search(r"\d+", text)
    return {"mqfLevel": int(digits.group())} if digits else {}


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- Verdicts ---------------------------------------------------------------------------------
VALID = "valid"  # signed by one of the portal's own keys, in force, status checked: issued by UNIMAS
OTHER_ISSUER = "other_issuer"  # a genuine signature, but by someone else: never green
NOT_YET_VALID = "not_yet_valid"
REVOKED = "revoked"
SUSPENDED = "suspended"
EXPIRED = "expired"
STATUS_UNKNOWN = "status_unknown"
INVALID = "invalid"
VERDICTS = (VALID, OTHER_ISSUER, NOT_YET_VALID, REVOKED, SUSPENDED, EXPIRED, STATUS_UNKNOWN, INVALID)


@dataclass(frozen=True)
class StatusCheck:
    """What one status list said about one credential: ``set`` is None when it could not be
    checked (list missing, unreadable, its own signature bad, or issued by someone else), with
    ``problem`` saying why."""

    purpose: str
    set: bool | None
    problem: str = ""


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def verdict(
    *,
    signature_ok: bool,
    signature_problem: str,
    issuer_is_portal: bool,
    issuer: str,
    statuses: list[StatusCheck],
    valid_from: str | None,
    valid_until: str | None,
    now: datetime,
    printed_problem: str = "",
    parts: list[tuple[str, str]] | None = None,
) -> tuple[str, str]:
    """R-CR-3 / R-CR-5: the one verdict on a credential, with its reason; the page, the upload
    check, the API and credit transfer's evidence check all come here. ``issuer_is_portal`` is
    true only when the proof's verification method is one of the portal's own published keys
    under its did:web. "valid" (issued by UNIMAS, the only green verdict) needs that, a status
    that was checked and is clear, and a validity period that holds now. ``printed_problem``: a
    PDF whose printed facts differ from the credential embedded in it is not valid (issue 16)."""
    if not signature_ok:
        return INVALID, signature_problem
    if printed_problem:
        return INVALID, printed_problem
    if parts is not None:
        # A CLR transcript (issue 16) stands only while every credential it embeds does: it
        # carries no status list of its own, each embedded credential names its own.
        part = _weakest_part(parts)
        if part is not None:
            return part
    for check in statuses:
        if check.set and check.purpose == "revocation":
            return REVOKED, ""
    for check in statuses:
        if check.set and check.purpose == "suspension":
            return SUSPENDED, ""
    if valid_from:
        start = _moment(valid_from)
        if start is None:
            return INVALID, _("The date it becomes valid is not a date and time with a time zone: %(value)s") % {
                "value": valid_from
            }
        if start > now:
            return NOT_YET_VALID, ""
    if valid_until:
        until = _moment(valid_until)
        if until is None:
            return INVALID, _("The date it ends is not a date and time with a time zone: %(value)s") % {
                "value": valid_until
            }
        if until <= now:
            return EXPIRED, ""
    unknown = [c.problem for c in statuses if c.set is None]
    if parts is not None:
        unknown.extend(why for outcome, why in parts if outcome in (STATUS_UNKNOWN, OTHER_ISSUER))
    elif not any(c.purpose == "revocation" for c in statuses):
        unknown.append(_("The credential names no revocation list, so revocation cannot be checked."))
    if not issuer_is_portal:
        return OTHER_ISSUER, " ".join([_("The issuer is %(issuer)s.") % {"issuer": issuer or "-"}, *unknown])
    if unknown:
        return STATUS_UNKNOWN, " ".join(unknown)
    return VALID, ""


def _weakest_part(parts: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The verdict a transcript takes from the credentials inside it, or None when they stand."""
    if not parts:
        return INVALID, _("The transcript embeds no credential.")
    for position, (outcome, why) in enumerate(parts, start=1):
        if outcome == INVALID:
            return INVALID, _("Credential %(n)d inside the transcript is not valid: %(why)s") % {
                "n": position,
                "why": why,
            }
    words = {
        REVOKED: _("revoked"),
        SUSPENDED: _("suspended"),
        EXPIRED: _("expired"),
        NOT_YET_VALID: _("not yet valid"),
    }
    for outcome, word in words.items():
        for position, (found, _why) in enumerate(parts, start=1):
            if found == outcome:
                return outcome, _("Credential %(n)d inside the transcript is %(verdict)s.") % {
                    "n": position,
                    "verdict": word,
                }
    return None


# --- Sharing ----------------------------------------------------------------------------------
def linkedin_add_url(
    *, name: str, organisation: str, organisation_id: str, issued: date, certificate_url: str, certificate_id: str
) -> str:
    """LinkedIn's "Add to profile" link with the certification prefilled (R-CR-1). ``issued`` is
    the Malaysian calendar date of issue; ``organisation_id`` (the university's LinkedIn page id,
    when configured) links the certification to that page rather than to the name alone."""
    fields: dict[str, str | int] = {"startTask": "CERTIFICATION_NAME", "name": name, "organizationName": organisation}
    if organisation_id:
        fields["organizationId"] = organisation_id
    fields.update(
        {
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "certUrl": certificate_url,
            "certId": certificate_id,
        }
    )
    return f"https://www.linkedin.com/profile/add?{urlencode(fields)}"


# --- The issuer's public profile ------------------------------------------------------------------
def issuer_profile(
    *,
    did_document: dict[str, Any],
    name: str,
    url: str,
    email: str,
    description: str,
    address: dict[str, str],
    image: dict[str, str],
) -> dict[str, Any]:
    """The portal's OB 3.0 ``Profile`` (issue 16): the issuer every credential names, identified
    by its did:web, with the keys its DID document publishes (so a reader of the profile sees
    which keys speak for UNIMAS) and where to read that document."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, *did_document["@context"]],
        "id": did_document["id"],
        "type": ["Profile"],
        "name": name,
        "url": url,
        "email": email,
        "description": description,
        "address": address,
        "image": image,
        "verificationMethod": did_document["verificationMethod"],
        "assertionMethod": did_document["assertionMethod"],
    }


# --- Wallet delivery (issue 16) ---------------------------------------------------------------------
DID_AUTHENTICATION = "DIDAuthentication"
AUTHENTICATION = "authentication"
# The deep link the DCC Learner Credential Wallet registers (the form openedx/credentials uses).
LCW_DEEP_LINK = "dccrequest://request"


def wallet_deep_link(*, issuer: str, exchange_url: str, challenge: str) -> str:
    """The wallet's deep link: it POSTs its DIDAuth presentation, with ``challenge``, to
    ``vc_request_url`` (the exchange)."""
    fields = {"issuer": issuer, "auth_type": "bearer", "challenge": challenge, "vc_request_url": exchange_url}
    return f"{LCW_DEEP_LINK}?{urlencode(fields)}"


def presentation_request(*, challenge: str, domain: str, exchange_url: str) -> dict[str, Any]:
    """The VC-API ``VerifiablePresentationRequest`` a wallet gets first: prove control of a DID
    (did:key, eddsa-rdfc-2022), signing this challenge for this domain, and post it back here."""
    return {
        "query": [
            {
                "type": DID_AUTHENTICATION,
                "acceptedMethods": [{"method": "key"}],
                "acceptedCryptosuites": [{"cryptosuite": "eddsa-rdfc-2022"}, {"cryptosuite": "Ed25519Signature2020"}],
            }
        ],
        "challenge": challenge,
        "domain": domain,
        "interact": {"service": [{"type": "UnmediatedPresentationService2021", "serviceEndpoint": exchange_url}]},
    }


def bound_copy_document(original: dict[str, Any], *, holder: str, copy_url: str) -> dict[str, Any]:
    """The unsigned copy of a signed credential bound to ``holder`` (``credentialSubject.id``),
    with its own id; everything else, the status entry included, is the original's."""
    document = {key: value for key, value in original.items() if key != "proof"}
    document["id"] = copy_url
    document["credentialSubject"] = {"id": holder, **original["credentialSubject"]}
    return document


def issued_presentation(credential: dict[str, Any]) -> dict[str, Any]:
    """The exchange's answer once the holder has authenticated: the bound credential, in a
    (unsigned) presentation as VC-API exchanges return it."""
    return {
        "verifiablePresentation": {
            "@context": [VC_CONTEXT],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [credential],
        }
    }

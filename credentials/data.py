"""Frozen data the credentials app hands to other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from enrolment.data import PassedResult

# One passing enrolment's result, as Senate approval hands it to ``credential_issue_requests``.
CredentialAsk = PassedResult


@dataclass(frozen=True)
class IssuanceRequestData:
    id: int
    enrolment_id: int
    learner_id: int
    course_code: str
    grade: str
    final_mark: Decimal
    requested_at: datetime
    issued_at: datetime | None
    created: bool  # False when the request already existed (idempotent call)


@dataclass(frozen=True)
class CloResult:
    position: int
    outcome: str  # "CLO1: Explain ..." text as designed
    attainment: Decimal | None  # the learner's %, from the gradebook


@dataclass(frozen=True)
class CredentialFacts:
    """Everything printed on a certificate / MMS and signed into the Open Badges credential
    (R-CR-2, Appendix 1). Identity numbers arrive here masked only (R-CR-4)."""

    serial: str  # UNIMAS-MC-2026-000123
    verification_id: str  # UUID4, public
    verification_url: str  # https://<host>/verify/<id>/
    issued_on: date
    learner_name: str
    identity_label: str  # "NRIC" or "Passport"
    identity_masked: str  # e.g. "******-**-1234"; never the full number
    course_code: str
    course_title: str
    programme: str  # course origin: programme name, or "Stand-alone micro-credential"
    institution: str  # "Universiti Malaysia Sarawak (UNIMAS)"
    institution_status: str  # "Public university (Malaysia)"
    language: str  # language of instruction / examination
    delivery: str  # e.g. "Online", "Blended"
    mode_of_study: str  # e.g. "Part-time, self-paced"
    course_level: str  # e.g. "MQF Level 6"
    credits: Decimal  # MQF credits, one decimal (R-SLT-3)
    slt_hours: Decimal
    duration: str  # e.g. "1 Mar 2026 - 30 Apr 2026 (9 weeks)"
    enrolment_requirements: str
    clos: tuple[CloResult, ...]
    formative_percent: int  # weight of continuous assessment
    summative_percent: int  # weight of final assessment
    grade: str
    final_mark: Decimal
    quality_assurance: str  # e.g. "MQA accredited programme (MQA/FA1234)"
    seal_date: date  # date of official seal of award (Senate approval)
    signatory_name: str
    signatory_title: str
    contact: str  # contact information for verification
    revoked: bool = False
    # R-CR-6 / R-QA-3: the course's MQR reference (Category 1) or QVC verification (SAMC) when
    # issued, with its validity (ISO dates); "" when none.
    quality_kind: str = ""  # "mqr" | "qvc"
    quality_reference: str = ""
    quality_valid_from: str = ""
    quality_valid_until: str = ""
    valid_until: str = ""  # R-CR-6: the credential's own expiry (ISO date), "" when it does not lapse


@dataclass(frozen=True)
class IssuedCredentialData:
    """One credential the portal issued, as other apps see it (credit transfer, reports)."""

    id: int
    verification_id: str
    serial: str
    learner_id: int
    enrolment_id: int
    offering_id: int
    course_code: str
    course_title: str
    credits: Decimal
    grade: str
    issued_at: datetime
    status: str  # "active" | "revoked" | "suspended"
    replaced_by_id: int | None


@dataclass(frozen=True)
class VerificationData:
    """The verdict on one credential document (ours or an uploaded one)."""

    verdict: str  # "valid" | "revoked" | "suspended" | "expired" | "status_unknown" | "invalid"
    reason: str  # plain-language why, shown to people; empty when valid
    issuer: str  # issuer id (did:web:..., did:key:...)
    issuer_is_portal: bool  # signed by this portal's own key set
    verification_id: str | None  # ours only
    achievement_name: str
    achievement_code: str  # Achievement.humanCode, may be ""
    credits: Decimal | None  # Achievement.creditsAvailable when present
    subject_name: str  # credentialSubject name when present
    valid_from: str
    # A CLR transcript (issue 16): how many credentials it embeds (0 for a single credential),
    # their verdicts in order, and their SLT hours added up (``credits`` is then their total).
    embedded_count: int = 0
    embedded: tuple[VerificationData, ...] = ()
    slt_hours: Decimal | None = None
    # A certificate / MMS PDF whose printed facts differ from the credential inside it (issue 16).
    printed_mismatch: bool = False


@dataclass(frozen=True)
class WalletOffer:
    """What "Add to wallet" shows (issue 16): the one-time exchange URL, the deep link a phone
    wallet opens (also drawn as a QR code), the challenge the wallet must sign, and when it all
    stops working."""

    exchange_url: str
    deep_link: str
    challenge: str
    expires_at: datetime

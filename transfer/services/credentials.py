"""Prior credentials a learner brings from outside (R-CT-2..4): checked, with their evidence
verified where the portal can (an Open Badges 3.0 credential) and marked unverified where it
cannot (a PDF, a badge whose issuer's keys cannot be reached)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from credentials.api import credential_verify_document
from transfer.choices import EXTERNAL_KINDS, OPEN_STATUSES, CredentialKind, EvidenceKind, Source, Verification
from transfer.models import PriorCredential
from transfer.policies.evidence import EvidenceRefused, badge_verification, evidence_read
from transfer.selectors import not_found

MAX_CREDITS = 60


@dataclass(frozen=True)
class BadgeCheck:
    verification: str
    reason: str
    data: dict[str, Any]


def _verify_badge(document: dict[str, Any]) -> BadgeCheck:
    """Through ``credentials.api`` (never raises). Refused badges raise ``ApplicationError``."""
    verdict = credential_verify_document(document)
    data = {
        "verdict": verdict.verdict,
        "issuer": verdict.issuer,
        "issuer_is_portal": verdict.issuer_is_portal,
        "achievement_name": verdict.achievement_name,
        "achievement_code": verdict.achievement_code,
        "credits": None if verdict.credits is None else str(verdict.credits),
        "reason": verdict.reason,
    }
    if verdict.embedded_count:
        # A CLR 2.0 transcript (issue 16): one piece of evidence for several credentials, each
        # checked inside the one verdict; ``credits`` is then their total.
        data["embedded_credentials"] = verdict.embedded_count
        data["embedded"] = [
            {"code": part.achievement_code, "name": part.achievement_name, "verdict": part.verdict}
            for part in verdict.embedded
        ]
        data["slt_hours"] = None if verdict.slt_hours is None else str(verdict.slt_hours)
    if verdict.issuer_is_portal and verdict.verdict == "valid":
        raise ApplicationError(
            "badge_from_this_portal",
            _("This badge was issued by this portal; it is already listed with your UNIMAS credentials."),
            field="evidence",
            kind=ErrorKind.CONFLICT,
        )
    outcome = badge_verification(verdict.verdict, issuer=verdict.issuer, issuer_is_portal=verdict.issuer_is_portal)
    if outcome is None:
        raise ApplicationError(
            f"badge_{verdict.verdict}",
            _("The badge could not be accepted (%(verdict)s): %(reason)s")
            % {"verdict": verdict.verdict, "reason": verdict.reason or _("it no longer stands")},
            field="evidence",
        )
    reason = "" if outcome == Verification.VERIFIED else verdict.reason
    return BadgeCheck(outcome, reason, data)


def _required(value: str, field: str, message: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ApplicationError(f"{field}_required", message, field=field)
    return value


def prior_credential_may_add(*, actor: User) -> None:
    """403 to whoever is not a learner; the API checks it before reading its input."""
    if not actor.has_perm("transfer.add_priorcredential"):
        raise ApplicationError(
            "transfer_forbidden", _("Only learners add prior credentials."), kind=ErrorKind.FORBIDDEN
        )


@transaction.atomic
def prior_credential_add(
    *,
    actor: User,
    kind: str,
    code: str,
    title: str,
    provider: str,
    credits: int,
    evidence: UploadedFile,
    completed_on: date | None = None,
    accreditation_reference: str = "",
    qvc_reference: str = "",
) -> PriorCredential:
    """Record a credential from another provider, with its evidence. Everything is checked
    before anything is written; a refused badge is not kept."""
    prior_credential_may_add(actor=actor)
    if kind not in EXTERNAL_KINDS:
        raise ApplicationError(
            "kind_invalid",
            _(
                "Choose Category 2, a stand-alone MC or a QVC-verified stand-alone MC (R-CT-1: Category 1 is UNIMAS's own)."
            ),
            field="kind",
        )
    code = _required(code, "code", _("Give the course code.")).upper()[:30]
    title = _required(title, "title", _("Give the title."))[:250]
    provider = _required(provider, "provider", _("Name the institution or provider."))[:200]
    if not isinstance(credits, int) or not 1 <= credits <= MAX_CREDITS:
        raise ApplicationError(
            "credits_invalid",
            _("Credits are a whole number from 1 to %(max)s.") % {"max": MAX_CREDITS},
            field="credits",
        )
    if kind == CredentialKind.CAT2 and not accreditation_reference.strip():
        raise ApplicationError(
            "accreditation_required",
            _("R-CT-4: a Category 2 course comes from an accredited programme; give its accreditation reference."),
            field="accreditation_reference",
        )
    if kind == CredentialKind.SAMC_QVC and not qvc_reference.strip():
        raise ApplicationError(
            "qvc_reference_required",
            _("R-CT-3: give the Quality Verification Centre's verification reference."),
            field="qvc_reference",
        )
    if completed_on is not None and completed_on > timezone.localdate():
        raise ApplicationError("completed_in_future", _("The completion date is in the future."), field="completed_on")
    if PriorCredential.objects.filter(
        learner=actor, code=code, provider__iexact=provider, withdrawn_at__isnull=True
    ).exists():
        raise ApplicationError(
            "credential_duplicate",
            _("You have already added %(code)s from %(provider)s.") % {"code": code, "provider": provider},
            field="code",
            kind=ErrorKind.CONFLICT,
        )
    name = evidence.name or "evidence"
    evidence.seek(0)
    content = evidence.read(settings.MCPORTAL_UPLOAD_MAX_BYTES + 1)
    try:
        read = evidence_read(content, name=name, max_bytes=settings.MCPORTAL_UPLOAD_MAX_BYTES)
    except EvidenceRefused as refused:
        raise ApplicationError(refused.problem.code, refused.problem.message, field=refused.problem.field) from None
    if read.kind == EvidenceKind.BADGE:
        assert read.document is not None
        check = _verify_badge(read.document)
        stated = check.data.get("credits")
        if stated is not None and str(credits) != str(stated).split(".")[0]:
            raise ApplicationError(
                "credits_mismatch",
                _("The badge says %(badge)s credits, not %(credits)s.") % {"badge": stated, "credits": credits},
                field="credits",
            )
    else:
        check = BadgeCheck(
            Verification.UNVERIFIED, _("A PDF cannot be verified automatically; a reviewer checks it."), {}
        )
    credential = PriorCredential(
        learner=actor,
        source=Source.EXTERNAL,
        kind=kind,
        code=code,
        title=title,
        provider=provider,
        credits=credits,
        completed_on=completed_on,
        accreditation_reference=accreditation_reference.strip()[:80],
        qvc_reference=qvc_reference.strip()[:80],
        evidence_kind=read.kind,
        evidence_name=name[-200:],
        verification=check.verification,
        verification_reason=check.reason,
        verification_data=check.data,
    )
    credential.full_clean(exclude=["evidence_file"])
    credential.evidence_file.save(name, ContentFile(content), save=False)
    credential.save()
    audit_record(
        actor=actor,
        action="transfer.credential_add",
        obj=credential,
        to_state=credential.verification,
        data={"kind": kind, "code": code, "credits": credits, "evidence": read.kind, **check.data},
    )
    return credential


@transaction.atomic(durable=True)
def prior_credential_withdraw(*, actor: User, credential: PriorCredential) -> PriorCredential:
    """The learner takes a credential back (kept, never deleted); not while it is claimed in an
    open application."""
    locked = PriorCredential.objects.select_for_update().filter(pk=credential.pk, learner=actor).first()
    if locked is None:
        raise not_found("credential")
    credential = locked
    if credential.withdrawn_at is not None:
        return credential
    if credential.claims.filter(application__status__in=sorted(OPEN_STATUSES)).exists():
        raise ApplicationError(
            "credential_in_open_application",
            _("This credential is claimed in an open application; withdraw that application first."),
            kind=ErrorKind.CONFLICT,
        )
    credential.withdrawn_at = timezone.now()
    credential.save(update_fields=["withdrawn_at"])
    audit_record(actor=actor, action="transfer.credential_withdraw", obj=credential)
    return credential

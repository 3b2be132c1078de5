"""Reads of the credentials a learner holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from courses import api as courses_api
from courses.data import McOriginData, ProgrammeData
from credentials.api import credentials_for_learner
from credentials.data import IssuedCredentialData
from transfer.choices import STANDALONE_KINDS, CredentialKind, Source, Verification
from transfer.models import PriorCredential
from transfer.policies import (
    CredentialIn,
)
from transfer.policies.caps import whole_credits
from transfer.selectors.common import applications_visible_to, not_found

# --- credentials ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldCredential:
    """One credential a learner holds, whichever way it came."""

    ref: str  # "p<id>" once stored; "u<issued id>" for a portal credential not claimed yet
    source: str
    kind: str
    code: str
    title: str
    provider: str
    credits: int
    verification: str
    verification_reason: str
    status: str  # "active" | "revoked" | "suspended"
    suggested_course: str
    clo_attainment: tuple[Decimal, ...] | None
    is_mpu: bool
    issued_credential_id: int | None = None
    enrolment_id: int | None = None
    prior_id: int | None = None
    evidence_kind: str = "portal"
    completed_on: date | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def is_standalone(self) -> bool:
        return self.kind in STANDALONE_KINDS

    def as_input(self, course: str) -> CredentialIn:
        return CredentialIn(
            ref=self.ref,
            code=self.code,
            title=self.title,
            kind=self.kind,
            credits=self.credits,
            from_unimas=self.source == Source.UNIMAS,
            provider=self.provider,
            course=course,
            verification=self.verification,
            clo_attainment=self.clo_attainment if self.is_standalone else None,
            active=self.active,
            is_mpu=self.is_mpu,
            origin_course=self.suggested_course if self.source == Source.UNIMAS else "",
        )


def _issued_for(learner_id: int) -> list[IssuedCredentialData]:
    """The portal's credentials for a learner (``credentials.api``), newest first."""
    return list(credentials_for_learner(learner_id))


def _kind_of(origin: McOriginData | None) -> str:
    if origin is None:
        return CredentialKind.SAMC  # unknown origin: the most restrictive kind
    if origin.category == 1:
        return CredentialKind.CAT1
    return CredentialKind.SAMC_QVC if origin.is_qvc else CredentialKind.SAMC


def gradebook_attainment(enrolment_id: int | None) -> tuple[Decimal, ...] | None:
    """R-AP-1: the CLO attainment the gradebook recorded for an enrolment, in CLO order."""
    if enrolment_id is None:
        return None
    from enrolment.api import award_get

    try:
        award = award_get(enrolment_id)
    except LookupError:
        return None
    if not award.clo_attainment:
        return None
    return tuple(award.clo_attainment[k] for k in sorted(award.clo_attainment))


def _unimas_held(learner_id: int, stored: Mapping[int, PriorCredential]) -> list[HeldCredential]:
    issued = [c for c in _issued_for(learner_id) if not (c.status != "active" and c.replaced_by_id)]
    origins = courses_api.mc_origins(c.course_code for c in issued)
    held = []
    for c in issued:
        origin = origins.get(c.course_code)
        kind = _kind_of(origin)
        prior = stored.get(c.id)
        held.append(
            HeldCredential(
                ref=prior.ref if prior else f"u{c.id}",
                source=Source.UNIMAS,
                kind=kind,
                code=c.course_code,
                title=c.course_title,
                provider="UNIMAS",
                credits=whole_credits(
                    c.credits,
                    origin_credits=origin.origin_course_credits if origin and origin.category == 1 else None,
                    part_credits=origin.part_credits if origin else None,
                ),
                verification=Verification.VERIFIED,
                verification_reason="",
                status=c.status,
                suggested_course=origin.origin_course_code if origin else "",
                clo_attainment=gradebook_attainment(c.enrolment_id) if kind in STANDALONE_KINDS else None,
                is_mpu=bool(origin and origin.origin_course_is_mpu),
                issued_credential_id=c.id,
                enrolment_id=c.enrolment_id,
                prior_id=prior.pk if prior else None,
                completed_on=timezone.localtime(c.issued_at).date() if c.issued_at else None,
            )
        )
    return held


def _external_held(credential: PriorCredential) -> HeldCredential:
    return HeldCredential(
        ref=credential.ref,
        source=credential.source,
        kind=credential.kind,
        code=credential.code,
        title=credential.title,
        provider=credential.provider,
        credits=credential.credits,
        verification=credential.verification,
        verification_reason=credential.verification_reason,
        status="active",
        suggested_course=credential.code,
        clo_attainment=None,
        is_mpu=False,
        prior_id=credential.pk,
        evidence_kind=credential.evidence_kind,
        completed_on=credential.completed_on,
    )


def learner_credentials(learner_id: int) -> list[HeldCredential]:
    """Every credential the learner may claim: the portal's first, then those brought in."""
    rows = list(PriorCredential.objects.filter(learner_id=learner_id, withdrawn_at__isnull=True))
    stored_unimas = {p.issued_credential_id: p for p in rows if p.issued_credential_id is not None}
    external = [_external_held(p) for p in rows if p.source == Source.EXTERNAL]
    return _unimas_held(learner_id, stored_unimas) + external


def prior_credential_get(user: Any, pk: int) -> PriorCredential:
    """The learner's own stored credential, or one claimed in an application the user may see;
    anything else is not found."""
    credential = PriorCredential.objects.filter(pk=pk).first()
    if credential is None:
        raise not_found("credential")
    if credential.learner_id == getattr(user, "pk", None):
        return credential
    for application in applications_visible_to(user).filter(lines__credential=credential).distinct()[:20]:
        if user.has_perm("transfer.view_application", application):
            return credential
    raise not_found("credential")


def default_mapping(programme: ProgrammeData, held: Iterable[HeldCredential]) -> dict[str, str]:
    """What each credential maps to before anyone chooses: its origin course (R-NM-2), or the
    programme course of the same code, when the programme has it."""
    codes = {c.code for c in programme.courses}
    return {h.ref: h.suggested_course if h.suggested_course in codes else "" for h in held}

"""Reads: a learner's credentials (brought from outside, and issued by this portal through
``credentials.api``), programmes, the applications a user may see and the queues, and the engine's
inputs and result for a learner or an application. Other apps are read only through their
``api`` modules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.rules import active_roles, ptj_ids_for
from audit.models import AuditEvent
from core import errors
from core.errors import ApplicationError
from courses import api as courses_api
from courses.data import McOriginData, ProgrammeData
from credentials.api import credentials_for_learner
from credentials.data import IssuedCredentialData
from policy.api import policy_in_force
from policy.data import PolicyData
from transfer.choices import STANDALONE_KINDS, ApplicationStatus, CloSource, CredentialKind, Source, Verification
from transfer.models import AgeException, Application, ApplicationLine, DecisionLetter, PriorCredential
from transfer.policies import (
    ApelMResult,
    CourseIn,
    CredentialIn,
    ProgrammeIn,
    TransferResult,
    apelm_eligibility,
    credit_transfer,
)
from transfer.policies.caps import whole_credits
from transfer.policies.workflow import Actor, states_for_actor


def not_found(what: str = "application") -> errors.ApplicationError:
    messages = {
        "application": _("No such credit-transfer application."),
        "programme": _("No such programme."),
        "credential": _("No such credential."),
        "line": _("No such claim in this application."),
    }
    return errors.not_found(what, messages[what])


# --- programmes ----------------------------------------------------------------------------------


def programme_choices() -> list[ProgrammeData]:
    """Programmes credit may be transferred to: active, never Foundation (R-CAT-5)."""
    return [p for p in courses_api.programme_list() if not p.is_foundation]


def programme_data(programme_id: int) -> ProgrammeData:
    try:
        return courses_api.programme_get(programme_id)
    except LookupError:
        raise not_found("programme") from None


def programme_input(programme: ProgrammeData) -> ProgrammeIn:
    return ProgrammeIn(
        code=programme.code,
        name=programme.name,
        level=programme.level,
        graduating_credits=programme.graduating_credits,
        courses=tuple(CourseIn(c.code, c.name, c.credits, c.is_mpu) for c in programme.courses),
    )


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


# --- the engine for a learner --------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    programme: ProgrammeData
    held: tuple[HeldCredential, ...]
    mapping: dict[str, str]
    result: TransferResult
    apelm: ApelMResult
    policy: PolicyData


def age_exception_for(learner_id: int, programme_id: int) -> AgeException | None:
    return (
        AgeException.objects.filter(learner_id=learner_id, programme_id=programme_id, revoked_at__isnull=True)
        .select_related("granted_by")
        .first()
    )


def birth_year(learner_id: int) -> int | None:
    from enrolment.api import learner_birth_date

    born = learner_birth_date(learner_id)
    return born.year if born else None


def apelm_for(learner_id: int, programme: ProgrammeData, claims: list[CredentialIn], policy: PolicyData) -> ApelMResult:
    return apelm_eligibility(
        programme_input(programme),
        claims,
        policy,
        birth_year=birth_year(learner_id),
        year=timezone.localdate().year,
        age_exception=age_exception_for(learner_id, programme.id) is not None,
    )


def learner_evaluation(learner_id: int, programme_id: int, mapping: Mapping[str, str] | None = None) -> Evaluation:
    """ "What would count?": the engine over all the learner's credentials, mapped as given (or
    by default), under the policy in force today."""
    programme = programme_data(programme_id)
    if programme.is_foundation:
        raise ApplicationError(
            "programme_foundation",
            _("R-CAT-5: Foundation programmes are never targets of micro-credential transfer."),
            field="programme",
        )
    held = tuple(learner_credentials(learner_id))
    chosen = default_mapping(programme, held)
    for ref, course in (mapping or {}).items():
        if ref in chosen:
            chosen[ref] = course
    policy = policy_in_force()
    claims = [h.as_input(chosen[h.ref]) for h in held]
    result = credit_transfer(programme_input(programme), claims, policy)
    return Evaluation(programme, held, chosen, result, apelm_for(learner_id, programme, claims, policy), policy)


# --- applications --------------------------------------------------------------------------------


def with_lines(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("programme", "ptj", "learner", "policy_version", "decided_by").prefetch_related(
        Prefetch("lines", queryset=ApplicationLine.objects.select_related("credential", "assessed_by"))
    )


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """The same people ``transfer.view_application`` admits, as one query (lists and queues)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    roles = {role for role, _, _ in active_roles(user)}
    if Role.CFLEX_ADMIN in roles:
        return Application.objects.all()
    visible = Q(learner=user)
    coordinator_ptjs = ptj_ids_for(user, [Role.PROGRAMME_COORDINATOR])
    if coordinator_ptjs:
        visible |= (
            Q(ptj_id__in=coordinator_ptjs)
            & (Q(programme__coordinator__isnull=True) | Q(programme__coordinator=user))
            & ~Q(learner=user)
        )
    dean_ptjs = ptj_ids_for(user, [Role.DEAN])
    if dean_ptjs:
        visible |= Q(ptj_id__in=dean_ptjs) & ~Q(learner=user)
    if Role.APELC_OFFICER in roles:
        visible |= Q(lines__credential__kind__in=sorted(STANDALONE_KINDS)) & ~Q(learner=user)
    return Application.objects.filter(pk__in=Application.objects.filter(visible).values("pk"))


def application_get(user: Any, pk: int) -> Application:
    """One application with its claims; other people's are not found (404)."""
    application = with_lines(Application.objects.filter(pk=pk)).first()
    if application is None or not user.has_perm("transfer.view_application", application):
        raise not_found()
    return application


def decision_letter_get(user: Any, pk: int) -> DecisionLetter:
    """The decision letter of an application the user may see (R-CT-6); 404 until it is written."""
    application = application_get(user, pk)
    letter = DecisionLetter.objects.filter(application=application).first()
    if letter is None:
        raise errors.not_found("letter", _("The decision letter is not written yet."))
    return letter


def application_queue(user: Any) -> QuerySet[Application]:
    """What waits for this user to act, oldest first."""
    visible = applications_visible_to(user)
    waiting = Q(pk__in=[])
    roles = {role for role, _, _ in active_roles(user)}
    if Role.APELC_OFFICER in roles:
        waiting |= Q(status__in=states_for_actor(Actor.APELC))
    if Role.PROGRAMME_COORDINATOR in roles:
        waiting |= Q(status__in=states_for_actor(Actor.COORDINATOR)) & Q(
            ptj_id__in=ptj_ids_for(user, [Role.PROGRAMME_COORDINATOR])
        )
    if Role.DEAN in roles:
        waiting |= Q(status__in=states_for_actor(Actor.DEAN)) & Q(ptj_id__in=ptj_ids_for(user, [Role.DEAN]))
    return (
        visible.filter(waiting)
        .exclude(learner=user)
        .select_related("programme", "ptj", "learner")
        .order_by("state_entered_at", "pk")
    )


def learner_applications(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(learner=user).select_related("programme", "ptj").order_by("-submitted_at")


def line_clo(line: ApplicationLine) -> tuple[Decimal, ...] | None:
    if line.clo_attainment is None:
        return None
    return tuple(Decimal(str(v)) for v in line.clo_attainment)


def application_claims(application: Application) -> list[CredentialIn]:
    """The engine's input from an application's claims; a portal credential revoked since is
    no longer active."""
    lines = list(application.lines.all())
    status = {}
    if any(line.credential.issued_credential_id for line in lines):
        status = {c.id: c.status for c in _issued_for(application.learner_id)}
    claims = []
    for line in lines:
        credential = line.credential
        active = credential.issued_credential_id is None or status.get(credential.issued_credential_id) == "active"
        claims.append(
            CredentialIn(
                ref=credential.ref,
                code=credential.code,
                title=credential.title,
                kind=credential.kind,
                credits=credential.credits,
                from_unimas=credential.source == Source.UNIMAS,
                provider=credential.provider,
                course=line.course_code,
                verification=line.verification,
                clo_attainment=line_clo(line) if credential.kind in STANDALONE_KINDS else None,
                active=active,
                is_mpu=credential.origin_is_mpu,
            )
        )
    return claims


def application_evaluation(application: Application, policy: PolicyData | None = None) -> Evaluation:
    """The engine over an application's claims as they stand now."""
    programme = programme_data(application.programme_id)
    policy = policy or policy_in_force()
    claims = application_claims(application)
    result = credit_transfer(programme_input(programme), claims, policy, prefix="lines")
    return Evaluation(
        programme,
        (),
        {c.ref: c.course for c in claims},
        result,
        apelm_for(application.learner_id, programme, claims, policy),
        policy,
    )


def unassessed_lines(application: Application) -> list[ApplicationLine]:
    return [
        line
        for line in application.lines.all()
        if line.credential.kind in STANDALONE_KINDS and line.clo_source == CloSource.NONE
    ]


def unverified_lines(application: Application) -> list[ApplicationLine]:
    return [line for line in application.lines.all() if line.verification == Verification.UNVERIFIED]


DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.NOT_SUPPORTED)


def stored_result(document: Mapping[str, Any]) -> tuple[TransferResult, ApelMResult] | None:
    """The engine's result as the application kept it (what a decision was made on)."""
    from transfer.policies import Advice, CapOutcome, CourseOutcome, CredentialOutcome, Problem

    if not document or "credentials" not in document:
        return None
    fields = {
        k: document[k]
        for k in (
            "programme_code",
            "graduating_credits",
            "policy_id",
            "policy_name",
            "creditable",
            "transferred",
            "binding_cap",
            "binding_rule",
            "binding_cut",
            "external_transferred",
            "remaining",
            "at_unimas",
            "min_at_unimas",
        )
    }
    result = TransferResult(
        **fields,
        credentials=tuple(
            CredentialOutcome(**{**o, "pending": tuple(o.get("pending", ()))}) for o in document["credentials"]
        ),
        courses=tuple(CourseOutcome(**{**c, "refs": tuple(c["refs"])}) for c in document["courses"]),
        caps=tuple(CapOutcome(**c) for c in document["caps"]),
        advice=Advice(**document["advice"]),
        problems=tuple(Problem(**p) for p in document.get("problems", ())),
    )
    a = document["apelm"]
    apelm = ApelMResult(**{**a, "share_pct": Decimal(str(a["share_pct"])), "reasons": tuple(a["reasons"])})
    return result, apelm


def application_history(application: Application) -> list[AuditEvent]:
    """The application's audit trail, with the age exceptions (R-AP-4) granted or revoked for its
    learner and programme, oldest first (two queries)."""
    from django.contrib.contenttypes.models import ContentType

    exception_ids = [
        str(pk)
        for pk in AgeException.objects.filter(
            learner_id=application.learner_id, programme_id=application.programme_id
        ).values_list("pk", flat=True)
    ]
    own = Q(content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk))
    exceptions = Q(content_type=ContentType.objects.get_for_model(AgeException), object_id__in=exception_ids)
    return list(AuditEvent.objects.filter(own | exceptions).select_related("actor").order_by("created_at", "id"))

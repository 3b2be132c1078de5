"""Submitting an application (R-CT-6)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from transfer.choices import (
    STANDALONE_KINDS,
    ApplicationStatus,
    CloSource,
    Source,
    Verification,
)
from transfer.models import Application, ApplicationLine, PriorCredential
from transfer.policies import claim_problems
from transfer.policies.workflow import (
    SUBMIT,
    Actor,
    Facts,
    target_of,
)
from transfer.selectors import (
    Evaluation,
    HeldCredential,
    application_evaluation,
    learner_credentials,
    not_found,
    programme_data,
    programme_input,
)
from transfer.services.applications.common import Claim, _locked, _store, problem_error
from transfer.services.applications.notifications import _notify

# --- submission ---------------------------------------------------------------------------------


def _stored(actor: User, held: HeldCredential) -> PriorCredential:
    """A portal credential is recorded here the first time it is claimed (idempotent)."""
    if held.prior_id is not None:
        return PriorCredential.objects.get(pk=held.prior_id)
    assert held.issued_credential_id is not None
    credential, _created = PriorCredential.objects.get_or_create(
        learner=actor,
        issued_credential_id=held.issued_credential_id,
        defaults={
            "source": Source.UNIMAS,
            "kind": held.kind,
            "code": held.code,
            "title": held.title[:250],
            "provider": "UNIMAS",
            "credits": held.credits,
            "completed_on": held.completed_on,
            "enrolment_id": held.enrolment_id,
            "origin_course_code": held.suggested_course,
            "origin_is_mpu": held.is_mpu,
            "evidence_kind": "portal",
            "verification": Verification.VERIFIED,
        },
    )
    return credential


def application_may_submit(*, actor: User) -> None:
    """403 to whoever is not a learner; the API checks it before reading its input."""
    if not actor.has_perm("transfer.apply"):
        raise ApplicationError(
            "transfer_forbidden", _("Only learners apply for credit transfer."), kind=ErrorKind.FORBIDDEN
        )


@transaction.atomic
def application_submit(*, actor: User, programme_id: int, claims: Sequence[Claim], comment: str = "") -> Application:
    """R-CT-6: the learner applies for credit towards a programme, claiming credentials mapped to
    its courses. Refused, with the claim at fault and nothing written: a Foundation programme, a
    credential that is not the learner's, one claimed twice, a course not in the programme or
    mapped from too few credits, a credential already transferred to this programme, an open
    application to the same programme."""
    application_may_submit(actor=actor)
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one submission at a time per learner
    programme = programme_data(programme_id)
    if not programme.is_active:
        raise not_found("programme")
    held = {h.ref: h for h in learner_credentials(actor.pk)}
    inputs = []
    for index, claim in enumerate(claims):
        found = held.get(claim.credential)
        if found is None:
            raise ApplicationError(
                "credential_not_found",
                _("You hold no such credential."),
                field=f"claims[{index}].credential",
                kind=ErrorKind.NOT_FOUND,
            )
        inputs.append(found.as_input(claim.course.strip().upper()))
    problems = claim_problems(programme_input(programme), inputs)
    if problems:
        raise problem_error(problems[0])
    for index, claimed in enumerate(inputs):
        if not held[claimed.ref].active:
            raise ApplicationError(
                "credential_not_active",
                _("%(code)s has been revoked or suspended and cannot be claimed.") % {"code": claimed.code},
                field=f"claims[{index}].credential",
            )
    if Application.objects.filter(learner=actor, programme_id=programme.id, status__in=_OPEN).exists():
        raise ApplicationError(
            "application_open_exists",
            _("You already have an open application to this programme; withdraw it to apply again."),
            field="programme",
            kind=ErrorKind.CONFLICT,
        )
    stored = [_stored(actor, held[c.ref]) for c in inputs]
    transferred = ApplicationLine.objects.filter(
        application__learner=actor,
        application__programme_id=programme.id,
        application__status=ApplicationStatus.APPROVED,
        credential__in=stored,
        counted_credits__gt=0,
    ).values_list("credential_id", flat=True)
    already = set(transferred)
    for index, credential in enumerate(stored):
        if credential.pk in already:
            raise ApplicationError(
                "credential_already_transferred",
                _("%(code)s was already transferred to this programme.") % {"code": credential.code},
                field=f"claims[{index}].credential",
            )
    from policy.api import policy_in_force

    policy = policy_in_force()
    has_standalone = any(c.kind in STANDALONE_KINDS for c in stored)
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                learner=actor,
                programme_id=programme.id,
                ptj_id=programme.ptj_id,
                status=target_of(SUBMIT, Facts(status="", has_standalone=has_standalone)),
                learner_comment=comment.strip(),
                policy_version_id=policy.id,
                submitted_at=now,
                state_entered_at=now,
            )
    except IntegrityError:  # a concurrent submission won
        raise ApplicationError(
            "application_open_exists",
            _("You already have an open application to this programme."),
            kind=ErrorKind.CONFLICT,
        ) from None
    for position, (credential, claimed) in enumerate(zip(stored, inputs, strict=True)):
        gradebook = held[claimed.ref].clo_attainment if credential.kind in STANDALONE_KINDS else None
        ApplicationLine.objects.create(
            application=application,
            position=position,
            credential=credential,
            course_code=claimed.course,
            verification=credential.verification,
            verification_reason=credential.verification_reason,
            clo_attainment=[str(v) for v in gradebook] if gradebook is not None else None,
            clo_source=CloSource.GRADEBOOK if gradebook is not None else CloSource.NONE,
        )
    application = _locked(application)
    evaluation = application_evaluation(application, policy)
    _store(application, evaluation)
    event = audit_record(
        actor=actor,
        action="transfer.submit",
        obj=application,
        to_state=application.status,
        comment=application.learner_comment,
        data=_event_data(application, evaluation, actor_role=Actor.LEARNER),
    )
    _notify(application, SUBMIT, event.pk, actor)
    return application


_OPEN = sorted({ApplicationStatus.APELC_REVIEW, ApplicationStatus.COORDINATOR_REVIEW, ApplicationStatus.DEAN_REVIEW})


def _event_data(application: Application, evaluation: Evaluation, **extra: Any) -> dict[str, Any]:
    return {
        "policy_version": evaluation.policy.id,
        "credits_transferred": evaluation.result.transferred,
        "binding_cap": evaluation.result.binding_cap,
        "binding_cut": evaluation.result.binding_cut,
        "mapping": {line.credential.code: line.course_code for line in application.lines.all()},
        **extra,
    }

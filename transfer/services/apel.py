"""R-AP-4: the university's exception to the minimum age for APEL.M, with a recorded reason; it
is revoked (with a reason too), never deleted."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PTj, Role, RoleAssignment, User
from accounts.rules import is_cflex_admin, is_dean
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from transfer.models import AgeException
from transfer.selectors import programme_data
from transfer.services.applications import applications_reevaluate


def _authorise(actor: User, ptj_id: int) -> None:
    if not actor.has_perm("transfer.grant_age_exception", PTj.objects.get(pk=ptj_id)):
        raise ApplicationError(
            "transfer_forbidden",
            _("Only the Dean of the programme's faculty or CFLEX grants or revokes an age exception."),
            kind=ErrorKind.FORBIDDEN,
        )


def age_exception_may_grant(*, actor: User) -> None:
    """403 to whoever grants no age exception anywhere (neither a Dean nor a CFLEX administrator).
    The service checks the programme's PTj itself; the API checks this first, before its input."""
    if not (is_cflex_admin(actor) or is_dean(actor)):
        raise ApplicationError(
            "transfer_forbidden",
            _("Only the Dean of the programme's faculty or CFLEX grants or revokes an age exception."),
            kind=ErrorKind.FORBIDDEN,
        )


def age_exception_may_revoke(*, actor: User, exception_id: int) -> None:
    """404 to whoever may not revoke this age exception (it is another faculty's record), before
    the API reads its input; the service checks again under the row lock."""
    exception = AgeException.objects.filter(pk=exception_id).only("ptj_id").first()
    if exception is None or not actor.has_perm("transfer.grant_age_exception", PTj.objects.get(pk=exception.ptj_id)):
        raise ApplicationError(
            "age_exception_not_found", _("No such age exception."), field="exception", kind=ErrorKind.NOT_FOUND
        )


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < 10:
        raise ApplicationError(
            "reason_required", _("R-AP-4: record the reason for the exception (a sentence at least)."), field="reason"
        )
    return reason


@transaction.atomic(durable=True)
def age_exception_grant(*, actor: User, learner_id: int, programme_id: int, reason: str) -> AgeException:
    """The Dean of the programme's PTj (or a CFLEX administrator) lets a learner under the APEL.M
    age in; the reason is required and kept."""
    programme = programme_data(programme_id)
    _authorise(actor, programme.ptj_id)
    learner = User.objects.filter(pk=learner_id, is_active=True).first()
    if (
        learner is None
        or not RoleAssignment.objects.filter(user=learner, role=Role.LEARNER, revoked_at__isnull=True).exists()
    ):
        raise ApplicationError("learner_not_found", _("No such learner."), field="learner", kind=ErrorKind.NOT_FOUND)
    if learner.pk == actor.pk:
        raise ApplicationError(
            "transfer_forbidden", _("Nobody grants an exception to themselves."), kind=ErrorKind.FORBIDDEN
        )
    reason = _reason(reason)
    try:
        with transaction.atomic():
            exception = AgeException.objects.create(
                learner=learner, programme_id=programme.id, ptj_id=programme.ptj_id, reason=reason, granted_by=actor
            )
    except IntegrityError:
        raise ApplicationError(
            "age_exception_exists",
            _("This learner already has an age exception for this programme."),
            kind=ErrorKind.CONFLICT,
        ) from None
    audit_record(
        actor=actor,
        action="transfer.age_exception",
        obj=exception,
        comment=reason,
        data={"learner": learner.pk, "programme": programme.code},
    )
    applications_reevaluate(learner.pk, programme.id)
    return exception


@transaction.atomic(durable=True)
def age_exception_revoke(*, actor: User, exception_id: int, reason: str) -> AgeException:
    """The Dean of the programme's PTj (or a CFLEX administrator) withdraws an exception, for a
    recorded reason. The row is kept with who revoked it and why; the learner's APEL.M check
    applies the minimum age again from then on, and a new exception may be granted later."""
    exception = AgeException.objects.select_for_update().filter(pk=exception_id).first()
    if exception is None:
        raise ApplicationError(
            "age_exception_not_found", _("No such age exception."), field="exception", kind=ErrorKind.NOT_FOUND
        )
    _authorise(actor, exception.ptj_id)
    reason = _reason(reason)
    if exception.revoked_at is not None:
        raise ApplicationError(
            "age_exception_revoked", _("This age exception is already revoked."), kind=ErrorKind.CONFLICT
        )
    exception.revoked_at = timezone.now()
    exception.revoked_by = actor
    exception.revoke_reason = reason
    exception.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        actor=actor,
        action="transfer.age_exception_revoke",
        obj=exception,
        comment=reason,
        data={"learner": exception.learner_id, "programme": exception.programme_id},
    )
    applications_reevaluate(exception.learner_id, exception.programme_id)
    return exception

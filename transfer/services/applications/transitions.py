"""Moving an application through its transition table (R-CT-6)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from transfer.models import Application
from transfer.policies.workflow import (
    ACTION_LABELS,
    ACTOR_LABELS,
    GUARD_MESSAGES,
    SUBMIT,
    TABLE,
    Transition,
    actions,
    guard_problem,
    rows_for,
    target_of,
)
from transfer.selectors import (
    application_evaluation,
    not_found,
)
from transfer.services.applications.common import _facts, _locked, _store
from transfer.services.applications.notifications import _notify
from transfer.services.applications.submission import _event_data

# --- transitions --------------------------------------------------------------------------------


def already_decided(application: Application) -> ApplicationError:
    return ApplicationError(
        "application_already_decided",
        _("Someone has already acted on this application: it is now %(state)s. Reload to see it.")
        % {"state": application.get_status_display()},
        kind=ErrorKind.CONFLICT,
    )


def _choose_row(actor: User, application: Application, action: str, expected_state: str | None) -> Transition:
    if expected_state and expected_state != application.status:
        raise already_decided(application)
    if action not in actions() or action == SUBMIT.action:
        raise ApplicationError(
            "unknown_action", _("There is no action %(action)s.") % {"action": action}, field="action"
        )
    rows = rows_for(application.status, action)
    if not rows:
        raise ApplicationError(
            "illegal_transition",
            _("'%(action)s' is not possible while the application is %(state)s.")
            % {"action": ACTION_LABELS.get(action, action), "state": application.get_status_display()},
            kind=ErrorKind.CONFLICT,
        )
    for row in rows:
        if actor.has_perm(f"transfer.act_as_{row.actor}", application):
            return row
    who = ", ".join(str(ACTOR_LABELS[row.actor]) for row in rows)
    raise ApplicationError(
        "transfer_forbidden",
        _("Only the %(who)s of this application may do that (and never the applicant).") % {"who": who},
        kind=ErrorKind.FORBIDDEN,
    )


def application_act_may(*, actor: User, application: Application) -> None:
    """404 to whoever may not see the application, 403 to whoever takes no step of it. The API
    checks it before reading its input; ``application_transition`` decides the step under the lock."""
    if not actor.has_perm("transfer.view_application", application):
        raise not_found()
    if not any(actor.has_perm(f"transfer.act_as_{who}", application) for who in {row.actor for row in TABLE}):
        raise ApplicationError(
            "transfer_forbidden", _("You take no step of this application."), kind=ErrorKind.FORBIDDEN
        )


@transaction.atomic(durable=True)
def application_transition(
    *, actor: User, application: Application, action: str, comment: str = "", expected_state: str | None = None
) -> Application:
    """Take one row of the table. Refusals: ``application_not_found`` (404, may not see it),
    ``transfer_forbidden`` (403), ``illegal_transition`` / ``application_already_decided`` / a
    guard (409), ``comment_required`` (400)."""
    application = _locked(application)
    if not actor.has_perm("transfer.view_application", application):
        raise not_found()
    row = _choose_row(actor, application, action, expected_state)
    evaluation = application_evaluation(application)
    problem = guard_problem(row, _facts(application, evaluation))
    if problem:
        raise ApplicationError(problem, str(GUARD_MESSAGES[problem]), kind=ErrorKind.CONFLICT)
    comment = comment.strip()
    if row.comment_required and not comment:
        raise ApplicationError("comment_required", _("Give the reason: a comment is required."), field="comment")
    previous = application.status
    now = timezone.now()
    application.status = target_of(row, _facts(application, evaluation))
    application.state_entered_at = now
    if row.final:
        application.decided_at = now
        application.decided_by = actor
        application.decision_comment = comment
    application.save(update_fields=["status", "state_entered_at", "decided_at", "decided_by", "decision_comment"])
    _store(application, evaluation)  # the decision records the policy version it was made under
    event = audit_record(
        actor=actor,
        action=f"transfer.{row.action}",
        obj=application,
        from_state=previous,
        to_state=application.status,
        comment=comment,
        data=_event_data(application, evaluation, actor_role=row.actor),
    )
    _notify(application, row, event.pk, actor)
    if row.final:
        transaction.on_commit(_letter_sender(application.pk))
    return application


def _letter_sender(application_id: int) -> Any:
    from transfer.tasks import decision_letter_send

    def send() -> None:
        decision_letter_send.delay(application_id)

    return send

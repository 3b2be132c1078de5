"""Who is told of a transition, and the mail."""

from __future__ import annotations

from accounts.models import Role, RoleAssignment, User
from core.services import notification_queue
from transfer.choices import (
    DECIDED_STATUSES,
)
from transfer.models import Application
from transfer.policies.workflow import (
    TABLE,
    Actor,
    Transition,
)
from transfer.services.applications.common import _url

# --- notifications ------------------------------------------------------------------------------


def users_for_actor(actor: str, application: Application) -> list[User]:
    """Who ``actor`` is for this application: the people to tell it waits for them."""
    if actor == Actor.LEARNER:
        return [application.learner]
    assignments = RoleAssignment.objects.filter(revoked_at__isnull=True)
    if actor == Actor.APELC:
        assignments = assignments.filter(role=Role.APELC_OFFICER)
    elif actor == Actor.COORDINATOR:
        assignments = assignments.filter(role=Role.PROGRAMME_COORDINATOR, ptj_id=application.ptj_id)
        if application.programme.coordinator_id is not None:
            assignments = assignments.filter(user_id=application.programme.coordinator_id)
    elif actor == Actor.DEAN:
        assignments = assignments.filter(role=Role.DEAN, ptj_id=application.ptj_id)
    else:
        return []
    return list(
        User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).exclude(pk=application.learner_id)
    )


def _notify(application: Application, row: Transition, event_id: int, actor: User) -> None:
    """To whoever acts next, and to the learner; sent by Celery after commit, once."""
    next_actors = {r.actor for r in TABLE if r.source == application.status and r.action != "withdraw"}
    recipients: dict[int, User] = {}
    for who in sorted(next_actors | {Actor.LEARNER}):
        for user in users_for_actor(who, application):
            recipients[user.pk] = user
    recipients.pop(actor.pk, None)
    notification_queue(
        recipients=recipients.values(),
        template="transfer_transition",
        context={
            "application_id": application.pk,
            "programme": f"{application.programme.code} {application.programme.name}",
            "action": row.action,
            "to_state": application.status,
            "decided": application.status in DECIDED_STATUSES,
            "actor_name": actor.full_name,
        },
        event_key=f"transfer:{application.pk}:event:{event_id}",
        url=_url(application),
    )

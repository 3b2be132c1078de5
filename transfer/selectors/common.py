"""Shared reads: the not-found error and who may see which applications."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.rules import active_roles, ptj_ids_for
from core import errors
from transfer.choices import STANDALONE_KINDS
from transfer.models import Application


def not_found(what: str = "application") -> errors.ApplicationError:
    messages = {
        "application": _("No such credit-transfer application."),
        "programme": _("No such programme."),
        "credential": _("No such credential."),
        "line": _("No such claim in this application."),
    }
    return errors.not_found(what, messages[what])


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

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.errors import ApplicationError, ErrorKind, not_found
from enrolment.models import Enrolment, Offering


def locked_offering(offering: Offering | int) -> Offering:
    pk = offering if isinstance(offering, int) else offering.pk
    return Offering.objects.select_for_update().get(pk=pk)


def locked_enrolment(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("offering").get(pk=enrolment.pk)


def require_on_offering(actor: Any, perm: str, offering: Offering) -> None:
    """403 for people who deal with this offering, 404 for everyone else (STYLE.md)."""
    if actor.has_perm(perm, offering):
        return
    related = any(
        actor.has_perm(p, offering)
        for p in ("enrolment.view_offering_roster", "enrolment.endorse_results", "enrolment.approve_results")
    )
    if not related:
        raise not_found("offering")
    raise ApplicationError("forbidden", _("You may not do this on this offering."), kind=ErrorKind.FORBIDDEN)

"""The permission gate every proposal write passes: predicates decide, and the refusal says
"not found" to anyone who may not even see the proposal."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import ApplicationError, ErrorKind
from courses.models import Proposal
from courses.selectors import not_found, with_design


def require(actor: User, perm: str, proposal: Proposal) -> None:
    """404 to whoever may not see the proposal; 409 when it is no longer a draft; 403 otherwise.
    The services call it under the row lock; an API calls it first too, before reading its input."""
    if not actor.has_perm("courses.view_proposal", proposal):
        raise not_found()
    if actor.has_perm(perm, proposal):
        return
    if not proposal.is_draft:
        raise ApplicationError(
            "proposal_not_draft",
            _("This proposal has been submitted; it can no longer be changed here."),
            kind=ErrorKind.CONFLICT,
        )
    raise ApplicationError("proposal_forbidden", _("You may not do that to this proposal."), kind=ErrorKind.FORBIDDEN)


def locked(proposal: Proposal) -> Proposal:
    """Lock the proposal's row for the transaction, then load it with its design."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    fresh = with_design(Proposal.objects.filter(pk=proposal.pk)).first()
    if fresh is None:
        raise not_found()
    return fresh

"""Revocation and suspension (R-CR-5): the credential row, its bit in the published Bitstring
Status List and the list's signature change in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind, not_found
from credentials import ld
from credentials.models import Credential, CredentialStatus, StatusList, StatusPurpose
from credentials.policies import STATUS_LIST_SIZE, status_position

# action -> (allowed from, to, purpose, bit value)
_CHANGES: dict[str, tuple[frozenset[str], str, str, bool]] = {
    "revoke": (
        frozenset({CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED}),
        CredentialStatus.REVOKED,
        StatusPurpose.REVOCATION,
        True,
    ),
    "suspend": (frozenset({CredentialStatus.ACTIVE}), CredentialStatus.SUSPENDED, StatusPurpose.SUSPENSION, True),
    "reinstate": (frozenset({CredentialStatus.SUSPENDED}), CredentialStatus.ACTIVE, StatusPurpose.SUSPENSION, False),
}


@transaction.atomic
def credential_status_change(*, actor: User | None, credential_id: int, action: str, reason: str) -> Credential:
    """Revoke, suspend or reinstate with a reason; audited; the status list is updated and
    re-signed at once. Revocation is final."""
    from credentials.rules import can_manage_credentials

    if actor is not None and not can_manage_credentials(actor):
        raise ApplicationError("forbidden", _("Only CFLEX may change a credential's status."), kind=ErrorKind.FORBIDDEN)
    if action not in _CHANGES:
        raise ApplicationError("bad_action", _("Unknown action: choose revoke, suspend or reinstate."), field="action")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("reason_required", _("A reason is required (R-CR-5)."), field="reason")
    if len(reason) > 300:
        raise ApplicationError("reason_too_long", _("The reason must be at most 300 characters."), field="reason")
    credential = Credential.objects.select_for_update().filter(pk=credential_id).first()
    if credential is None:
        raise not_found("credential", _("No such credential."))
    allowed, to_state, purpose, value = _CHANGES[action]
    if credential.status not in allowed:
        raise ApplicationError(
            "bad_status",
            _("That is not possible while the credential is %(status)s.")
            % {"status": credential.get_status_display().lower()},
            field="action",
            kind=ErrorKind.CONFLICT,
        )
    previous = credential.status
    if action == "revoke" and previous == CredentialStatus.SUSPENDED:
        _bit_set(credential.pk, StatusPurpose.SUSPENSION, False)
    _bit_set(credential.pk, purpose, value)
    credential.status = to_state
    credential.status_reason = reason
    credential.status_changed_at = timezone.now()
    credential.save(update_fields=["status", "status_reason", "status_changed_at"])
    audit_record(
        actor=actor,
        action=f"credential.{action}",
        obj=credential,
        from_state=previous,
        to_state=to_state,
        comment=reason,
    )
    return credential


def _bit_set(credential_id: int, purpose: str, value: bool) -> None:
    position = status_position(credential_id)
    status_list = _locked_list(purpose, position.number)
    status_list.bits = ld.bit_set(bytes(status_list.bits), position.index, value)
    status_list.signed = _signed(purpose, position.number, bytes(status_list.bits))
    status_list.updated_at = timezone.now()
    status_list.save(update_fields=["bits", "signed", "updated_at"])


def _locked_list(purpose: str, number: int) -> StatusList:
    found = StatusList.objects.select_for_update().filter(purpose=purpose, number=number).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            StatusList.objects.create(purpose=purpose, number=number, bits=bytes(STATUS_LIST_SIZE // 8))
    except IntegrityError:
        pass  # another transaction made it first
    return StatusList.objects.select_for_update().get(purpose=purpose, number=number)


def _signed(purpose: str, number: int, bits: bytes) -> dict[str, Any]:
    from credentials.services.issuance import status_list_url

    url = status_list_url(purpose, number)
    document = ld.status_list_credential(
        url=url, purpose=purpose, encoded_list=ld.encode_list(bits), issuer=ld.portal_did(), valid_from=timezone.now()
    )
    return ld.sign(document, key=ld.portal_keys()[0])


def status_list_document(*, purpose: str, number: int) -> dict[str, Any] | None:
    """The signed list credential served at its stable URL; a list no bit of which was ever set
    is published all clear (and kept, so it is signed once). None for a list that cannot exist."""
    if purpose not in StatusPurpose.values or number < 0:
        return None
    found = StatusList.objects.filter(purpose=purpose, number=number).first()
    if found is not None and found.signed is not None:
        return dict(found.signed)  # the common case: one query
    if found is None:
        # A list may exist only once a credential points into it.
        last = Credential.objects.order_by("-pk").values_list("pk", flat=True).first()
        if last is None or number > status_position(last).number:
            return None
    with transaction.atomic():
        status_list = _locked_list(purpose, number)
        if status_list.signed is None:
            status_list.signed = _signed(purpose, number, bytes(status_list.bits))
            status_list.save(update_fields=["signed"])
        return dict(status_list.signed)

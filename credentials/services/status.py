"""Revocation and suspension (R-CR-5): the credential row, its bit in the published Bitstring
Status List and the list's signature change in one transaction.

Status lists are made and signed when the first credential pointing into them is issued
(``status_lists_ensure``), never by a public GET; a list is only ever signed under the DID it was
first published as (docs/decisions/0120); ``status_lists_resign`` re-signs them all with the
current key after a rotation (``manage.py credential_status_resign``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind, not_found
from core.fsm import IllegalTransition
from credentials import conf, hits, ld
from credentials.models import Credential, CredentialStatus, StatusList, StatusPurpose
from credentials.policies import STATUS_BITS, STATUS_LIST_SIZE, STATUS_MACHINE, StatusCheck, status_position

PURPOSES = (StatusPurpose.REVOCATION.value, StatusPurpose.SUSPENSION.value)


@transaction.atomic
def credential_status_change(*, actor: User | None, credential_id: int, action: str, reason: str) -> Credential:
    """Revoke, suspend or reinstate with a reason; audited; the status list is updated and
    re-signed at once. Revocation is final."""
    from credentials.rules import can_manage_credentials

    if actor is not None and not can_manage_credentials(actor):
        raise ApplicationError("forbidden", _("Only CFLEX may change a credential's status."), kind=ErrorKind.FORBIDDEN)
    if action not in STATUS_MACHINE.actions():
        raise ApplicationError("bad_action", _("Unknown action: choose revoke, suspend or reinstate."), field="action")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("reason_required", _("A reason is required."), field="reason")
    if len(reason) > 300:
        raise ApplicationError("reason_too_long", _("The reason must be at most 300 characters."), field="reason")
    credential = Credential.objects.select_for_update().filter(pk=credential_id).first()
    if credential is None:
        raise not_found("credential", _("No such credential."))
    try:
        _row, to_state = STATUS_MACHINE.move(credential.status, action, None)
    except IllegalTransition:
        raise ApplicationError(
            "bad_status",
            _("That is not possible while the credential is %(status)s.")
            % {"status": credential.get_status_display().lower()},
            field="action",
            kind=ErrorKind.CONFLICT,
        ) from None
    purpose, value = STATUS_BITS[action]
    previous = credential.status
    if action == "revoke" and previous == CredentialStatus.SUSPENDED:
        _bit_set(credential.pk, StatusPurpose.SUSPENSION, False)
    _bit_set(credential.pk, purpose, value)
    credential.status = to_state
    credential.status_reason = reason
    credential.status_changed_at = timezone.now()
    credential.save(update_fields=["status", "status_reason", "status_changed_at"])
    verification_id = str(credential.verification_id)
    transaction.on_commit(lambda: hits.forget_credential(verification_id))  # others see the new state
    audit_record(
        actor=actor,
        action=f"credential.{action}",
        obj=credential,
        from_state=previous,
        to_state=to_state,
        comment=reason,
    )
    # Copies bound to wallets (issue 16) carry the same status bit, so they changed with it.
    copies = [str(copy_id) for copy_id in credential.bound_copies.values_list("copy_id", flat=True)]
    if copies:
        audit_record(
            actor=actor,
            action=f"credential.wallet_copies_{action}",
            obj=credential,
            from_state=previous,
            to_state=to_state,
            comment=f"{len(copies)} wallet copies with it",
            data={"copies": copies},
        )
    return credential


def _bit_set(credential_id: int, purpose: str, value: bool) -> None:
    position = status_position(credential_id)
    status_list = _locked_list(purpose, position.number)
    status_list.bits = ld.bit_set(bytes(status_list.bits), position.index, value)
    _sign(status_list)
    status_list.updated_at = timezone.now()
    status_list.save(update_fields=["bits", "signed", "issuer_did", "updated_at"])


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


def issuer_changed(published_as: str) -> ApplicationError:
    """The refusal when this process would sign a list as another DID than it was published as:
    every credential on it would then fail its status check (decision 0120)."""
    return ApplicationError(
        "status_list_issuer_changed",
        _(
            "The status lists were published as %(published)s, but this process would sign them as "
            "%(current)s (PUBLIC_BASE_URL is %(base)s). Nothing was changed: run it with the "
            "PUBLIC_BASE_URL the portal is served at."
        )
        % {"published": published_as, "current": ld.portal_did(), "base": conf.base_url()},
        kind=ErrorKind.CONFLICT,
    )


def _sign(status_list: StatusList) -> None:
    """Sign the list (in memory) with the current key, under the DID it was first published as."""
    from credentials.services.issuance import status_list_url

    did = ld.portal_did()
    if status_list.issuer_did and status_list.issuer_did != did:
        raise issuer_changed(status_list.issuer_did)
    url = status_list_url(status_list.purpose, status_list.number)
    document = ld.status_list_credential(
        url=url,
        purpose=status_list.purpose,
        encoded_list=ld.encode_list(bytes(status_list.bits)),
        issuer=did,
        valid_from=timezone.now(),
    )
    status_list.signed = ld.sign(document, key=ld.current_signing_key())
    status_list.issuer_did = did


def status_lists_ensure(number: int) -> None:
    """Issue time: both lists (revocation, suspension) of list ``number`` exist, signed, under
    this portal's DID. One query when they do; the first credential of a list makes and signs
    them. Raises ``status_list_issuer_changed`` rather than issue credentials under another DID."""
    did = ld.portal_did()
    published = dict(
        StatusList.objects.filter(number=number, purpose__in=PURPOSES, signed__isnull=False).values_list(
            "purpose", "issuer_did"
        )
    )
    for purpose in PURPOSES:
        issuer = published.get(purpose)
        if issuer is not None:
            if issuer and issuer != did:
                raise issuer_changed(issuer)
            continue
        status_list = _locked_list(purpose, number)
        if status_list.signed is None:
            _sign(status_list)
            status_list.save(update_fields=["signed", "issuer_did"])
        elif status_list.issuer_did != did:
            raise issuer_changed(status_list.issuer_did)


def status_list_document(*, purpose: str, number: int) -> dict[str, Any] | None:
    """The signed list credential served at its stable URL, in one query; None for a list that
    was never published. Reads only: a GET never creates or signs a list."""
    if purpose not in StatusPurpose.values or number < 0:
        return None
    signed = StatusList.objects.filter(purpose=purpose, number=number).values_list("signed", flat=True).first()
    return dict(signed) if signed else None


def status_checks_stored(credential_id: int, *, bits: dict[str, int] | None = None) -> list[StatusCheck]:
    """Both status bits of one of the portal's own credentials, read straight from the list rows
    (one query, no signature check: the rows are what the portal signs and publishes)."""
    from credentials.selectors import status_bits

    found = status_bits(credential_id) if bits is None else bits
    return [
        StatusCheck(purpose, bool(found[purpose]))
        if purpose in found
        else StatusCheck(purpose, None, _("The status list has not been published."))
        for purpose in PURPOSES
    ]


@dataclass(frozen=True)
class ResignResult:
    created: int
    signed: int
    unchanged: int


def status_lists_resign(*, everything: bool = False) -> ResignResult:
    """After a key rotation (or on a portal whose lists predate issue-time publishing): make any
    list a credential points into, and sign with the current key every list that is unsigned or
    signed by another key (``everything``: every list). Refuses, changing nothing, if any list
    was published under another DID."""
    did = ld.portal_did()
    current = ld.verification_method_id(ld.current_signing_key())
    with transaction.atomic(durable=True):
        other = (
            StatusList.objects.exclude(issuer_did="").exclude(issuer_did=did).values_list("issuer_did", flat=True)
        ).first()
        if other:
            raise issuer_changed(other)
        last = Credential.objects.order_by("-pk").values_list("pk", flat=True).first()
        numbers = range(status_position(last).number + 1) if last else range(0)
        created = signed = unchanged = 0
        existing = set(StatusList.objects.values_list("purpose", "number"))
        for number in numbers:
            for purpose in PURPOSES:
                if (purpose, number) not in existing:
                    _locked_list(purpose, number)
                    created += 1
        for status_list in StatusList.objects.select_for_update().order_by("number", "purpose"):
            method = ((status_list.signed or {}).get("proof") or {}).get("verificationMethod")
            if status_list.signed is not None and method == current and not everything:
                unchanged += 1
                continue
            _sign(status_list)
            status_list.updated_at = timezone.now()
            status_list.save(update_fields=["signed", "issuer_did", "updated_at"])
            signed += 1
    return ResignResult(created=created, signed=signed, unchanged=unchanged)

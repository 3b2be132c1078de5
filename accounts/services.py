"""The only code that writes people and roles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from accounts.models import (
    ADMIN_SITE_ROLES,
    COMMITTEE_SCOPED_ROLES,
    PTJ_SCOPED_ROLES,
    PTj,
    Role,
    RoleAssignment,
    User,
)
from accounts.rules import forget_roles
from accounts.tokens import email_confirmation_token
from accounts.validators import legal_name_clean
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from core.services import notification_queue


def role_scope_check(*, role: Role, ptj: PTj | None, committee: str) -> None:
    if role in PTJ_SCOPED_ROLES and ptj is None:
        raise ApplicationError("role_needs_ptj", f"The role '{role.label}' must be given for one PTj.", field="ptj")
    if role not in PTJ_SCOPED_ROLES and ptj is not None:
        raise ApplicationError("role_not_ptj_scoped", f"The role '{role.label}' is not held per PTj.", field="ptj")
    if role in COMMITTEE_SCOPED_ROLES and not committee:
        raise ApplicationError(
            "role_needs_committee",
            f"The role '{role.label}' must name its committee (JTSPPA, JTSPS or JPPEU).",
            field="committee",
        )
    if role not in COMMITTEE_SCOPED_ROLES and committee:
        raise ApplicationError(
            "role_not_committee_scoped",
            f"The role '{role.label}' is not held per committee.",
            field="committee",
        )


def _sync_staff_flag(user: User) -> None:
    """The admin site is for the roles that keep policy data and read the audit trail."""
    needs_staff = (
        user.is_superuser
        or RoleAssignment.objects.filter(user=user, role__in=list(ADMIN_SITE_ROLES), revoked_at__isnull=True).exists()
    )
    if user.is_staff != needs_staff:
        user.is_staff = needs_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: Role,
    ptj: PTj | None = None,
    committee: str = "",
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give ``user`` a role (idempotent: an active identical assignment is returned as is)."""
    role = Role(role)
    role_scope_check(role=role, ptj=ptj, committee=committee)
    existing = RoleAssignment.objects.filter(
        user=user, role=role, ptj=ptj, committee=committee, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user, role=role, ptj=ptj, committee=committee, granted_by=granted_by
            )
    except IntegrityError:
        raise ApplicationError(
            "role_conflict", "This person already holds that role.", kind=ErrorKind.CONFLICT
        ) from None
    audit_record(actor=granted_by, action="role.assign", obj=user, to_state=assignment.code, comment=str(assignment))
    _sync_staff_flag(user)
    forget_roles(user)
    if granted_by is not None:
        notification_queue(
            recipients=[user],
            template="role_granted",
            context={"role": role.value, "scope": assignment.scope_label},
            event_key=f"role:{assignment.pk}:granted",
            url=settings.PUBLIC_BASE_URL + reverse("home"),
        )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, revoked_by: User | None) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at is not None:
        raise ApplicationError("role_already_revoked", "That role was already revoked.", kind=ErrorKind.CONFLICT)
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    audit_record(actor=revoked_by, action="role.revoke", obj=assignment.user, from_state=str(assignment))
    _sync_staff_flag(assignment.user)
    forget_roles(assignment.user)
    return assignment


class RegistrationOutcome(StrEnum):
    CREATED = "created"  # a new, inactive account: mail the confirmation link
    PENDING = "pending"  # registered before, never confirmed: mail the link again
    EXISTING = "existing"  # the address has an account: tell its owner, not the visitor


@dataclass(frozen=True)
class Registration:
    user: User
    outcome: RegistrationOutcome


@transaction.atomic(durable=True)
def learner_register(*, email: str, full_name: str, password: str, preferred_language: str = "en") -> Registration:
    """Self-registration: an inactive account with the learner role, active once the email
    address is confirmed (``learner_confirm_email``).

    The visitor is told the same thing whatever the outcome ("check your email"), so the form
    never tells whether an address has an account; the caller mails the address's owner
    according to ``outcome`` after commit."""
    email = email.strip().lower()
    full_name = legal_name_clean(full_name, field="full_name")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # As slow as creating an account (the password hash is most of it), so the answer's
        # timing tells nothing either.
        make_password(password)
        if not existing.is_active and existing.email_confirmed_at is None:
            # Registered but never confirmed: the link goes again to the address's owner;
            # nothing else about the account changes.
            return Registration(existing, RegistrationOutcome.PENDING)
        audit_record(actor=None, action="user.register_existing", obj=existing)
        return Registration(existing, RegistrationOutcome.EXISTING)
    if preferred_language not in dict(settings.LANGUAGES):
        preferred_language = "en"
    # The language the visitor registered in is the language of their pages and mail from now on.
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, preferred_language=preferred_language
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    role_assign(user=user, role=Role.LEARNER)
    audit_record(actor=None, action="user.register", obj=user)
    return Registration(user, RegistrationOutcome.CREATED)


def learner_confirmation_token(user: User) -> str:
    return email_confirmation_token.make_token(user)


def _confirmation_invalid() -> ApplicationError:
    return ApplicationError(
        "confirmation_invalid",
        _("This confirmation link is invalid or has expired. Ask for a new one below."),
        field="token",
    )


def learner_confirmation_user(*, uidb64: str, token: str) -> User:
    """The account a confirmation link is for, only if its token is genuine. A garbage id, an
    unknown account and a wrong or expired token are one and the same refusal. Reads only."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        user = User.objects.get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        raise _confirmation_invalid() from None
    if not email_confirmation_token.check_token(user, token):
        raise _confirmation_invalid()
    return user


class ConfirmOutcome(StrEnum):
    CONFIRMED = "confirmed"  # this request confirmed the address: the caller may log the owner in
    ALREADY_CONFIRMED = "already_confirmed"  # a used link: "please log in", never a session
    CLOSED = "closed"  # confirmed once, since deactivated by CFLEX: the link reopens nothing


@transaction.atomic(durable=True)
def learner_confirm_email(*, user: User, token: str) -> ConfirmOutcome:
    """Confirm the address of an account that has never been confirmed. The token is checked
    first, always; only the first genuine confirmation answers ``CONFIRMED`` (docs/decisions/0100)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not email_confirmation_token.check_token(user, token):
        raise _confirmation_invalid()
    if user.email_confirmed_at is not None or user.last_login is not None:
        return ConfirmOutcome.ALREADY_CONFIRMED if user.is_active else ConfirmOutcome.CLOSED
    if user.is_active:  # made active by CFLEX or a command: nothing to confirm, no session from a link
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        audit_record(actor=None, action="user.confirm_email", obj=user, from_state="active", to_state="active")
        return ConfirmOutcome.ALREADY_CONFIRMED
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    audit_record(actor=user, action="user.confirm_email", obj=user, from_state="unconfirmed", to_state="active")
    return ConfirmOutcome.CONFIRMED


@transaction.atomic(durable=True)
def user_settings_update(*, user: User, preferred_language: str, notification_mode: str) -> User:
    """A person's own settings ("My settings", the language picker): the language of the pages and
    of every mail they get, and how notifications reach them."""
    from accounts.models import NotificationMode

    languages = {code for code, _name in settings.LANGUAGES}
    if preferred_language not in languages:
        raise ApplicationError("language_unknown", _("Choose English or Bahasa Malaysia."), field="preferred_language")
    if notification_mode not in NotificationMode.values:
        raise ApplicationError(
            "notification_mode_unknown", _("Choose how you want to be notified."), field="notification_mode"
        )
    locked = User.objects.select_for_update().get(pk=user.pk)
    changed = {
        name: value
        for name, value in (("preferred_language", preferred_language), ("notification_mode", notification_mode))
        if getattr(locked, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changed))
        audit_record(actor=locked, action="settings.update", obj=locked, data=changed)
    user.preferred_language, user.notification_mode = locked.preferred_language, locked.notification_mode
    return locked

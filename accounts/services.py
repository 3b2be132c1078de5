"""The only code that writes people and roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

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


@transaction.atomic
def learner_register(*, email: str, full_name: str, password: str) -> User:
    """Self-registration: an inactive account with the learner role, active once the email
    address is confirmed (``learner_confirm_email``)."""
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active and existing.last_login is None:
        # Registered but never confirmed: the caller sends the confirmation link again, to the
        # address's owner; nothing else about the account changes.
        return existing
    if existing is not None:
        raise ApplicationError(
            "email_taken",
            "An account with this email address already exists. Log in or reset your password.",
            field="email",
            kind=ErrorKind.CONFLICT,
        )
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    user.is_active = False
    user.save(update_fields=["is_active"])
    role_assign(user=user, role=Role.LEARNER)
    audit_record(actor=None, action="user.register", obj=user)
    return user


def learner_confirmation_token(user: User) -> str:
    return default_token_generator.make_token(user)


@transaction.atomic
def learner_confirm_email(*, user: User, token: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    if not default_token_generator.check_token(user, token):
        raise ApplicationError(
            "confirmation_invalid",
            "This confirmation link is invalid or has expired. Register again to get a new one.",
            field="token",
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=user, action="user.confirm_email", obj=user, from_state="unconfirmed", to_state="active")
    return user

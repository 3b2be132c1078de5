"""People, PTjs (faculties and centres) and the roles they hold.

A person can hold several roles; a role is scoped to a PTj or to a committee where DOMAIN.md's
actors table says it matters.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_legal_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one email each")
    DAILY = "daily", _("Once a day, in one digest")
    OFF = "off", _("Off (only mail about my own credentials and decisions)")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in by email."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, validators=[validate_legal_name])
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    notification_mode = models.CharField(
        _("email notifications"), max_length=10, choices=NotificationMode.choices, default=NotificationMode.IMMEDIATE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # When the person proved they own the address (the emailed link). Empty for a self-registered
    # learner who has not yet; accounts made by CFLEX or a command are active without it.
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class PTj(models.Model):
    """A Pusat Tanggungjawab: a faculty, centre or institute of UNIMAS."""

    class Kind(models.TextChoices):
        FACULTY = "faculty", _("Faculty")
        CENTRE = "centre", _("Centre")
        INSTITUTE = "institute", _("Institute")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ms = models.CharField(_("name in Bahasa Malaysia"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FACULTY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("PTj")
        verbose_name_plural = _("PTjs")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Role(models.TextChoices):
    """Every actor of DOMAIN.md that has an account (employers verify without one)."""

    COURSE_DEVELOPER = "course_developer", _("Course developer")
    HEAD_OF_PTJ_MQA = "head_of_ptj_mqa", _("Head of PTj approver (MQA courses: Dean / Deputy Dean UG)")
    HEAD_OF_PTJ_NON_MQA = (
        "head_of_ptj_non_mqa",
        _("Head of PTj approver (non-MQA courses: Deputy Dean Industry & Community)"),
    )
    CFLEX_REVIEWER = "cflex_reviewer", _("CFLEX reviewer")
    CFLEX_ADMIN = "cflex_admin", _("CFLEX administrator")
    SME = "sme", _("Subject matter expert")
    COMMITTEE_SECRETARY = "committee_secretary", _("Committee secretary")
    SENATE_SECRETARY = "senate_secretary", _("Senate secretary")
    BJKA_OFFICER = "bjka_officer", _("BJKA officer")
    INSTRUCTOR = "instructor", _("Instructor")
    PROGRAMME_COORDINATOR = "programme_coordinator", _("Programme coordinator")
    DEAN = "dean", _("Dean")
    APELC_OFFICER = "apelc_officer", _("APEL.C officer")
    LEARNER = "learner", _("Learner")


class Committee(models.TextChoices):
    """R-WF-1: JTSPPA / JTSPS for MQA courses (undergraduate / postgraduate), JPPEU for non-MQA."""

    JTSPPA = "JTSPPA", _("JTSPPA (undergraduate, MQA)")
    JTSPS = "JTSPS", _("JTSPS (postgraduate, MQA)")
    JPPEU = "JPPEU", _("JPPEU (non-MQA)")


# Roles whose power stops at the edge of one PTj (a Dean approves only their own faculty's work).
PTJ_SCOPED_ROLES = frozenset(
    {
        Role.COURSE_DEVELOPER,
        Role.HEAD_OF_PTJ_MQA,
        Role.HEAD_OF_PTJ_NON_MQA,
        Role.DEAN,
        Role.PROGRAMME_COORDINATOR,
    }
)
COMMITTEE_SCOPED_ROLES = frozenset({Role.COMMITTEE_SECRETARY})
# Roles that may use the Django admin (policy data, audit log).
ADMIN_SITE_ROLES = frozenset({Role.CFLEX_ADMIN})


class RoleAssignment(models.Model):
    """One role held by one person, scoped to a PTj or a committee where the role needs it.

    Revoked, never deleted: ``revoked_at`` keeps who held what, and when.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    ptj = models.ForeignKey(PTj, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments")
    committee = models.CharField(_("committee"), max_length=8, choices=Committee.choices, blank=True, default="")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        indexes = [models.Index(fields=["role", "ptj"], name="role_ptj_idx")]
        constraints = [
            models.CheckConstraint(
                name="role_ptj_scope",
                condition=(
                    models.Q(role__in=sorted(PTJ_SCOPED_ROLES), ptj__isnull=False)
                    | (~models.Q(role__in=sorted(PTJ_SCOPED_ROLES)) & models.Q(ptj__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="role_committee_scope",
                condition=(
                    (models.Q(role__in=sorted(COMMITTEE_SCOPED_ROLES)) & ~models.Q(committee=""))
                    | (~models.Q(role__in=sorted(COMMITTEE_SCOPED_ROLES)) & models.Q(committee=""))
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "ptj"],
                condition=models.Q(revoked_at__isnull=True, ptj__isnull=False),
                name="role_unique_per_ptj",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "committee"],
                condition=models.Q(revoked_at__isnull=True, ptj__isnull=True),
                name="role_unique_unscoped",
            ),
        ]

    def __str__(self) -> str:
        scope = self.scope_label
        return f"{self.get_role_display()}{f' ({scope})' if scope else ''}"

    @property
    def code(self) -> str:
        """Short and stable, for the audit trail: ``dean@FCSIT``, ``committee_secretary@JPPEU``."""
        return f"{self.role}@{self.scope_label}" if self.scope_label else str(self.role)

    @property
    def scope_label(self) -> str:
        if self.ptj is not None:
            return self.ptj.code
        return self.committee

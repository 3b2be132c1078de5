"""Prior credentials a learner brings, credit-transfer applications with their claims, APEL.M age
exceptions, and decision letters (R-CT-1..6, R-AP-1..4).

Revoked, never deleted: a prior credential is withdrawn (``withdrawn_at``), an application is
withdrawn or decided, and a decision letter, once written, is kept."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PTj
from transfer.choices import (
    OPEN_STATUSES,
    ApplicationStatus,
    CloSource,
    CredentialKind,
    EvidenceKind,
    Source,
    Verification,
)

# Under MEDIA_ROOT, which no URL serves: views hand files out after a permission check.
_private_storage = FileSystemStorage()


def private_storage() -> FileSystemStorage:
    return _private_storage


def evidence_upload_to(instance: PriorCredential, filename: str) -> str:
    """A random name: the uploader's file name is kept in ``evidence_name`` only."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"transfer/evidence/{instance.learner_id}/{uuid.uuid4().hex}{suffix}"


def letter_upload_to(instance: DecisionLetter, filename: str) -> str:
    return f"transfer/letters/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class PriorCredential(models.Model):
    """A credential a learner holds: a UNIMAS micro-credential this portal issued (recorded here
    when first claimed) or one brought from outside, with its evidence."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prior_credentials")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=CredentialKind.choices)
    code = models.CharField(_("course code"), max_length=30)
    title = models.CharField(_("title"), max_length=250)
    provider = models.CharField(_("provider"), max_length=200)
    credits = models.PositiveSmallIntegerField(_("credits"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # R-CT-4: Category 2 comes from another institution's accredited programme.
    accreditation_reference = models.CharField(
        _("accreditation reference"), max_length=80, blank=True, help_text=_("e.g. the MQA reference of the programme")
    )
    # R-CT-3: a stand-alone MC verified by an MQA-appointed Quality Verification Centre.
    qvc_reference = models.CharField(_("QVC verification reference"), max_length=80, blank=True)
    # A portal-issued credential (credentials.api): its id, and the enrolment its CLOs come from.
    issued_credential_id = models.PositiveIntegerField(null=True, blank=True)
    enrolment_id = models.PositiveIntegerField(null=True, blank=True)
    origin_course_code = models.CharField(_("made from course"), max_length=12, blank=True)
    origin_is_mpu = models.BooleanField(default=False)

    evidence_kind = models.CharField(_("evidence"), max_length=8, choices=EvidenceKind.choices)
    evidence_file = models.FileField(
        _("evidence file"), storage=private_storage, upload_to=evidence_upload_to, blank=True, max_length=200
    )
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    verification = models.CharField(_("verification"), max_length=12, choices=Verification.choices)
    verification_reason = models.TextField(_("why"), blank=True)
    verification_data = models.JSONField(default=dict, blank=True)  # the verifier's verdict on a badge
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["learner", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "issued_credential_id"],
                condition=models.Q(issued_credential_id__isnull=False),
                name="prior_credential_issued_once",
            ),
            models.CheckConstraint(name="prior_credential_credits_positive", condition=models.Q(credits__gt=0)),
            models.CheckConstraint(
                name="prior_credential_kind_valid", condition=models.Q(kind__in=CredentialKind.values)
            ),
            # R-CT-1: only UNIMAS's own micro-credentials are Category 1; portal ones carry their id.
            models.CheckConstraint(
                name="prior_credential_source_kind",
                condition=(models.Q(source=Source.UNIMAS) & models.Q(issued_credential_id__isnull=False))
                | (models.Q(source=Source.EXTERNAL) & ~models.Q(kind=CredentialKind.CAT1)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def ref(self) -> str:
        return f"p{self.pk}"

    @property
    def is_unimas(self) -> bool:
        return self.source == Source.UNIMAS


class Application(models.Model):
    """R-CT-6: one learner's claim of credit towards one programme, and its decision."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transfer_applications"
    )
    programme = models.ForeignKey("courses.Programme", on_delete=models.PROTECT, related_name="transfer_applications")
    ptj = models.ForeignKey(PTj, on_delete=models.PROTECT, related_name="transfer_applications")
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices, db_index=True)
    learner_comment = models.TextField(_("your note to the reviewers"), blank=True)
    # The engine's last result (transfer.policies) and the policy version it was computed under.
    result = models.JSONField(default=dict, blank=True)
    credits_transferred = models.PositiveSmallIntegerField(default=0)
    binding_cap = models.CharField(max_length=20, blank=True)
    binding_cut = models.PositiveSmallIntegerField(default=0)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The policy version the last result, and the decision, were made under."),
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    state_entered_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="application_status_valid", condition=models.Q(status__in=ApplicationStatus.values)
            ),
            # One open application per learner and programme.
            models.UniqueConstraint(
                fields=["learner", "programme"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="application_one_open_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"Credit transfer {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationLine(models.Model):
    """One credential claimed in an application, the programme course it is mapped to, and what
    the engine made of it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    credential = models.ForeignKey(PriorCredential, on_delete=models.PROTECT, related_name="claims")
    course_code = models.CharField(_("mapped to course"), max_length=12, blank=True)
    # The evidence as judged for this application (starts as the credential's own verification).
    verification = models.CharField(_("evidence"), max_length=12, choices=Verification.choices)
    verification_reason = models.TextField(blank=True)
    # R-AP-1, stand-alone claims: % per CLO of the claimed course, in CLO order.
    clo_attainment = models.JSONField(null=True, blank=True)
    clo_source = models.CharField(max_length=10, choices=CloSource.choices, blank=True, default=CloSource.NONE)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    counted_credits = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "credential"], name="application_line_credential_once"),
            models.UniqueConstraint(fields=["application", "position"], name="application_line_position"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk}"


class AgeException(models.Model):
    """R-AP-4: the university lets a learner under the minimum age enter a programme via APEL.M,
    for a recorded reason. Revoked, never deleted."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="age_exceptions")
    programme = models.ForeignKey("courses.Programme", on_delete=models.PROTECT, related_name="+")
    ptj = models.ForeignKey(PTj, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "programme"],
                condition=models.Q(revoked_at__isnull=True),
                name="age_exception_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"Age exception {self.pk}"


class DecisionLetter(models.Model):
    """R-CT-6: the decision as a PDF, kept, and sent to the learner and the administrator once."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="letter")
    file = models.FileField(storage=private_storage, upload_to=letter_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    decision = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Decision letter {self.pk}"

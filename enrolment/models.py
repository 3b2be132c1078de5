"""Offerings, learner profiles, enrolments, marks and course surveys (R-EN, R-AS-4, R-RS)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PTj
from accounts.validators import validate_legal_name
from enrolment.choices import (
    SEAT_HOLDING,
    EnrolmentStatus,
    EvidenceKind,
    FeeStatus,
    IdentityKind,
    NameChangeStatus,
    Platform,
    ResultsStatus,
)

DEFAULT_MAX_SCORE = 100


class LearnerProfile(models.Model):
    """Who a learner is, as on their identity document. The NRIC or passport number is stored
    encrypted (``identity_encrypted``) with a keyed hash for uniqueness (docs/decisions/0020); only
    ``identity_last4`` is ever shown outside the learner's own profile."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learner_profile")
    legal_name = models.CharField(
        _("full name as on identity document"), max_length=200, validators=[validate_legal_name]
    )
    identity_kind = models.CharField(_("identity document"), max_length=10, choices=IdentityKind.choices)
    identity_encrypted = models.TextField(editable=False)
    identity_hash = models.CharField(max_length=64, editable=False)
    identity_last4 = models.CharField(max_length=4, editable=False)
    nationality = models.CharField(_("nationality"), max_length=60)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=30)
    student_id = models.CharField(_("UNIMAS student ID"), max_length=20, blank=True)
    pdpa_consent_at = models.DateTimeField(_("consent to personal-data processing"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["identity_kind", "identity_hash"], name="profile_identity_unique"),
            models.CheckConstraint(
                name="profile_kind_valid", condition=models.Q(identity_kind__in=IdentityKind.values)
            ),
        ]

    def __str__(self) -> str:
        return f"Learner profile {self.pk}"

    def __repr__(self) -> str:
        return f"<LearnerProfile {self.pk}>"

    @property
    def is_malaysian(self) -> bool:
        return self.identity_kind == IdentityKind.NRIC

    @property
    def identity_masked(self) -> str:
        return "********" + self.identity_last4


class Offering(models.Model):
    """One intake of a ready course. The course facts the catalogue filters on are copied from
    ``courses.api`` when the offering is made (an approved course does not change)."""

    proposal = models.ForeignKey("courses.Proposal", on_delete=models.PROTECT, related_name="offerings")
    course_code = models.CharField(_("code"), max_length=20)
    course_title = models.CharField(_("title"), max_length=250)
    ptj = models.ForeignKey(PTj, on_delete=models.PROTECT, related_name="offerings")
    course_level = models.PositiveSmallIntegerField(_("course level"), null=True, blank=True)
    delivery_mode = models.CharField(_("delivery mode"), max_length=16, blank=True)
    committee = models.CharField(_("results committee"), max_length=8)
    session = models.CharField(_("session"), max_length=60)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    # R-RS-4: the last assessment, when CFLEX sets one (empty: the end date).
    assessment_ends_on = models.DateField(_("last assessment"), null=True, blank=True)
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    fee = models.DecimalField(_("fee (MYR)"), max_digits=9, decimal_places=2)
    enrolment_opens = models.DateField(_("enrolment opens"))
    enrolment_closes = models.DateField(_("enrolment closes"))
    minimum_requirements = models.TextField(
        _("minimum requirements"), blank=True, help_text=_("One per line: experience, age, literacy…")
    )
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="taught_offerings")
    max_scores = models.JSONField(
        _("maximum score per component"),
        default=dict,
        blank=True,
        help_text=_("Component id -> maximum; 100 if unset."),
    )
    results_status = models.CharField(
        _("results"), max_length=20, choices=ResultsStatus.choices, default=ResultsStatus.DRAFT
    )
    results_comment = models.TextField(_("last results comment"), blank=True)
    results_approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "course_code", "id"]
        indexes = [models.Index(fields=["enrolment_closes", "starts_on"], name="offering_window_idx")]
        constraints = [
            models.CheckConstraint(name="offering_capacity_positive", condition=models.Q(capacity__gt=0)),
            models.CheckConstraint(name="offering_fee_not_negative", condition=models.Q(fee__gte=0)),
            models.CheckConstraint(name="offering_dates_order", condition=models.Q(ends_on__gte=models.F("starts_on"))),
            models.CheckConstraint(
                name="offering_assessment_after_start",
                condition=models.Q(assessment_ends_on__isnull=True)
                | models.Q(assessment_ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="offering_window_order", condition=models.Q(enrolment_closes__gte=models.F("enrolment_opens"))
            ),
            models.CheckConstraint(name="offering_platform_valid", condition=models.Q(platform__in=Platform.values)),
            models.CheckConstraint(
                name="offering_results_valid", condition=models.Q(results_status__in=ResultsStatus.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_code} {self.session}"

    @property
    def assessment_end(self) -> date:
        """R-RS-4: the day the offering's assessment ends."""
        return self.assessment_ends_on or self.ends_on

    def max_score_for(self, component_id: int) -> Decimal:
        return Decimal(str(self.max_scores.get(str(component_id), DEFAULT_MAX_SCORE)))


class Enrolment(models.Model):
    """R-EN-5: one learner in one offering. A seat-holding enrolment has a ``seat`` number unique in
    its offering and no higher than the capacity the service read under lock."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrolments")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)
    seat = models.PositiveIntegerField(null=True, blank=True)
    requirements_confirmed = models.JSONField(_("requirements confirmed"), default=list, blank=True)
    requirements_evidence = models.TextField(_("evidence of requirements"), blank=True)
    international_notice_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    fee_status = models.CharField(_("fee"), max_length=8, choices=FeeStatus.choices, default=FeeStatus.PENDING)
    fee_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    final_mark = models.DecimalField(_("final mark"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=4, blank=True)
    grade_point = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    clo_attainment = models.JSONField(_("CLO attainment (%)"), default=dict, blank=True)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The policy version the final mark and grade were computed under."),
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["offering", "learner__full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "learner"],
                condition=models.Q(status__in=sorted(SEAT_HOLDING)),
                name="enrolment_one_active_per_learner",
            ),
            models.UniqueConstraint(
                fields=["offering", "seat"], condition=models.Q(seat__isnull=False), name="enrolment_seat_unique"
            ),
            models.CheckConstraint(
                name="enrolment_seat_when_active",
                condition=(models.Q(status__in=sorted(SEAT_HOLDING)) & models.Q(seat__gte=1))
                | (~models.Q(status__in=sorted(SEAT_HOLDING)) & models.Q(seat__isnull=True)),
            ),
            models.CheckConstraint(
                name="enrolment_status_valid", condition=models.Q(status__in=EnrolmentStatus.values)
            ),
            models.CheckConstraint(
                name="enrolment_paid_has_reference", condition=~models.Q(fee_status=FeeStatus.PAID, fee_reference="")
            ),
        ]

    def __str__(self) -> str:
        return f"Enrolment {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in SEAT_HOLDING


class Mark(models.Model):
    """The score that counts for one component of one enrolment (for a quiz, the best attempt)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="marks")
    component = models.ForeignKey("courses.AssessmentComponent", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("out of"), max_digits=6, decimal_places=2)
    feedback = models.TextField(_("feedback"), blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "component"], name="mark_one_per_component"),
            models.CheckConstraint(
                name="mark_score_range", condition=models.Q(score__gte=0, score__lte=models.F("max_score"))
            ),
            models.CheckConstraint(name="mark_max_positive", condition=models.Q(max_score__gt=0)),
        ]

    def __str__(self) -> str:
        return f"Mark {self.pk}"


class QuizAttempt(models.Model):
    """R-AS-4: every attempt is kept; the best one is the component's mark."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    component = models.ForeignKey("courses.AssessmentComponent", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "component", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "component", "number"], name="attempt_unique_number"),
            models.CheckConstraint(name="attempt_score_not_negative", condition=models.Q(score__gte=0)),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number}"


class GradeImport(models.Model):
    """A Moodle gradebook export waiting for its mapping and confirmation. Nothing is written to
    the marks until ``applied_at`` is set by the confirming service."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=200)
    content = models.TextField()
    mapping = models.JSONField(default=dict, blank=True)  # column -> component id
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Import {self.pk}"


class CourseSurvey(models.Model):
    """R-RS-3: the learner-experience survey after the final assessment, one per enrolment."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="survey")
    content_rating = models.PositiveSmallIntegerField(_("The content was useful"))
    instructor_rating = models.PositiveSmallIntegerField(_("The instructor's feedback helped me"))
    platform_rating = models.PositiveSmallIntegerField(_("The platform was easy to use"))
    overall_rating = models.PositiveSmallIntegerField(_("Overall, I would recommend this course"))
    comment = models.TextField(_("What should we improve?"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name=f"survey_{name}_likert", condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5})
            )
            for name in ("content_rating", "instructor_rating", "platform_rating", "overall_rating")
        ]

    def __str__(self) -> str:
        return f"Survey {self.pk}"


# Under MEDIA_ROOT; no URL route serves it: a view hands a file out after a permission check
# (docs/decisions/0012).
_private_storage = FileSystemStorage()


def private_storage() -> FileSystemStorage:
    return _private_storage


def name_evidence_upload_to(instance: NameChangeRequest, filename: str) -> str:
    """A random name: the uploader's file name is kept in ``evidence_name`` only."""
    return f"name-evidence/{instance.user_id}/{uuid.uuid4().hex}.{instance.evidence_kind or 'bin'}"


class NameChangeRequest(models.Model):
    """R-CR-7: after a learner's first credential their legal name changes only through one of
    these, with an identity document as evidence, decided by CFLEX. Kept, never deleted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="name_changes")
    old_name = models.CharField(_("name now"), max_length=200)
    new_name = models.CharField(_("new name"), max_length=200, validators=[validate_legal_name])
    reason = models.TextField(_("why the name changes"), blank=True)
    evidence = models.FileField(
        _("identity document"), storage=private_storage, upload_to=name_evidence_upload_to, max_length=200
    )
    evidence_name = models.CharField(max_length=200)
    evidence_kind = models.CharField(max_length=8, choices=EvidenceKind.choices)
    evidence_size = models.PositiveIntegerField()
    evidence_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=NameChangeStatus.choices, default=NameChangeStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    reissued = models.PositiveSmallIntegerField(default=0)  # credentials re-issued on approval

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="name_change_one_pending"
            ),
            models.CheckConstraint(
                name="name_change_status_valid", condition=models.Q(status__in=NameChangeStatus.values)
            ),
        ]

    def __str__(self) -> str:
        return f"Name change {self.pk}"

"""The design of a proposal: learning outcomes (R-AF-4), Table 4 (R-SLT), the assessment plan
(R-AS) and the SAMC market survey (R-AF-3)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.choices import RETAKE_METHODS, AssessmentKind, AssessmentMethod, MQFLevel, UploadKind
from courses.models.proposals import Proposal
from courses.policies.limits import QUANTITY_MAX
from policy.choices import Activity

# Files under ``MEDIA_ROOT`` (read lazily, so tests can point it elsewhere). No URL route serves
# that folder: a view hands a file out after a permission check.
_private_storage = FileSystemStorage()


def private_storage() -> FileSystemStorage:
    return _private_storage


def survey_upload_to(instance: MarketSurvey, filename: str) -> str:
    """A random name: the uploader's file name is kept in ``file_name`` only, never on disk."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"market-surveys/{instance.proposal_id}/{uuid.uuid4().hex}{suffix}"


class CourseLearningOutcome(models.Model):
    """R-AF-4: action verb, performance criteria, conditions, MQF level and learning effort."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="clos")
    position = models.PositiveSmallIntegerField()
    verb = models.CharField(_("action verb"), max_length=60, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    criteria = models.TextField(_("performance criteria"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    mqf_level = models.PositiveSmallIntegerField(_("MQF level"), choices=MQFLevel.choices, null=True, blank=True)
    effort_hours = models.PositiveIntegerField(_("learning effort (hours)"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="clo_unique_position"),
            models.CheckConstraint(
                name="clo_mqf_level_range",
                condition=models.Q(mqf_level__isnull=True) | models.Q(mqf_level__gte=1, mqf_level__lte=8),
            ),
        ]

    def __str__(self) -> str:
        return f"CLO{self.position + 1} {self.verb}"


class LearningUnit(models.Model):
    """A week or topic of Table 4, in order."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [models.UniqueConstraint(fields=["proposal", "position"], name="unit_unique_position")]

    def __str__(self) -> str:
        return f"Unit {self.position + 1} {self.title}"


class Table4Line(models.Model):
    """One delivery or assessment activity of a unit: quantity x rate = SLT minutes (R-SLT-1/2)."""

    unit = models.ForeignKey(LearningUnit, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    activity = models.CharField(_("activity"), max_length=32, choices=Activity.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    rate_minutes = models.DecimalField(_("SLT minutes per unit"), max_digits=6, decimal_places=2)
    is_online = models.BooleanField(_("online"), default=False)

    class Meta:
        ordering = ["unit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "position"], name="line_unique_position"),
            models.CheckConstraint(
                name="line_quantity_range", condition=models.Q(quantity__gt=0, quantity__lte=QUANTITY_MAX)
            ),
            models.CheckConstraint(name="line_rate_positive", condition=models.Q(rate_minutes__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.activity} x{self.quantity} @ {self.rate_minutes}"


class AssessmentComponent(models.Model):
    """R-AS-1..4: one component of the assessment plan."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=32, choices=AssessmentMethod.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    unit = models.ForeignKey(LearningUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="components")
    clos = models.ManyToManyField(CourseLearningOutcome, blank=True, related_name="components")
    retake_allowed = models.BooleanField(_("retake allowed"), default=False)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="component_unique_position"),
            models.CheckConstraint(name="component_weight_range", condition=models.Q(weight__gte=1, weight__lte=100)),
            models.CheckConstraint(
                name="component_retake_quiz_only",
                condition=models.Q(retake_allowed=False) | models.Q(method__in=sorted(RETAKE_METHODS)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.method} {self.weight}%"


class MarketSurvey(models.Model):
    """R-AF-3: a SAMC's market survey, its respondent count and the private analysis file."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="market_survey")
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    analysis_file = models.FileField(
        _("analysis file"), storage=private_storage, upload_to=survey_upload_to, blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_kind = models.CharField(_("file type"), max_length=8, choices=UploadKind.choices, blank=True)
    file_size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Market survey of {self.proposal_id}"

    @property
    def has_file(self) -> bool:
        return bool(self.analysis_file)

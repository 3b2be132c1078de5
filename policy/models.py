"""Policy numbers, effective-dated (STYLE.md "policy numbers live in the database").

A ``PolicyVersion`` holds every number the guideline sets: SLT rates (R-SLT-1), hours per
credit (R-SLT-3), credit-transfer caps (R-CT-1..5), APEL thresholds (R-AP-1..3), minimum ages
(R-AP-4), grade bands and pass mark (R-RS-1), the market-survey minimum (R-AF-3). The version in
force on a date is the one with the latest ``effective_from`` on or before it. A version that
has come into force is frozen: decisions cite it, so changing it would rewrite history. To
change a number, add a new version.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError, ErrorKind
from policy.choices import Activity

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _frozen_error() -> ApplicationError:
    return ApplicationError(
        "policy_frozen",
        "A policy version that has come into force cannot be changed or deleted: decisions cite it. "
        "Add a new version with a later effective date instead.",
        kind=ErrorKind.CONFLICT,
    )


def _backdated_error() -> ApplicationError:
    return ApplicationError(
        "policy_backdated",
        "A new policy version takes effect in the future (tomorrow at the earliest), never today or in the past.",
        field="effective_from",
    )


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    """Decision 0002: rows in force are frozen, even against ``QuerySet.update`` / ``delete``
    (the database trigger of migration 0006 is the last line)."""

    def update(self, **kwargs: Any) -> int:
        today = timezone.localdate()
        if self.filter(effective_from__lte=today).exists():
            raise _frozen_error()
        moved = kwargs.get("effective_from")
        if isinstance(moved, date) and moved <= today:
            raise _backdated_error()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(effective_from__lte=timezone.localdate()).exists():
            raise _frozen_error()
        return super().delete()


class _ChildQuerySet(models.QuerySet[Any]):
    """The rows of a version in force (SLT rates, grade bands, ages, Table 3) are frozen with it."""

    def _refuse_if_frozen(self) -> None:
        if self.filter(version__effective_from__lte=timezone.localdate()).exists():
            raise _frozen_error()

    def update(self, **kwargs: Any) -> int:
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_if_frozen()
        return super().delete()


class _FrozenWithVersion(models.Model):
    """A child row of a policy version: no save or delete once its version is in force."""

    objects = _ChildQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_version_editable()
        if self.pk is not None and not self._state.adding:
            # Moving a row out of a version in force is a change to that version.
            stored: Any = type(self).objects.filter(pk=self.pk).values_list("version", flat=True).first()  # type: ignore[misc]
            moved = stored is not None and stored != getattr(self, "version_id", None)
            if moved and PolicyVersion.objects.filter(pk=stored, effective_from__lte=timezone.localdate()).exists():
                raise _frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._check_version_editable()
        return super().delete(*args, **kwargs)

    def _check_version_editable(self) -> None:
        version_id: Any = getattr(self, "version_id", None)
        if (
            version_id is not None
            and PolicyVersion.objects.filter(pk=version_id, effective_from__lte=timezone.localdate()).exists()
        ):
            raise _frozen_error()


class PolicyVersion(models.Model):
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"), unique=True)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The document these numbers come from.")
    )
    notes = models.TextField(_("notes"), blank=True)

    # R-SLT-3 (MQF): 1 credit = 40 hours; Category-1 SLT match tolerance (interpretation: 10%).
    hours_per_credit = models.PositiveSmallIntegerField(_("SLT hours per credit"), default=40)
    slt_match_tolerance_pct = models.DecimalField(
        _("Category 1 SLT match tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENT,
        help_text=_("Interpretation: how far a whole-course MC's SLT may differ from credits x hours."),
    )
    # R-WF-6 / R-SLT-4: a conventional course this share online is Substitute Blended Learning.
    sbl_online_min_pct = models.PositiveSmallIntegerField(
        _("SBL online share from (%)"), default=30, validators=PERCENT
    )
    sbl_online_max_pct = models.PositiveSmallIntegerField(_("SBL online share to (%)"), default=79, validators=PERCENT)
    # R-AF-3
    market_survey_min_respondents = models.PositiveIntegerField(_("market survey minimum respondents"), default=30)
    # R-RS-1 (interpretation: pass at 50%)
    pass_mark = models.DecimalField(
        _("pass mark (%)"), max_digits=5, decimal_places=2, default=Decimal("50"), validators=PERCENT
    )
    # R-CT-1..5, as % of the target programme's graduating credits.
    ct_category1_max_pct = models.PositiveSmallIntegerField(
        _("Category 1 same-institution cap (%)"), default=100, validators=PERCENT, help_text="R-CT-1"
    )
    ct_samc_apelc_max_pct = models.PositiveSmallIntegerField(
        _("SAMC via APEL.C cap (%)"), default=30, validators=PERCENT, help_text="R-CT-2, R-CT-5"
    )
    ct_samc_all_max_pct = models.PositiveSmallIntegerField(
        _("SAMC including QVC-verified cap (%)"), default=70, validators=PERCENT, help_text="R-CT-3, R-CT-5"
    )
    ct_outside_max_pct = models.PositiveSmallIntegerField(
        _("Outside UNIMAS plus SAMC cap (%)"), default=70, validators=PERCENT, help_text="R-CT-4, R-CT-5"
    )
    ct_total_max_pct = models.PositiveSmallIntegerField(
        _("All transfers cap (%)"), default=100, validators=PERCENT, help_text="R-CT-5"
    )
    ct_min_at_unimas_pct = models.PositiveSmallIntegerField(
        _("Minimum taken at UNIMAS with Category 2 credits (%)"), default=30, validators=PERCENT, help_text="R-CT-4"
    )
    # R-AP-1..3
    apelc_min_clo_pct = models.PositiveSmallIntegerField(
        _("APEL.C minimum on each CLO (%)"), default=50, validators=PERCENT, help_text="R-AP-1"
    )
    apelm_min_credit_pct = models.PositiveSmallIntegerField(
        _("APEL.M minimum share of graduating credits (%)"), default=50, validators=PERCENT, help_text="R-AP-2"
    )
    apela_advice_one_institution_pct = models.PositiveSmallIntegerField(
        _("APEL.A advice: share from one institution (%)"), default=30, validators=PERCENT, help_text="R-AP-3"
    )
    apela_advice_several_institutions_pct = models.PositiveSmallIntegerField(
        _("APEL.A advice: share from several institutions (%)"), default=70, validators=PERCENT, help_text="R-AP-3"
    )
    # R-CR-6: a QVC verification lasts at most this long (MQA: 3 years); CFLEX is reminded this
    # many months before it lapses (first and last reminder).
    qvc_validity_months = models.PositiveSmallIntegerField(
        _("QVC verification valid for (months)"), default=36, help_text="R-CR-6"
    )
    qvc_first_reminder_months = models.PositiveSmallIntegerField(
        _("first QVC expiry reminder (months before)"), default=6, help_text="R-CR-6"
    )
    qvc_last_reminder_months = models.PositiveSmallIntegerField(
        _("last QVC expiry reminder (months before)"), default=1, help_text="R-CR-6"
    )
    # R-CR-6: empty (the default) means credentials do not lapse; a number gives them validUntil.
    credential_validity_months = models.PositiveSmallIntegerField(
        _("credentials valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: credentials never expire."),
    )
    credential_reminder_days = models.PositiveSmallIntegerField(
        _("credential expiry reminder (days before)"), default=30, help_text="R-CR-6"
    )

    # R-RS-4 (interpretation): results are submitted this many days after the offering's
    # assessment ended (its end date, or the last-assessment date CFLEX sets).
    results_days_after_assessment = models.PositiveSmallIntegerField(
        _("results submitted from (days after the assessment ends)"),
        default=1,
        help_text=_("R-RS-4: 1 means from the day after the last assessment."),
    )

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                name="policy_sbl_range", condition=models.Q(sbl_online_min_pct__lte=models.F("sbl_online_max_pct"))
            ),
            models.CheckConstraint(name="policy_hours_per_credit_positive", condition=models.Q(hours_per_credit__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.effective_from:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Decision 0002, against any save (admin, shell, code): a new version starts in the
        future; a version in force is never changed, and no version moves into force by an edit."""
        today = timezone.localdate()
        stored = None
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("effective_from", flat=True).first()
        if stored is not None and stored <= today:
            raise _frozen_error()
        if self.effective_from <= today:
            raise _backdated_error()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stored = type(self).objects.filter(pk=self.pk).values_list("effective_from", flat=True).first()
        if stored is not None and stored <= timezone.localdate():
            raise _frozen_error()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        """In force now or in the past: read-only."""
        return self.pk is not None and self.effective_from <= timezone.localdate()


class SLTRate(_FrozenWithVersion):
    """R-SLT-1: minutes of student learning time per unit of an activity, low to high."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="slt_rates")
    activity = models.CharField(_("activity"), max_length=32, choices=Activity.choices)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. '1 slide', '1 min', '1 page'"))
    min_minutes = models.DecimalField(_("minimum minutes"), max_digits=6, decimal_places=2)
    max_minutes = models.DecimalField(_("maximum minutes"), max_digits=6, decimal_places=2)
    is_assessment = models.BooleanField(_("assessment activity"), default=False)

    class Meta:
        ordering = ["version", "is_assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "activity"], name="slt_rate_unique_activity"),
            models.CheckConstraint(
                name="slt_rate_range",
                condition=models.Q(min_minutes__gt=0, min_minutes__lte=models.F("max_minutes")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()}: {self.min_minutes}-{self.max_minutes} min per {self.unit}"


class GradeBand(_FrozenWithVersion):
    """R-RS-1: the grade for a final mark at or above ``min_mark`` (the highest band that fits)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="grade_bands")
    grade = models.CharField(_("grade"), max_length=4)
    min_mark = models.DecimalField(_("from mark (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    grade_point = models.DecimalField(_("grade point"), max_digits=3, decimal_places=2)

    class Meta:
        ordering = ["version", "-min_mark"]
        constraints = [
            models.UniqueConstraint(fields=["version", "grade"], name="grade_band_unique_grade"),
            models.UniqueConstraint(fields=["version", "min_mark"], name="grade_band_unique_min"),
        ]

    def __str__(self) -> str:
        return f"{self.grade} from {self.min_mark}%"


class WorkflowStep(_FrozenWithVersion):
    """R-WF-4, Table 3: for a step of the approval workflow (a proposal state), the cumulative
    development progress once it is reached and the suggested days to leave it (empty: no limit)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="workflow_steps")
    state = models.CharField(_("workflow step"), max_length=32)
    progress_pct = models.PositiveSmallIntegerField(_("progress when reached (%)"), validators=PERCENT)
    suggested_days = models.PositiveSmallIntegerField(_("suggested days in this step"), null=True, blank=True)

    class Meta:
        ordering = ["version", "progress_pct", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "state"], name="workflow_step_unique_state"),
            models.CheckConstraint(name="workflow_step_progress_pct", condition=models.Q(progress_pct__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.progress_pct}%, {self.suggested_days or '-'} days"


class QualificationLevel(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")


class MinimumAge(_FrozenWithVersion):
    """R-AP-4: minimum age at graduation via micro-credentials, from the year of birth."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="minimum_ages")
    level = models.CharField(_("level"), max_length=16, choices=QualificationLevel.choices)
    normal_entry_age = models.PositiveSmallIntegerField(_("normal entry"))
    apel_entry_age = models.PositiveSmallIntegerField(_("via APEL.A / APEL.M"))

    class Meta:
        ordering = ["version", "normal_entry_age"]
        constraints = [models.UniqueConstraint(fields=["version", "level"], name="minimum_age_unique_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.normal_entry_age} / {self.apel_entry_age}"

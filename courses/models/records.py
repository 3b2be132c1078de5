"""Accredited programmes and their courses: the records micro-credentials are made from
(Category 1, R-CAT-1) and credit is transferred to (R-CT)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import PTj

course_code_validator = RegexValidator(
    r"^[A-Z]{2,5}[0-9]{3,4}$",
    _("An accredited course code is 2-5 capital letters then 3-4 digits, e.g. TMN4033."),
)


class ProgrammeLevel(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    CERTIFICATE = "certificate", _("Certificate")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


POSTGRADUATE_LEVELS = frozenset({ProgrammeLevel.MASTER, ProgrammeLevel.DOCTORATE})


class Programme(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(
        _("qualification name"),
        max_length=250,
        help_text=_("The qualification awarded; no micro-credential may carry this name."),
    )
    ptj = models.ForeignKey(PTj, on_delete=models.PROTECT, related_name="programmes")
    level = models.CharField(_("MQF level"), max_length=16, choices=ProgrammeLevel.choices)
    mqa_accredited = models.BooleanField(_("MQA accredited"), default=True)
    mqa_reference = models.CharField(_("MQA reference"), max_length=60, blank=True)
    graduating_credits = models.PositiveSmallIntegerField(_("total graduating credits"))
    entry_requirements = models.TextField(_("entry requirements"), blank=True)
    # R-CT-6: reviews credit-transfer applications to this programme; must hold the programme
    # coordinator role in the programme's PTj. The Dean who approves is the PTj's Dean.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_programmes",
        verbose_name=_("programme coordinator"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    courses: models.ManyToManyField[Course, ProgrammeCourse] = models.ManyToManyField(
        "Course", through="ProgrammeCourse", related_name="programmes"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(name="programme_credits_positive", condition=models.Q(graduating_credits__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_foundation(self) -> bool:
        """R-CAT-5: no micro-credential is made from a Foundation programme."""
        return self.level == ProgrammeLevel.FOUNDATION

    @property
    def is_postgraduate(self) -> bool:
        return self.level in POSTGRADUATE_LEVELS


class Course(models.Model):
    """An accredited course of UNIMAS, e.g. ``TMN4033 Internet of Things``."""

    code = models.CharField(_("code"), max_length=12, unique=True, validators=[course_code_validator])
    name = models.CharField(_("name"), max_length=200)
    credits = models.PositiveSmallIntegerField(
        _("credits"), help_text=_("By UNIMAS convention the last digit of the code.")
    )
    ptj = models.ForeignKey(PTj, on_delete=models.PROTECT, related_name="courses")
    is_mpu = models.BooleanField(_("MPU (Mata Pelajaran Umum)"), default=False)
    synopsis = models.TextField(_("synopsis"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.CheckConstraint(name="course_credits_positive", condition=models.Q(credits__gt=0))]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgrammeCourse(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="programme_courses")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="programme_courses")
    is_core = models.BooleanField(_("core course"), default=True)

    class Meta:
        ordering = ["programme", "course"]
        constraints = [models.UniqueConstraint(fields=["programme", "course"], name="programme_course_unique")]

    def __str__(self) -> str:
        return f"{self.programme.code} / {self.course.code}"

"""R-CR-6 / R-QA-3: the quality reference a micro-credential carries, with its validity: the MQR
reference of the accredited programme a Category 1 MC comes from, or the QVC verification of a
stand-alone MC. Renewed, never edited: a renewal supersedes the current row and keeps history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models.proposals import Proposal


class QualityKind(models.TextChoices):
    MQR = "mqr", _("Malaysian Qualifications Register (MQR) reference")
    QVC = "qvc", _("Quality Verification Centre (QVC) verification")


class QualityReference(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="quality_references")
    kind = models.CharField(_("kind"), max_length=4, choices=QualityKind.choices)
    reference = models.CharField(_("reference"), max_length=80)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    policy_version_id = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)  # renewed: a newer row is current

    class Meta:
        ordering = ["proposal", "kind", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "kind"],
                condition=models.Q(superseded_at__isnull=True),
                name="quality_reference_one_current",
            ),
            models.CheckConstraint(name="quality_reference_given", condition=~models.Q(reference="")),
            models.CheckConstraint(
                name="quality_reference_period", condition=models.Q(valid_until__gt=models.F("valid_from"))
            ),
            models.CheckConstraint(
                name="quality_reference_kind_valid", condition=models.Q(kind__in=QualityKind.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind.upper()} {self.reference}"


class QualityReminder(models.Model):
    """One expiry reminder sent to CFLEX for one verification at one threshold (months before):
    the unique constraint makes the daily task idempotent."""

    quality_reference = models.ForeignKey(QualityReference, on_delete=models.PROTECT, related_name="reminders")
    months_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["quality_reference", "months_before"], name="quality_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.months_before} months before {self.quality_reference}"

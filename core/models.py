"""Notifications: one row per message to one person, written in the same transaction as the
change that causes it, and sent after commit by a Celery task (at most once: ``sent_at``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    template = models.CharField(_("template"), max_length=80)
    context = models.JSONField(_("context"), default=dict)
    dedupe_key = models.CharField(
        _("de-duplication key"),
        max_length=200,
        unique=True,
        help_text=_("The same event never notifies the same person twice."),
    )
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Not mailed because the recipient turned notifications off ("My settings").
    skipped_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.template} to {self.recipient_id}"

"""Certificates, MMS statements and Open Badges 3.0 credentials (R-CR).

Until the issuance issue lands, Senate approval of results records one ``IssuanceRequest`` per
passing enrolment (R-RS-2); issuance will consume them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IssuanceRequest(models.Model):
    enrolment_id = models.PositiveIntegerField(unique=True)
    offering_id = models.PositiveIntegerField(db_index=True)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issuance_requests")
    course_code = models.CharField(max_length=20)
    course_title = models.CharField(max_length=250)
    final_mark = models.DecimalField(max_digits=5, decimal_places=2)
    grade = models.CharField(max_length=4)
    policy_version_id = models.PositiveIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Issuance request {self.pk}"

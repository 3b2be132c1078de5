"""Choices shared by the enrolment models and the pure rules (``enrolment.policies``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    """R-EN-1: eLEAP for internal students, L4L for the public."""

    ELEAP = "eleap", _("eLEAP (UNIMAS students)")
    L4L = "l4l", _("L4L (public learners)")


class EnrolmentStatus(models.TextChoices):
    """R-EN-5."""

    ENROLLED = "enrolled", _("Enrolled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEFERRED = "deferred", _("Deferred")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


# An enrolment that holds a seat and counts against capacity.
SEAT_HOLDING = frozenset({EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED})


class FeeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")


class ResultsStatus(models.TextChoices):
    """R-RS-2: instructor submits, the committee endorses, Senate approves."""

    DRAFT = "draft", _("Being graded")
    SUBMITTED = "submitted", _("Submitted to committee")
    COMMITTEE_ENDORSED = "committee_endorsed", _("Endorsed by committee")
    SENATE_APPROVED = "senate_approved", _("Approved by Senate")


class IdentityKind(models.TextChoices):
    NRIC = "nric", _("Malaysian NRIC (MyKad)")
    PASSPORT = "passport", _("Passport")


class NameChangeStatus(models.TextChoices):
    """R-CR-7: a learner's request to change the legal name on their credentials."""

    PENDING = "pending", _("Waiting for CFLEX")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class EvidenceKind(models.TextChoices):
    """What an uploaded identity document is, judged by its content."""

    PDF = "pdf", "PDF"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"

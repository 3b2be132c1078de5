"""Choices shared by the models and the pure rules (``transfer.policies``), so the rules need no
model import."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    """What a prior credential is, for the caps of R-CT-1..5 (section 1.6 categories)."""

    CAT1 = "cat1", _("Category 1 micro-credential of UNIMAS")
    CAT2 = "cat2", _("Category 2: a course of another institution's accredited programme")
    SAMC = "samc", _("Stand-alone micro-credential (SAMC)")
    SAMC_QVC = "samc_qvc", _("QVC-verified stand-alone micro-credential")


# Brought from outside UNIMAS: never Category 1 (R-CT-1 is the same institution only).
EXTERNAL_KINDS = (CredentialKind.CAT2, CredentialKind.SAMC, CredentialKind.SAMC_QVC)
STANDALONE_KINDS = frozenset({CredentialKind.SAMC, CredentialKind.SAMC_QVC})


class Source(models.TextChoices):
    UNIMAS = "unimas", _("Issued by this portal (UNIMAS)")
    EXTERNAL = "external", _("Brought from another provider")


class Verification(models.TextChoices):
    """Whether the evidence is known to be genuine."""

    VERIFIED = "verified", _("Verified")
    UNVERIFIED = "unverified", _("Not verified yet")
    REJECTED = "rejected", _("Rejected")


class EvidenceKind(models.TextChoices):
    PORTAL = "portal", _("Issued by this portal")
    PDF = "pdf", _("PDF document")
    BADGE = "badge", _("Open Badges 3.0 credential (JSON)")


class ApplicationStatus(models.TextChoices):
    """R-CT-6. The transition table is ``transfer.policies.TABLE``."""

    APELC_REVIEW = "apelc_review", _("With the APEL.C officer")
    COORDINATOR_REVIEW = "coordinator_review", _("With the programme coordinator")
    DEAN_REVIEW = "dean_review", _("With the Dean")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected by the Dean")
    NOT_SUPPORTED = "not_supported", _("Not supported by the coordinator")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = frozenset(
    {ApplicationStatus.APELC_REVIEW, ApplicationStatus.COORDINATOR_REVIEW, ApplicationStatus.DEAN_REVIEW}
)
DECIDED_STATUSES = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.NOT_SUPPORTED})


class CloSource(models.TextChoices):
    """Where a SAMC's CLO attainment comes from (R-AP-1)."""

    NONE = "", _("Not assessed yet")
    GRADEBOOK = "gradebook", _("Recorded by the UNIMAS gradebook")
    OFFICER = "officer", _("Assessed by the APEL.C officer")

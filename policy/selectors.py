from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from core.errors import ApplicationError, ErrorKind
from policy.models import PolicyVersion


def policy_versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.prefetch_related("slt_rates", "grade_bands", "minimum_ages", "workflow_steps")


def policy_version_in_force(*, on: date | None = None) -> PolicyVersion:
    """The version with the latest ``effective_from`` on or before ``on`` (default: today)."""
    on = on or timezone.localdate()
    version = policy_versions().filter(effective_from__lte=on).order_by("-effective_from").first()
    if version is None:
        raise ApplicationError(
            "policy_missing",
            f"No policy version is in force on {on:%Y-%m-%d}; a CFLEX administrator must add one.",
            kind=ErrorKind.NOT_FOUND,
        )
    return version

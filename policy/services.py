from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from policy.models import GradeBand, MinimumAge, PolicyVersion, SLTRate, WorkflowStep
from policy.policies import grade_band_problems


def policy_version_check_editable(*, version: PolicyVersion) -> None:
    """Decision 0002: the stored version (not the edited copy) must not be in force yet."""
    stored = PolicyVersion.objects.filter(pk=version.pk).values_list("effective_from", flat=True).first()
    if stored is not None and stored <= timezone.localdate():
        raise ApplicationError(
            "policy_frozen",
            "A policy version that has come into force cannot be changed: decisions cite it. "
            "Add a new version with a later effective date instead.",
            kind=ErrorKind.CONFLICT,
        )


def policy_version_check_date(*, effective_from: date, version_id: int | None = None) -> None:
    """A version takes effect in the future (no backdating), on a date no other version has."""
    if effective_from <= timezone.localdate():
        raise ApplicationError(
            "policy_backdated",
            "A new policy version takes effect in the future (tomorrow at the earliest), never today or in the past.",
            field="effective_from",
        )
    others = PolicyVersion.objects.filter(effective_from=effective_from)
    if version_id is not None:
        others = others.exclude(pk=version_id)
    if others.exists():
        raise ApplicationError(
            "policy_date_taken",
            f"A policy version already takes effect on {effective_from:%Y-%m-%d}.",
            field="effective_from",
            kind=ErrorKind.CONFLICT,
        )


@transaction.atomic
def policy_version_save(*, actor: User | None, version: PolicyVersion, changed: Sequence[str] = ()) -> PolicyVersion:
    """Add a version, or change one not yet in force (the admin's form calls this): no backdating,
    frozen once in force, audited. The rows (rates, bands...) are saved by the caller in the same
    transaction, then checked with :func:`policy_version_validate`."""
    adding = version.pk is None
    if not adding:
        PolicyVersion.objects.select_for_update().filter(pk=version.pk).first()
        policy_version_check_editable(version=version)
    policy_version_check_date(effective_from=version.effective_from, version_id=version.pk)
    if adding:
        version.created_by = actor
        version.created_at = timezone.now()
    version.save()
    audit_record(
        actor=actor,
        action="policy.version_add" if adding else "policy.version_change",
        obj=version,
        comment=", ".join(changed),
    )
    return version


@transaction.atomic
def policy_version_delete(*, actor: User | None, version: PolicyVersion) -> None:
    """Withdraw a version before it comes into force; one in force stays (decision 0002)."""
    PolicyVersion.objects.select_for_update().filter(pk=version.pk).first()
    policy_version_check_editable(version=version)
    audit_record(actor=actor, action="policy.version_delete", obj=version, comment=str(version))
    version.delete()


def policy_version_validate(*, version: PolicyVersion) -> None:
    """Checks that need the child rows: every activity has a rate, grade bands cover 0-100."""
    problems = grade_band_problems([b.min_mark for b in version.grade_bands.all()])
    if problems:
        raise ApplicationError("policy_grade_bands", " ".join(problems), field="grade_bands")
    from policy.models import Activity

    missing = set(Activity.values) - set(version.slt_rates.values_list("activity", flat=True))
    if missing:
        raise ApplicationError(
            "policy_slt_rates_missing",
            f"Every SLT activity needs a rate; missing: {', '.join(sorted(missing))}.",
            field="slt_rates",
        )


@transaction.atomic
def policy_version_copy(
    *,
    source: PolicyVersion,
    effective_from: date,
    name: str,
    actor: User | None,
    changes: Mapping[str, Any] | None = None,
) -> PolicyVersion:
    """Start a new version from an existing one: same numbers (but ``changes``), a later
    effective date (tomorrow at the earliest)."""
    policy_version_check_date(effective_from=effective_from)
    rates = list(source.slt_rates.all())
    bands = list(source.grade_bands.all())
    ages = list(source.minimum_ages.all())
    steps = list(source.workflow_steps.all())
    new = PolicyVersion.objects.get(pk=source.pk)
    new.pk = None
    new.id = None
    new._state.adding = True
    new.name = name
    new.effective_from = effective_from
    new.created_by = actor
    new.created_at = timezone.now()
    for field, value in (changes or {}).items():
        setattr(new, field, value)
    new.save()
    rows: list[SLTRate | GradeBand | MinimumAge | WorkflowStep] = [*rates, *bands, *ages, *steps]
    for row in rows:
        row.pk = None
        row._state.adding = True
        row.version = new
    SLTRate.objects.bulk_create(rates)
    GradeBand.objects.bulk_create(bands)
    MinimumAge.objects.bulk_create(ages)
    WorkflowStep.objects.bulk_create(steps)
    audit_record(
        actor=actor,
        action="policy.version_add",
        obj=new,
        comment=f"Copied from '{source}'",
    )
    return new

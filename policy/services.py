from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from policy.models import GradeBand, MinimumAge, PolicyVersion, SLTRate, WorkflowStep
from policy.policies import grade_band_problems


def policy_version_check_editable(*, version: PolicyVersion) -> None:
    if version.is_frozen:
        raise ApplicationError(
            "policy_frozen",
            "A policy version that has come into force cannot be changed: decisions cite it. "
            "Add a new version with a later effective date instead.",
            kind=ErrorKind.CONFLICT,
        )


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
def policy_version_copy(*, source: PolicyVersion, effective_from: date, name: str, actor: User | None) -> PolicyVersion:
    """Start a new version from an existing one: same numbers, a later effective date."""
    if effective_from < timezone.localdate():
        raise ApplicationError(
            "policy_backdated",
            "A new policy version cannot take effect in the past.",
            field="effective_from",
        )
    if PolicyVersion.objects.filter(effective_from=effective_from).exists():
        raise ApplicationError(
            "policy_date_taken",
            f"A policy version already takes effect on {effective_from:%Y-%m-%d}.",
            field="effective_from",
            kind=ErrorKind.CONFLICT,
        )
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

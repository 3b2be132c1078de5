"""The door other apps use for policy numbers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Subquery
from django.utils import timezone

from policy.data import GradeBandData, MinimumAgeData, PolicyData, SLTRateData, WorkflowPlan
from policy.models import PolicyVersion, WorkflowStep
from policy.policies import grade_for_mark as grade_for_mark  # R-RS-1, for the gradebook
from policy.selectors import policy_version_in_force, policy_versions


def to_data(version: PolicyVersion) -> PolicyData:
    return PolicyData(
        id=version.pk,
        name=version.name,
        effective_from=version.effective_from,
        hours_per_credit=version.hours_per_credit,
        slt_match_tolerance_pct=version.slt_match_tolerance_pct,
        sbl_online_min_pct=version.sbl_online_min_pct,
        sbl_online_max_pct=version.sbl_online_max_pct,
        market_survey_min_respondents=version.market_survey_min_respondents,
        pass_mark=version.pass_mark,
        ct_category1_max_pct=version.ct_category1_max_pct,
        ct_samc_apelc_max_pct=version.ct_samc_apelc_max_pct,
        ct_samc_all_max_pct=version.ct_samc_all_max_pct,
        ct_outside_max_pct=version.ct_outside_max_pct,
        ct_total_max_pct=version.ct_total_max_pct,
        ct_min_at_unimas_pct=version.ct_min_at_unimas_pct,
        apelc_min_clo_pct=version.apelc_min_clo_pct,
        apelm_min_credit_pct=version.apelm_min_credit_pct,
        apela_advice_one_institution_pct=version.apela_advice_one_institution_pct,
        apela_advice_several_institutions_pct=version.apela_advice_several_institutions_pct,
        slt_rates=tuple(
            SLTRateData(r.activity, r.unit, r.min_minutes, r.max_minutes, r.is_assessment)
            for r in version.slt_rates.all()
        ),
        grade_bands=tuple(
            GradeBandData(b.grade, b.min_mark, b.grade_point)
            for b in sorted(version.grade_bands.all(), key=lambda b: b.min_mark, reverse=True)
        ),
        minimum_ages=tuple(
            MinimumAgeData(a.level, a.normal_entry_age, a.apel_entry_age) for a in version.minimum_ages.all()
        ),
        workflow=_plan(version.workflow_steps.all()),
        qvc_validity_months=version.qvc_validity_months,
        qvc_first_reminder_months=version.qvc_first_reminder_months,
        qvc_last_reminder_months=version.qvc_last_reminder_months,
        credential_validity_months=version.credential_validity_months,
        credential_reminder_days=version.credential_reminder_days,
        results_days_after_assessment=version.results_days_after_assessment,
    )


def _plan(steps: Iterable[WorkflowStep]) -> WorkflowPlan:
    rows = list(steps)
    return WorkflowPlan(
        progress={s.state: s.progress_pct for s in rows},
        suggested_days={s.state: s.suggested_days for s in rows if s.suggested_days is not None},
    )


def workflow_plan(on: date | None = None) -> WorkflowPlan:
    """Table 3 of the version in force, in one query (queues and boards call it once a page)."""
    in_force = (
        PolicyVersion.objects.filter(effective_from__lte=on or timezone.localdate())
        .order_by("-effective_from")
        .values("pk")[:1]
    )
    return _plan(WorkflowStep.objects.filter(version=Subquery(in_force)))


def policy_in_force(on: date | None = None) -> PolicyData:
    """The policy version in force on ``on`` (default today), as frozen data."""
    return to_data(policy_version_in_force(on=on))


def policy_numbers_in_force(*fields: str, on: date | None = None) -> dict[str, Any]:
    """Some numbers of the version in force, in one query: for words that quote them (labels,
    help texts) on pages that need nothing else of the policy."""
    row = (
        PolicyVersion.objects.filter(effective_from__lte=on or timezone.localdate())
        .order_by("-effective_from")
        .values(*fields)
        .first()
    )
    if row is None:
        return dict(vars(to_data(policy_version_in_force(on=on))))  # raises: no version in force
    return dict(row)


def policy_by_id(version_id: int) -> PolicyData:
    """A version a past decision recorded."""
    return to_data(policy_versions().get(pk=version_id))

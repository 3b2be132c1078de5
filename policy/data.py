"""Frozen, plain views of a policy version: what other apps and pure rules receive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class SLTRateData:
    activity: str
    unit: str
    min_minutes: Decimal
    max_minutes: Decimal
    is_assessment: bool

    @property
    def midpoint(self) -> Decimal:
        """R-SLT-2: the default rate."""
        return (self.min_minutes + self.max_minutes) / 2


@dataclass(frozen=True)
class GradeBandData:
    grade: str
    min_mark: Decimal
    grade_point: Decimal


@dataclass(frozen=True)
class MinimumAgeData:
    level: str
    normal_entry_age: int
    apel_entry_age: int


@dataclass(frozen=True)
class WorkflowPlan:
    """R-WF-4, Table 3 as plain maps: progress % when a step is reached, suggested days in it."""

    progress: Mapping[str, int]
    suggested_days: Mapping[str, int]


@dataclass(frozen=True)
class PolicyData:
    id: int
    name: str
    effective_from: date
    hours_per_credit: int
    slt_match_tolerance_pct: Decimal
    sbl_online_min_pct: int
    sbl_online_max_pct: int
    market_survey_min_respondents: int
    pass_mark: Decimal
    ct_category1_max_pct: int
    ct_samc_apelc_max_pct: int
    ct_samc_all_max_pct: int
    ct_outside_max_pct: int
    ct_total_max_pct: int
    ct_min_at_unimas_pct: int
    apelc_min_clo_pct: int
    apelm_min_credit_pct: int
    apela_advice_one_institution_pct: int
    apela_advice_several_institutions_pct: int
    slt_rates: tuple[SLTRateData, ...]
    grade_bands: tuple[GradeBandData, ...]  # highest first
    minimum_ages: tuple[MinimumAgeData, ...]
    workflow: WorkflowPlan
    # R-CR-6
    qvc_validity_months: int = 36
    qvc_first_reminder_months: int = 6
    qvc_last_reminder_months: int = 1
    credential_validity_months: int | None = None
    credential_reminder_days: int = 30
    results_days_after_assessment: int = 1  # R-RS-4

    def slt_rate(self, activity: str) -> SLTRateData:
        for rate in self.slt_rates:
            if rate.activity == activity:
                return rate
        raise KeyError(activity)

    def minimum_age(self, level: str) -> MinimumAgeData:
        for age in self.minimum_ages:
            if age.level == level:
                return age
        raise KeyError(level)

"""The seeded policy version as plain data, for the pure engine tests (no database)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from policy.data import MinimumAgeData, PolicyData, WorkflowPlan
from policy.seed import MINIMUM_AGES


def policy_data(**overrides: Any) -> PolicyData:
    """The numbers of DOMAIN.md (the seed), as a ``PolicyData``; change any with ``overrides``."""
    data = PolicyData(
        id=1,
        name="UNIMAS Guidelines on Micro-Credential 2.0",
        effective_from=date(2025, 1, 1),
        hours_per_credit=40,
        slt_match_tolerance_pct=Decimal("10"),
        sbl_online_min_pct=30,
        sbl_online_max_pct=79,
        market_survey_min_respondents=30,
        pass_mark=Decimal("50"),
        ct_category1_max_pct=100,
        ct_samc_apelc_max_pct=30,
        ct_samc_all_max_pct=70,
        ct_outside_max_pct=70,
        ct_total_max_pct=100,
        ct_min_at_unimas_pct=30,
        apelc_min_clo_pct=50,
        apelm_min_credit_pct=50,
        apela_advice_one_institution_pct=30,
        apela_advice_several_institutions_pct=70,
        slt_rates=(),
        grade_bands=(),
        minimum_ages=tuple(MinimumAgeData(level, normal, apel) for level, normal, apel in MINIMUM_AGES),
        workflow=WorkflowPlan(progress={}, suggested_days={}),
    )
    return dataclasses.replace(data, **overrides)

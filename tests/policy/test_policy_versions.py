from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from policy.api import policy_by_id, policy_in_force
from policy.models import PolicyVersion
from policy.policies import grade_band_problems, grade_for_mark
from policy.services import policy_version_copy

pytestmark = pytest.mark.django_db


def test_seeded_version_holds_the_guideline_numbers():
    policy = policy_in_force(date(2026, 1, 15))
    # DOMAIN R-SLT-1
    slide = policy.slt_rate("slide")
    assert (slide.min_minutes, slide.max_minutes, slide.midpoint) == (5, 10, Decimal("7.5"))
    assert policy.slt_rate("assignment_essay").min_minutes == policy.slt_rate("assignment_essay").max_minutes == 60
    assert policy.slt_rate("quiz").is_assessment and not policy.slt_rate("video").is_assessment
    assert len(policy.slt_rates) == 12
    # DOMAIN R-SLT-3
    assert policy.hours_per_credit == 40
    # DOMAIN R-CT-1..5
    assert (
        policy.ct_category1_max_pct,
        policy.ct_samc_apelc_max_pct,
        policy.ct_samc_all_max_pct,
        policy.ct_outside_max_pct,
        policy.ct_total_max_pct,
        policy.ct_min_at_unimas_pct,
    ) == (100, 30, 70, 70, 100, 30)
    # DOMAIN R-AP-4
    assert [(a.level, a.normal_entry_age, a.apel_entry_age) for a in policy.minimum_ages] == [
        ("certificate", 19, 20),
        ("diploma", 20, 22),
        ("bachelor", 22, 24),
        ("master", 24, 31),
    ]
    # DOMAIN R-AF-3, R-RS-1
    assert policy.market_survey_min_respondents == 30
    assert policy.pass_mark == 50


def _add_version(effective: date, **numbers) -> PolicyVersion:
    source = PolicyVersion.objects.get(effective_from=date(2025, 1, 1))
    with pytest.MonkeyPatch.context() as mp:
        # History for the date test: each version is added the day before it took effect, with its
        # numbers (once in force it is frozen, even against an UPDATE: decision 0002).
        mp.setattr(timezone, "localdate", lambda *a: effective - timedelta(days=1))
        return policy_version_copy(
            source=source, effective_from=effective, name=f"v{effective}", actor=None, changes=numbers
        )


def test_version_in_force_is_chosen_by_date():
    v2 = _add_version(date(2026, 7, 1), market_survey_min_respondents=40)
    v3 = _add_version(date(2027, 1, 1), market_survey_min_respondents=50)
    assert policy_in_force(date(2025, 6, 1)).market_survey_min_respondents == 30
    assert policy_in_force(date(2026, 6, 30)).market_survey_min_respondents == 30
    assert policy_in_force(date(2026, 7, 1)).id == v2.pk
    assert policy_in_force(date(2026, 12, 31)).market_survey_min_respondents == 40
    assert policy_in_force(date(2027, 1, 1)).id == v3.pk
    assert policy_in_force(date(2030, 1, 1)).market_survey_min_respondents == 50
    # A decision that recorded v2 reads v2's numbers whatever is in force now.
    assert policy_by_id(v2.pk).market_survey_min_respondents == 40


def test_no_version_before_the_first_is_a_named_error():
    with pytest.raises(ApplicationError) as exc:
        policy_in_force(date(2024, 12, 31))
    assert exc.value.code == "policy_missing"
    assert exc.value.status == 404


def test_copy_refuses_a_past_date_and_a_taken_date():
    source = PolicyVersion.objects.get()
    with pytest.raises(ApplicationError) as exc:
        policy_version_copy(
            source=source, effective_from=timezone.localdate() - timedelta(days=1), name="x", actor=None
        )
    assert exc.value.code == "policy_backdated"
    tomorrow = timezone.localdate() + timedelta(days=1)
    copy = policy_version_copy(source=source, effective_from=tomorrow, name="next", actor=None)
    assert copy.slt_rates.count() == 12 and copy.grade_bands.count() == 11 and copy.minimum_ages.count() == 4
    assert source.slt_rates.count() == 12  # the source keeps its rows
    with pytest.raises(ApplicationError) as exc:
        policy_version_copy(source=source, effective_from=tomorrow, name="again", actor=None)
    assert exc.value.code == "policy_date_taken"
    assert exc.value.status == 409


def test_version_in_force_is_frozen_and_a_future_one_is_not():
    source = PolicyVersion.objects.get()
    assert source.is_frozen
    future = policy_version_copy(
        source=source, effective_from=timezone.localdate() + timedelta(days=3), name="future", actor=None
    )
    assert not future.is_frozen


@pytest.mark.parametrize(
    ("mark", "grade"),
    [
        (Decimal("100"), "A"),
        (Decimal("80"), "A"),
        (Decimal("79.99"), "A-"),
        (Decimal("50"), "C"),  # DOMAIN R-RS-1: pass at 50%
        (Decimal("49.5"), "C-"),
        (Decimal("0"), "F"),
    ],
)
def test_grade_for_mark_uses_the_bands_in_force(mark, grade):
    # DOMAIN R-RS-1
    assert grade_for_mark(mark, policy_in_force().grade_bands).grade == grade


@pytest.mark.parametrize("mark", [Decimal("-1"), Decimal("100.01")])
def test_grade_for_mark_refuses_marks_outside_0_to_100(mark):
    with pytest.raises(ValueError):
        grade_for_mark(mark, policy_in_force().grade_bands)


@pytest.mark.parametrize(
    ("mins", "problem"),
    [
        ([Decimal(50), Decimal(0)], None),
        ([Decimal(50)], "start at 0"),
        ([Decimal(0), Decimal(50), Decimal(50)], "same mark"),
        ([], "at least one"),
    ],
)
def test_grade_band_problems(mins, problem):
    problems = grade_band_problems(mins)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems)


def test_table_3_progress_and_durations_are_policy_data_by_date():
    # DOMAIN R-WF-4: progress % and suggested duration per milestone, editable with an effective date
    from policy.api import workflow_plan
    from policy.models import WorkflowStep

    plan = workflow_plan(date(2026, 1, 1))
    assert (plan.progress["cflex_approved"], plan.progress["table4_approved"], plan.progress["uploaded"]) == (
        15,
        20,
        70,
    )
    assert (plan.progress["sme_vetted"], plan.progress["senate_approved"]) == (85, 100)
    assert plan.suggested_days["table4_approved"] == 30 and "ready_to_offer" not in plan.suggested_days
    starts = timezone.localdate() + timedelta(days=10)
    v2 = policy_version_copy(source=PolicyVersion.objects.get(), effective_from=starts, name="v2", actor=None)
    WorkflowStep.objects.filter(version=v2, state="table4_approved").update(suggested_days=45)  # not in force yet
    assert workflow_plan(starts - timedelta(days=1)).suggested_days["table4_approved"] == 30
    assert workflow_plan(starts).suggested_days["table4_approved"] == 45
    assert policy_in_force(starts).workflow.suggested_days["table4_approved"] == 45

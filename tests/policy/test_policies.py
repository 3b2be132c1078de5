"""policy/policies.py over plain values (no database): the grade bands of R-RS-1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policy.data import GradeBandData
from policy.policies import grade_band_problems, grade_for_mark

D = Decimal
BANDS = (
    GradeBandData("A", D("80"), D("4.00")),
    GradeBandData("A-", D("75"), D("3.67")),
    GradeBandData("C", D("50"), D("2.00")),
    GradeBandData("C-", D("45"), D("1.67")),
    GradeBandData("F", D("0"), D("0.00")),
)


@pytest.mark.parametrize(
    ("mark", "grade"),
    [
        (D("100"), "A"),
        (D("80"), "A"),  # a band starts at its own minimum
        (D("79.99"), "A-"),
        (D("50"), "C"),  # DOMAIN R-RS-1: pass at 50%
        (D("49.99"), "C-"),
        (D("0"), "F"),
    ],
)
def test_grade_for_mark_takes_the_highest_band_at_or_below(mark, grade):
    # DOMAIN R-RS-1; the bands in any order
    assert grade_for_mark(mark, BANDS).grade == grade
    assert grade_for_mark(mark, tuple(reversed(BANDS))).grade == grade


@pytest.mark.parametrize("mark", [D("-0.01"), D("100.01")])
def test_grade_for_mark_refuses_marks_outside_0_to_100(mark):
    with pytest.raises(ValueError, match="between 0 and 100"):
        grade_for_mark(mark, BANDS)


def test_grade_for_mark_without_a_band_for_the_mark():
    with pytest.raises(ValueError, match="No grade band covers"):
        grade_for_mark(D("10"), BANDS[:2])


@pytest.mark.parametrize(
    ("mins", "problems"),
    [
        ([D(50), D(0)], []),
        ([D(0), D(100)], []),
        ([D(50)], ["The lowest grade band must start at 0, so every mark has a grade."]),
        ([D(0), D(50), D(50)], ["Two grade bands start at the same mark."]),
        ([D(0), D(101)], ["Grade bands start between 0 and 100."]),
        ([D(0), D(-1)], ["Grade bands start between 0 and 100."]),
        ([], ["A policy version needs at least one grade band."]),
    ],
)
def test_grade_band_problems(mins, problems):
    assert grade_band_problems(mins) == problems

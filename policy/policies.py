"""Pure rules over policy data: no ORM, no request."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from policy.data import GradeBandData


def grade_for_mark(mark: Decimal, bands: Sequence[GradeBandData]) -> GradeBandData:
    """R-RS-1: the band with the highest ``min_mark`` at or below ``mark``."""
    if not Decimal("0") <= mark <= Decimal("100"):
        raise ValueError(f"A final mark is between 0 and 100, not {mark}.")
    for band in sorted(bands, key=lambda b: b.min_mark, reverse=True):
        if mark >= band.min_mark:
            return band
    raise ValueError(f"No grade band covers the mark {mark}.")


def grade_band_problems(min_marks: Sequence[Decimal]) -> list[str]:
    """What is wrong with a set of grade bands: every mark 0-100 must fall in exactly one."""
    problems = []
    if not min_marks:
        return ["A policy version needs at least one grade band."]
    if Decimal("0") not in min_marks:
        problems.append("The lowest grade band must start at 0, so every mark has a grade.")
    if len(set(min_marks)) != len(min_marks):
        problems.append("Two grade bands start at the same mark.")
    if any(m < 0 or m > 100 for m in min_marks):
        problems.append("Grade bands start between 0 and 100.")
    return problems

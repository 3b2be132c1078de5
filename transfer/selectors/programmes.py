"""Reads of programmes."""

from __future__ import annotations

from courses import api as courses_api
from courses.data import ProgrammeData
from transfer.policies import (
    CourseIn,
    ProgrammeIn,
)
from transfer.selectors.common import not_found

# --- programmes ----------------------------------------------------------------------------------


def programme_choices() -> list[ProgrammeData]:
    """Programmes credit may be transferred to: active, never Foundation (R-CAT-5)."""
    return [p for p in courses_api.programme_list() if not p.is_foundation]


def programme_data(programme_id: int) -> ProgrammeData:
    try:
        return courses_api.programme_get(programme_id)
    except LookupError:
        raise not_found("programme") from None


def programme_input(programme: ProgrammeData) -> ProgrammeIn:
    return ProgrammeIn(
        code=programme.code,
        name=programme.name,
        level=programme.level,
        graduating_credits=programme.graduating_credits,
        courses=tuple(CourseIn(c.code, c.name, c.credits, c.is_mpu) for c in programme.courses),
    )

"""The proposal editor's steps (issue 17): which step holds which field, so the page can show each
step's problems beside it. Pure: no ORM, no request."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    key: str
    label: Promise


STEPS: tuple[Step, ...] = (
    Step("basics", _("Basic details")),
    Step("outcomes", _("Outcomes")),
    Step("table4", _("Table 4 (SLT)")),
    Step("assessment", _("Assessment")),
    Step("survey", _("Market survey")),
    Step("review", _("Review and submit")),
)
STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)
FIRST_STEP = STEP_KEYS[0]
REVIEW_STEP = STEP_KEYS[-1]

# A field path's first name -> its step; any other field is a basic detail.
_FIELD_STEPS = {
    "clos": "outcomes",
    "units": "table4",
    "slt": "table4",
    "delivery_mode": "table4",
    "ptg_reference": "table4",
    "components": "assessment",
    "market_survey": "survey",
    "survey_respondents": "survey",
    "survey_file": "survey",
}
_HEAD = re.compile(r"[A-Za-z_]+")


def step_of(field: str) -> str:
    """The step whose page holds the field at ``field`` (``units[0].lines[2].rate_minutes`` ->
    ``table4``); a problem with no field belongs to the basic details."""
    head = _HEAD.match(field or "")
    return _FIELD_STEPS.get(head.group(0), FIRST_STEP) if head else FIRST_STEP


class _HasField(Protocol):
    @property
    def field(self) -> str: ...


def count_by_step(problems: Iterable[_HasField]) -> dict[str, int]:
    """How many of ``problems`` each step holds (every step named, zero included)."""
    counts = dict.fromkeys(STEP_KEYS, 0)
    for problem in problems:
        counts[step_of(problem.field)] += 1
    return counts

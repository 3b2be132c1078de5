"""Plain values the pure rules work on: a proposal as typed (``ProposalData``) and the facts about
the records it points at (``ProposalSnapshot``). No ORM."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from courses.policies.steps import step_of


@dataclass(frozen=True)
class LineData:
    """One Table 4 line: ``quantity`` units of ``activity`` at ``rate_minutes`` SLT minutes each."""

    activity: str
    quantity: int
    rate_minutes: Decimal
    is_online: bool = False


@dataclass(frozen=True)
class UnitData:
    """A learning unit (week or topic) and its lines, in order."""

    title: str = ""
    lines: tuple[LineData, ...] = ()


@dataclass(frozen=True)
class CLOData:
    """R-AF-4: a course learning outcome."""

    verb: str = ""
    outcome: str = ""
    criteria: str = ""
    conditions: str = ""
    mqf_level: int | None = None
    effort_hours: int | None = None


@dataclass(frozen=True)
class ComponentData:
    """R-AS: an assessment component. ``unit`` and ``clos`` are 1-based numbers (Unit 1, CLO2)."""

    method: str
    kind: str
    weight: int
    title: str = ""
    unit: int | None = None
    clos: tuple[int, ...] = ()
    retake_allowed: bool = False


@dataclass(frozen=True)
class ProposalData:
    """Everything a developer types into a proposal, with records referred to by id."""

    kind: str
    title: str = ""
    code: str = ""
    origin_programme_id: int | None = None
    origin_course_id: int | None = None
    part_credits: int | None = None
    justification: str = ""
    objectives: str = ""
    entry_requirements: str = ""
    synopsis: str = ""
    study_session: str = ""
    offer_start: date | None = None
    offer_end: date | None = None
    course_level: int | None = None
    learner_commitment: str = ""
    promotion: str = ""
    continuous_improvement: str = ""
    fee: Decimal | None = None
    delivery_mode: str = ""
    ptg_reference: str = ""
    lecturer_ids: tuple[int, ...] = ()
    co_developer_ids: tuple[int, ...] = ()
    survey_respondents: int | None = None
    clos: tuple[CLOData, ...] = ()
    units: tuple[UnitData, ...] = ()
    components: tuple[ComponentData, ...] = ()


# The free-text fields of the application form.
TEXT_FIELDS = (
    "justification",
    "objectives",
    "entry_requirements",
    "synopsis",
    "learner_commitment",
    "promotion",
    "continuous_improvement",
)


@dataclass(frozen=True)
class ProgrammeFacts:
    code: str
    name: str
    is_foundation: bool


@dataclass(frozen=True)
class CourseFacts:
    code: str
    name: str
    credits: int
    is_mpu: bool


@dataclass(frozen=True)
class ProposalSnapshot:
    """A proposal plus the facts its rules need from other records."""

    data: ProposalData
    origin_programme: ProgrammeFacts | None = None
    origin_course: CourseFacts | None = None
    course_in_programme: bool = True
    qualification_names: tuple[str, ...] = ()
    other_part_credits: tuple[int, ...] = ()  # the other parts of the same divided course (R-NM-3)
    code_taken: bool = False
    survey_file_present: bool = False


# The page picks the origin programme and course with one control.
_PAGE_FIELDS = {"origin_programme": "origin", "origin_course": "origin"}


def page_field(path: str) -> str:
    """The page's form field for a problem's ``field``."""
    return _PAGE_FIELDS.get(path, path)


def path_to_name(path: str) -> str:
    """``units[0].lines[2].rate_minutes`` -> ``units-0-lines-2-rate_minutes`` (an input's name)."""
    return re.sub(r"\[(\d+)\]", r"-\1", path).replace(".", "-")


def field_anchor(path: str) -> str:
    """The id of the page element that holds the field at ``path``."""
    return f"f-{path_to_name(page_field(path))}" if path else "f-basics"


@dataclass(frozen=True)
class Problem:
    """One unmet rule, or one refused input: the rule's ID, a stable code, a message, and the
    field at fault as a path (``units[0].lines[2].rate_minutes``)."""

    rule_id: str
    code: str
    message: str
    field: str = ""
    blocking: bool = True

    @property
    def anchor(self) -> str:
        return field_anchor(self.field)

    @property
    def step(self) -> str:
        """The editor step whose page holds the field (issue 17)."""
        return step_of(self.field)

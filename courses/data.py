"""Frozen descriptions of courses for other apps (OEP-49): what ``courses.api`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CLOInfo:
    id: int
    number: int  # 1-based: CLO1, CLO2…
    text: str
    mqf_level: int | None


@dataclass(frozen=True)
class UnitInfo:
    number: int
    title: str
    slt_hm: str


@dataclass(frozen=True)
class ComponentInfo:
    id: int
    number: int
    title: str
    method: str
    method_label: str
    kind: str  # "continuous" (formative) / "final" (summative)
    weight: int  # % of the final mark (R-AS-1)
    clo_ids: tuple[int, ...]
    retake_allowed: bool  # online quizzes only (R-AS-4)
    unit_number: int | None


@dataclass(frozen=True)
class ReadyCourseData:
    """A micro-credential as approved: what catalogues, gradebooks and credentials need."""

    id: int
    code: str
    title: str
    kind: str
    kind_label: str
    category: int
    is_accredited: bool
    status: str
    ptj_id: int
    ptj_code: str
    ptj_name: str
    ptj_name_ms: str
    course_level: int | None
    delivery_mode: str
    delivery_mode_label: str
    synopsis: str
    objectives: str
    entry_requirements: str
    learner_commitment: str
    study_session: str
    fee: Decimal | None
    origin_course_code: str
    origin_course_name: str
    origin_programme_name: str
    lecturers: tuple[str, ...]
    clos: tuple[CLOInfo, ...]
    units: tuple[UnitInfo, ...]
    components: tuple[ComponentInfo, ...]
    slt_hours: Decimal
    slt_hm: str
    credits: Decimal
    committee: str  # which committee endorses its results (R-RS-2)

    @property
    def is_ready_to_offer(self) -> bool:
        return self.status == "ready_to_offer"

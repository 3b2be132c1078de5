"""Frozen descriptions of courses for other apps (OEP-49): what ``courses.api`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from courses.policies.outcomes import OutcomeSentence, outcome_sentence


@dataclass(frozen=True)
class CLOInfo:
    """A course learning outcome as its parts (R-AF-4); ``sentence`` is how it reads everywhere."""

    id: int
    number: int  # 1-based: CLO1, CLO2…
    verb: str
    content: str
    criteria: str
    conditions: str
    mqf_level: int | None

    @property
    def sentence(self) -> OutcomeSentence:
        return outcome_sentence(
            verb=self.verb, content=self.content, criteria=self.criteria, conditions=self.conditions
        )

    @property
    def text(self) -> str:
        return self.sentence.text


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
class QualityData:
    """R-CR-6 / R-QA-3: the current MQR reference or QVC verification of a course."""

    kind: str  # "mqr" | "qvc"
    kind_label: str
    reference: str
    valid_from: date
    valid_until: date

    def lapsed_on(self, day: date) -> bool:
        return day > self.valid_until


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


@dataclass(frozen=True)
class ProgrammeCourseData:
    code: str
    name: str
    credits: int
    is_mpu: bool
    is_core: bool


@dataclass(frozen=True)
class ProgrammeData:
    """An accredited programme as credit transfer sees it (R-CT, R-AP)."""

    id: int
    code: str
    name: str
    level: str  # ProgrammeLevel value: foundation, certificate, diploma, bachelor, master, doctorate
    level_label: str
    graduating_credits: int
    mqa_accredited: bool
    mqa_reference: str
    entry_requirements: str
    ptj_id: int
    ptj_code: str
    ptj_name: str
    ptj_name_ms: str
    coordinator_id: int | None
    coordinator_name: str
    dean_names: tuple[str, ...]  # who holds the Dean role in the programme's PTj
    is_active: bool
    courses: tuple[ProgrammeCourseData, ...]

    @property
    def is_foundation(self) -> bool:
        """R-CAT-5: never a target of micro-credential transfer."""
        return self.level == "foundation"

    def course(self, code: str) -> ProgrammeCourseData | None:
        return next((c for c in self.courses if c.code == code), None)


@dataclass(frozen=True)
class McOriginData:
    """Where a UNIMAS micro-credential comes from (R-CAT, R-NM-2): its category, and for
    Category 1 the accredited course it was made from (a divided course's parts all name the
    whole course: ``TMN4031MCA`` -> ``TMN4033``)."""

    code: str
    kind: str  # ProposalKind value
    category: int  # 1 or 3
    is_qvc: bool
    origin_course_code: str  # "" for stand-alone MCs
    origin_course_credits: int | None
    origin_course_is_mpu: bool
    part_credits: int | None  # the credits of this part of a divided course

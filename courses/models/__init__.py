"""Accredited programmes and courses (``records``), micro-credential proposals (``proposals``) and
their design (``design``)."""

from courses.models.design import (
    AssessmentComponent,
    CourseLearningOutcome,
    LearningUnit,
    MarketSurvey,
    Table4Line,
    private_storage,
)
from courses.models.proposals import Proposal, ProposalVersion, ProposalVersionError
from courses.models.quality import QualityKind, QualityReference, QualityReminder
from courses.models.records import (
    POSTGRADUATE_LEVELS,
    Course,
    Programme,
    ProgrammeCourse,
    ProgrammeLevel,
    course_code_validator,
)
from courses.models.workflow import AgendaItem, Meeting, Registration

__all__ = [
    "POSTGRADUATE_LEVELS",
    "AgendaItem",
    "AssessmentComponent",
    "Course",
    "CourseLearningOutcome",
    "LearningUnit",
    "MarketSurvey",
    "Meeting",
    "Programme",
    "ProgrammeCourse",
    "ProgrammeLevel",
    "Proposal",
    "ProposalVersion",
    "ProposalVersionError",
    "QualityKind",
    "QualityReference",
    "QualityReminder",
    "Registration",
    "Table4Line",
    "course_code_validator",
    "private_storage",
]

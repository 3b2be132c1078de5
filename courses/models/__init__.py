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
from courses.models.records import (
    POSTGRADUATE_LEVELS,
    Course,
    Programme,
    ProgrammeCourse,
    ProgrammeLevel,
    course_code_validator,
)

__all__ = [
    "POSTGRADUATE_LEVELS",
    "AssessmentComponent",
    "Course",
    "CourseLearningOutcome",
    "LearningUnit",
    "MarketSurvey",
    "Programme",
    "ProgrammeCourse",
    "ProgrammeLevel",
    "Proposal",
    "ProposalVersion",
    "ProposalVersionError",
    "Table4Line",
    "course_code_validator",
    "private_storage",
]

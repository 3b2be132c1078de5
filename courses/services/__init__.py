"""The only code that writes programmes, courses and proposals (STYLE.md ``services``)."""

from courses.services.proposals import (
    ProposalInputError,
    proposal_create,
    proposal_delete,
    proposal_submit,
    proposal_update,
)
from courses.services.records import course_ensure, programme_ensure
from courses.services.surveys import market_survey_attach

__all__ = [
    "ProposalInputError",
    "course_ensure",
    "market_survey_attach",
    "programme_ensure",
    "proposal_create",
    "proposal_delete",
    "proposal_submit",
    "proposal_update",
]

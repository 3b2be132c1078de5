"""The only code that writes programmes, courses and proposals (STYLE.md ``services``)."""

from courses.services._access import require as proposal_may
from courses.services.digest import overdue_digest_send
from courses.services.meetings import agenda_add, agenda_decide, meeting_create
from courses.services.proposals import (
    ProposalInputError,
    proposal_create,
    proposal_delete,
    proposal_submit,
    proposal_update,
)
from courses.services.records import course_ensure, programme_coordinator_set, programme_ensure
from courses.services.surveys import market_survey_attach
from courses.services.workflow import proposal_sme_appoint, proposal_transition, proposal_video_not_applicable

__all__ = [
    "ProposalInputError",
    "agenda_add",
    "agenda_decide",
    "course_ensure",
    "market_survey_attach",
    "meeting_create",
    "overdue_digest_send",
    "programme_coordinator_set",
    "programme_ensure",
    "proposal_create",
    "proposal_delete",
    "proposal_may",
    "proposal_sme_appoint",
    "proposal_submit",
    "proposal_transition",
    "proposal_update",
    "proposal_video_not_applicable",
]

"""The only code that writes programmes, courses and proposals (STYLE.md ``services``)."""

from courses.services._access import require as proposal_may
from courses.services.digest import overdue_digest_send
from courses.services.meetings import (
    agenda_add,
    agenda_add_may,
    agenda_decide,
    agenda_decide_may,
    meeting_create,
    meeting_create_may,
)
from courses.services.proposals import (
    ProposalInputError,
    proposal_create,
    proposal_create_may,
    proposal_delete,
    proposal_submit,
    proposal_update,
)
from courses.services.records import (
    coordinator_problem,
    course_ensure,
    course_update,
    programme_coordinator_set,
    programme_course_link,
    programme_course_unlink,
    programme_ensure,
    programme_update,
)
from courses.services.surveys import market_survey_attach
from courses.services.workflow import (
    proposal_sme_appoint,
    proposal_sme_may,
    proposal_transition,
    proposal_transition_may,
    proposal_video_not_applicable,
)

__all__ = [
    "ProposalInputError",
    "agenda_add",
    "agenda_add_may",
    "agenda_decide",
    "agenda_decide_may",
    "coordinator_problem",
    "course_ensure",
    "course_update",
    "market_survey_attach",
    "meeting_create",
    "meeting_create_may",
    "overdue_digest_send",
    "programme_coordinator_set",
    "programme_course_link",
    "programme_course_unlink",
    "programme_ensure",
    "programme_update",
    "proposal_create",
    "proposal_create_may",
    "proposal_delete",
    "proposal_may",
    "proposal_sme_appoint",
    "proposal_sme_may",
    "proposal_submit",
    "proposal_transition",
    "proposal_transition_may",
    "proposal_update",
    "proposal_video_not_applicable",
]

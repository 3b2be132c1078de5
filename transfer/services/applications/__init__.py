"""Credit-transfer applications (R-CT-6): the learner applies; the APEL.C officer assesses
stand-alone claims (R-AP-1); the programme coordinator supports or not, and may correct the course
mapping and judge the evidence; the Dean approves or rejects. One way in for each change: locked,
authorised by ``transfer.rules``, checked against the table of ``transfer.policies.workflow``,
recomputed by the engine under the policy in force (recorded), audited, and notified after
commit. A decision queues the letter (``transfer.tasks``)."""

from transfer.services.applications.common import (
    MAX_CLOS,
    Claim,
    _facts,
    _locked,
    _store,
    _url,
    applications_reevaluate,
    problem_error,
    result_document,
)
from transfer.services.applications.notifications import _notify, users_for_actor
from transfer.services.applications.review import (
    _check_mapping,
    _line,
    _percentages,
    _require_edit,
    application_clo_assess,
    application_edit_may,
    application_evidence_decide,
    application_mapping_set,
)
from transfer.services.applications.submission import (
    _OPEN,
    _event_data,
    _stored,
    application_may_submit,
    application_submit,
)
from transfer.services.applications.transitions import (
    _choose_row,
    _letter_sender,
    already_decided,
    application_act_may,
    application_transition,
)

__all__ = [
    "MAX_CLOS",
    "_OPEN",
    "Claim",
    "_check_mapping",
    "_choose_row",
    "_event_data",
    "_facts",
    "_letter_sender",
    "_line",
    "_locked",
    "_notify",
    "_percentages",
    "_require_edit",
    "_store",
    "_stored",
    "_url",
    "already_decided",
    "application_act_may",
    "application_clo_assess",
    "application_edit_may",
    "application_evidence_decide",
    "application_mapping_set",
    "application_may_submit",
    "application_submit",
    "application_transition",
    "applications_reevaluate",
    "problem_error",
    "result_document",
    "users_for_actor",
]

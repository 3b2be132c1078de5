"""Reads: a learner's credentials (brought from outside, and issued by this portal through
``credentials.api``), programmes, the applications a user may see and the queues, and the engine's
inputs and result for a learner or an application. Other apps are read only through their
``api`` modules."""

from transfer.selectors.applications import (
    DECIDED,
    application_claims,
    application_evaluation,
    application_get,
    application_history,
    application_queue,
    decision_letter_get,
    learner_applications,
    line_clo,
    stored_result,
    unassessed_lines,
    unverified_lines,
    with_lines,
)
from transfer.selectors.common import applications_visible_to, not_found
from transfer.selectors.credentials import (
    HeldCredential,
    _external_held,
    _issued_for,
    _kind_of,
    _unimas_held,
    default_mapping,
    gradebook_attainment,
    learner_credentials,
    prior_credential_get,
)
from transfer.selectors.evaluation import Evaluation, age_exception_for, apelm_for, birth_year, learner_evaluation
from transfer.selectors.programmes import programme_choices, programme_data, programme_input

__all__ = [
    "DECIDED",
    "Evaluation",
    "HeldCredential",
    "_external_held",
    "_issued_for",
    "_kind_of",
    "_unimas_held",
    "age_exception_for",
    "apelm_for",
    "application_claims",
    "application_evaluation",
    "application_get",
    "application_history",
    "application_queue",
    "applications_visible_to",
    "birth_year",
    "decision_letter_get",
    "default_mapping",
    "gradebook_attainment",
    "learner_applications",
    "learner_credentials",
    "learner_evaluation",
    "line_clo",
    "not_found",
    "prior_credential_get",
    "programme_choices",
    "programme_data",
    "programme_input",
    "stored_result",
    "unassessed_lines",
    "unverified_lines",
    "with_lines",
]

"""The credit-transfer pages: the learner's credentials and "what would count?", applications
with their review actions, the reviewers' queue, programmes, the decision letter. Thin: they call
the same services as the API, and show a refusal with its HTTP status."""

from transfer.views.applications import (
    _after,
    _application_context,
    _buttons,
    _may_edit,
    _next_actor,
    age_exception,
    age_exception_revoke,
    application_page,
    letter_pdf,
    line_assess,
    line_evidence,
    mapping,
    queue,
    transition,
)
from transfer.views.common import MAP_PREFIX, _actor, _refuse_hard
from transfer.views.counting import _check_context, _mapping_from, _result_context, apply, check, programmes
from transfer.views.credentials import credential_add, credential_evidence, credential_withdraw, home

__all__ = [
    "MAP_PREFIX",
    "_actor",
    "_after",
    "_application_context",
    "_buttons",
    "_check_context",
    "_mapping_from",
    "_may_edit",
    "_next_actor",
    "_refuse_hard",
    "_result_context",
    "age_exception",
    "age_exception_revoke",
    "application_page",
    "apply",
    "check",
    "credential_add",
    "credential_evidence",
    "credential_withdraw",
    "home",
    "letter_pdf",
    "line_assess",
    "line_evidence",
    "mapping",
    "programmes",
    "queue",
    "transition",
]

"""The only code that writes credit-transfer records (STYLE.md ``services``)."""

from transfer.services.apel import (
    age_exception_grant,
    age_exception_may_grant,
    age_exception_may_revoke,
    age_exception_revoke,
)
from transfer.services.applications import (
    Claim,
    application_act_may,
    application_clo_assess,
    application_edit_may,
    application_evidence_decide,
    application_mapping_set,
    application_may_submit,
    application_submit,
    application_transition,
)
from transfer.services.credentials import prior_credential_add, prior_credential_may_add, prior_credential_withdraw
from transfer.services.letters import decision_letter_issue

__all__ = [
    "Claim",
    "age_exception_grant",
    "age_exception_may_grant",
    "age_exception_may_revoke",
    "age_exception_revoke",
    "application_act_may",
    "application_clo_assess",
    "application_edit_may",
    "application_evidence_decide",
    "application_mapping_set",
    "application_may_submit",
    "application_submit",
    "application_transition",
    "decision_letter_issue",
    "prior_credential_add",
    "prior_credential_may_add",
    "prior_credential_withdraw",
]

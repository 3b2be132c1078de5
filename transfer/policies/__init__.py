"""The rules of credit transfer and APEL as pure functions (STYLE.md ``policies``): the caps
engine (``caps``), APEL.M (``apel``), evidence (``evidence``), the application's state machine
(``workflow``) and the words that explain a result (``explain``)."""

from transfer.policies.apel import ApelMReason, ApelMResult, age_in_year, apelm_eligibility
from transfer.policies.caps import (
    CAPS,
    GROUP_ORDER,
    Advice,
    CapOutcome,
    CourseIn,
    CourseOutcome,
    CredentialIn,
    CredentialOutcome,
    Pending,
    Problem,
    ProgrammeIn,
    Reason,
    TransferResult,
    claim_problems,
    credit_transfer,
)

__all__ = [
    "CAPS",
    "GROUP_ORDER",
    "Advice",
    "ApelMReason",
    "ApelMResult",
    "CapOutcome",
    "CourseIn",
    "CourseOutcome",
    "CredentialIn",
    "CredentialOutcome",
    "Pending",
    "Problem",
    "ProgrammeIn",
    "Reason",
    "TransferResult",
    "age_in_year",
    "apelm_eligibility",
    "claim_problems",
    "credit_transfer",
]

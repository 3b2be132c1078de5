"""The credit-transfer engine (R-CT-1..5, R-AP-1, R-AP-3, R-NM-2): pure, over plain values.

``credit_transfer`` (``engine``) takes a programme, the learner's credentials each mapped (or not)
to one of its courses, and the policy version, and says per credential whether it counts and for
how many credits, per course whether it is credited, and for the whole claim the credits
transferred, the caps that bound the result and the credits they left out, what is still to be
taken at UNIMAS and the APEL.A advice. The caps are applied by an exact search (``optimal``),
never greedily. ``model`` holds the values, ``problems`` what stops a claim being submitted.
"""

from transfer.policies.caps.engine import apela_advice, credit_transfer
from transfer.policies.caps.model import (
    CAPS,
    GROUP_ORDER,
    RULE_OF_REASON,
    UNIMAS,
    Advice,
    Cap,
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
    cap_limit,
    clo_problem,
    pct_of,
    share_floor,
    whole_credits,
)
from transfer.policies.caps.optimal import Item, best_selection, best_total, subset_sums
from transfer.policies.caps.problems import claim_problems

__all__ = [
    "CAPS",
    "GROUP_ORDER",
    "RULE_OF_REASON",
    "UNIMAS",
    "Advice",
    "Cap",
    "CapOutcome",
    "CourseIn",
    "CourseOutcome",
    "CredentialIn",
    "CredentialOutcome",
    "Item",
    "Pending",
    "Problem",
    "ProgrammeIn",
    "Reason",
    "TransferResult",
    "apela_advice",
    "best_selection",
    "best_total",
    "cap_limit",
    "claim_problems",
    "clo_problem",
    "credit_transfer",
    "pct_of",
    "share_floor",
    "subset_sums",
    "whole_credits",
]

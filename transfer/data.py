"""Frozen data the transfer app hands to other apps (OEP-49)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TransferDecisionData:
    """One credit-transfer application and where it stands (reports, the learner's records)."""

    id: int
    learner_id: int
    programme_code: str
    status: str
    credits_transferred: int
    binding_cap: str  # "" when no cap bound the result
    binding_cut: int
    policy_version_id: int
    submitted_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class TransferEstimateData:
    """What the learner's credentials would count towards a programme today (R-CT-1..5)."""

    programme_code: str
    graduating_credits: int
    transferred: int
    remaining: int
    binding_cap: str
    binding_rule: str
    binding_cut: int
    provisional: bool
    policy_version_id: int

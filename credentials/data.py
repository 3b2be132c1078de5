"""Frozen data the credentials app hands to other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class IssuanceRequestData:
    id: int
    enrolment_id: int
    learner_id: int
    course_code: str
    grade: str
    final_mark: Decimal
    requested_at: datetime
    issued_at: datetime | None
    created: bool  # False when the request already existed (idempotent call)

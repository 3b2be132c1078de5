"""Frozen data the enrolment app hands to other apps (OEP-49)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class AwardData:
    """What a credential needs to know about one completed enrolment. The identity number is
    present only as its last four characters (R-CR-4)."""

    enrolment_id: int
    offering_id: int
    proposal_id: int
    learner_id: int
    learner_email: str
    learner_name: str  # as on the identity document
    identity_kind: str  # "nric" | "passport"
    identity_last4: str
    passed: bool
    final_mark: Decimal | None
    grade: str
    clo_attainment: dict[int, Decimal]  # CLO id -> %
    starts_on: date
    ends_on: date
    session: str
    platform: str
    minimum_requirements: str
    results_approved_at: datetime | None
    course_stamp: str = ""  # courses.api.course_stamp of the course, read in the same query
    # R-CR-6: months a credential for this result stays valid, from the policy version the result
    # was decided under (None: it does not lapse), read in the same query.
    credential_validity_months: int | None = None


@dataclass(frozen=True)
class PassedResult:
    """One passing enrolment's result, as Senate approval hands it to the credentials port (``enrolment.ports``)."""

    enrolment_id: int
    learner_id: int
    final_mark: Decimal
    grade: str
    policy_version_id: int

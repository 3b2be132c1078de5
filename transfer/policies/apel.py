"""APEL.M eligibility (R-AP-2, R-AP-4). Pure: the numbers come from the policy version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from policy.data import PolicyData
from transfer.choices import Verification
from transfer.policies.caps import CredentialIn, ProgrammeIn, pct_of


class ApelMReason:
    CREDITS_SHORT = "apelm_credits_short"
    TOO_YOUNG = "apelm_too_young"
    AGE_UNKNOWN = "apelm_age_unknown"
    NO_AGE_RULE = "apelm_no_age_rule"
    FOUNDATION = "programme_foundation"


@dataclass(frozen=True)
class ApelMResult:
    eligible: bool
    credits: int  # completed credits that count (MPU excluded)
    mpu_credits: int  # completed credits left out because they are MPU (R-AP-2)
    required_pct: int
    share_pct: Decimal  # the share of the graduating credits reached
    credits_ok: bool
    age: int | None  # from the year of birth (R-AP-4)
    min_age: int | None  # the table's age via APEL.A / APEL.M for the programme's level
    normal_age: int | None  # the table's normal age, shown for comparison
    age_ok: bool
    age_exception: bool  # granted by the university with a recorded reason
    reasons: tuple[str, ...]  # ApelMReason codes: why not eligible


def age_in_year(birth_year: int | None, year: int) -> int | None:
    """R-AP-4: age from the year of birth alone."""
    return None if birth_year is None else year - birth_year


def apelm_eligibility(
    programme: ProgrammeIn,
    credentials: Sequence[CredentialIn],
    policy: PolicyData,
    *,
    birth_year: int | None,
    year: int,
    age_exception: bool = False,
) -> ApelMResult:
    """R-AP-2: completed credentials worth at least the policy's share (50%) of the graduating
    credits, not counting those of MPU courses, and (R-AP-4) the minimum age via APEL.M for the
    programme's level, or an exception the university granted. Interpretation
    (docs/decisions/0050): the share is of the whole graduating credits; a credential is MPU when
    it was made from an MPU course or is mapped to one of the programme's MPU courses; each
    credential counts once; revoked ones and ones with rejected evidence do not count."""
    mpu_courses = {c.code for c in programme.courses if c.is_mpu}
    counted = mpu = 0
    seen: set[str] = set()
    for c in credentials:
        if c.ref in seen or not c.active or c.verification == Verification.REJECTED:
            continue
        seen.add(c.ref)
        if c.is_mpu or c.course in mpu_courses:
            mpu += c.credits
        else:
            counted += c.credits
    graduating = programme.graduating_credits
    credits_ok = counted * 100 >= policy.apelm_min_credit_pct * graduating
    reasons = []
    if programme.is_foundation:
        reasons.append(ApelMReason.FOUNDATION)
    if not credits_ok:
        reasons.append(ApelMReason.CREDITS_SHORT)
    try:
        table = policy.minimum_age(programme.level)
    except KeyError:
        table = None
    age = age_in_year(birth_year, year)
    if table is None:
        age_ok = False
        reasons.append(ApelMReason.NO_AGE_RULE)
    elif age_exception:
        age_ok = True
    elif age is None:
        age_ok = False
        reasons.append(ApelMReason.AGE_UNKNOWN)
    else:
        age_ok = age >= table.apel_entry_age
        if not age_ok:
            reasons.append(ApelMReason.TOO_YOUNG)
    return ApelMResult(
        eligible=not reasons,
        credits=counted,
        mpu_credits=mpu,
        required_pct=policy.apelm_min_credit_pct,
        share_pct=pct_of(counted, graduating),
        credits_ok=credits_ok,
        age=age,
        min_age=table.apel_entry_age if table else None,
        normal_age=table.normal_entry_age if table else None,
        age_ok=age_ok,
        age_exception=age_exception and table is not None,
        reasons=tuple(reasons),
    )

"""APEL.M eligibility (R-AP-2, R-AP-4). Pure: the numbers come from the policy version.

What counts (policy n; docs/decisions/0050): only micro-credentials unbundled from accredited
programmes that form the intended programme's portfolio.

- A Category 1 micro-credential of UNIMAS counts when the course it was unbundled from is a
  course of the target programme.
- A Category 2 micro-credential counts when it is mapped to a course of the target programme.
- Stand-alone micro-credentials (SAMC, QVC-verified or not), credentials mapped to no course of the
  programme, revoked ones and ones with rejected evidence do not count.
- MPU is left out of both sides: a credential made from an MPU course, or counted towards an MPU
  course, does not count, and the threshold is the policy's share (50%) of the programme's
  graduating credits without its MPU courses: 56 of a 120-credit programme with 8 MPU credits.
- Each credential counts once, and a programme course never gives more than its own credits
  (the whole-course micro-credential and the parts of the same course do not add up twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from policy.data import PolicyData
from transfer.choices import CredentialKind, Verification
from transfer.policies.caps import CredentialIn, ProgrammeIn, pct_of


class ApelMReason:
    CREDITS_SHORT = "apelm_credits_short"
    TOO_YOUNG = "apelm_too_young"
    AGE_UNKNOWN = "apelm_age_unknown"
    NO_AGE_RULE = "apelm_no_age_rule"
    FOUNDATION = "programme_foundation"


class ApelMCount:
    """Why one credential counts towards APEL.M or not (stable codes)."""

    COUNTS = "counts"
    CLAIMED_TWICE = "claimed_twice"
    NOT_ACTIVE = "not_active"
    EVIDENCE_REJECTED = "evidence_rejected"
    MPU = "mpu"
    STANDALONE = "standalone"
    NOT_OF_PROGRAMME = "not_of_programme"  # Category 1 unbundled from another programme
    NOT_MAPPED = "not_mapped"  # Category 2 mapped to no course of the programme
    COURSE_FULL = "course_full"  # its course's credits are already counted


@dataclass(frozen=True)
class ApelMResult:
    eligible: bool
    credits: int  # completed credits that count (MPU excluded)
    mpu_credits: int  # completed credits left out because they are MPU (R-AP-2)
    required_pct: int
    share_pct: Decimal  # the share of the graduating credits without MPU reached
    credits_ok: bool
    age: int | None  # from the year of birth (R-AP-4)
    min_age: int | None  # the table's age via APEL.A / APEL.M for the programme's level
    normal_age: int | None  # the table's normal entry age, shown next to it
    age_ok: bool
    age_exception: bool  # granted by the university with a recorded reason
    reasons: tuple[str, ...]  # ApelMReason codes: why not eligible
    basis_credits: int = 0  # the programme's graduating credits without its MPU courses
    required_credits: int = 0  # the credits needed: required_pct of basis_credits, rounded up
    programme_mpu_credits: int = 0  # the programme's MPU credits, left out of the threshold
    counts: tuple[tuple[str, str, int], ...] = ()  # (ref, ApelMCount code, credits counted)


def age_in_year(birth_year: int | None, year: int) -> int | None:
    """R-AP-4: age from the year of birth alone."""
    return None if birth_year is None else year - birth_year


def apelm_count(
    programme: ProgrammeIn, credentials: Sequence[CredentialIn]
) -> tuple[tuple[tuple[str, str, int], ...], int, int]:
    """R-AP-2, the credits side: per credential (ref, why, credits counted); the credits that
    count; the MPU credits left out."""
    mpu_courses = {c.code for c in programme.courses if c.is_mpu}
    room = {c.code: c.credits for c in programme.courses if not c.is_mpu}
    rows: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    counted = mpu = 0
    for c in credentials:
        if c.ref in seen:
            rows.append((c.ref, ApelMCount.CLAIMED_TWICE, 0))
            continue
        seen.add(c.ref)
        unimas_cat1 = c.kind == CredentialKind.CAT1 and c.from_unimas
        course = c.origin_course if unimas_cat1 else c.course
        if not c.active:
            why = ApelMCount.NOT_ACTIVE
        elif c.verification == Verification.REJECTED:
            why = ApelMCount.EVIDENCE_REJECTED
        elif c.is_mpu or course in mpu_courses:
            why = ApelMCount.MPU
            mpu += c.credits
        elif c.kind not in (CredentialKind.CAT1, CredentialKind.CAT2):
            why = ApelMCount.STANDALONE
        elif course not in room:
            why = ApelMCount.NOT_OF_PROGRAMME if unimas_cat1 else ApelMCount.NOT_MAPPED
        elif room[course] == 0:
            why = ApelMCount.COURSE_FULL
        else:
            gives = min(c.credits, room[course])
            room[course] -= gives
            counted += gives
            rows.append((c.ref, ApelMCount.COUNTS, gives))
            continue
        rows.append((c.ref, why, 0))
    return tuple(rows), counted, mpu


def apelm_eligibility(
    programme: ProgrammeIn,
    credentials: Sequence[CredentialIn],
    policy: PolicyData,
    *,
    birth_year: int | None,
    year: int,
    age_exception: bool = False,
) -> ApelMResult:
    """R-AP-2: completed micro-credentials of the programme's portfolio (see the module
    docstring) worth at least the policy's share (50%) of the graduating credits without MPU,
    and (R-AP-4) the minimum age via APEL.M for the programme's level, or an exception the
    university granted."""
    rows, counted, mpu = apelm_count(programme, credentials)
    programme_mpu = sum(c.credits for c in programme.courses if c.is_mpu)
    basis = max(programme.graduating_credits - programme_mpu, 0)
    credits_ok = counted * 100 >= policy.apelm_min_credit_pct * basis
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
        share_pct=pct_of(counted, basis),
        credits_ok=credits_ok,
        age=age,
        min_age=table.apel_entry_age if table else None,
        normal_age=table.normal_entry_age if table else None,
        age_ok=age_ok,
        age_exception=age_exception and table is not None,
        reasons=tuple(reasons),
        basis_credits=basis,
        required_credits=-(-policy.apelm_min_credit_pct * basis // 100),
        programme_mpu_credits=programme_mpu,
        counts=rows,
    )

"""The credit-transfer engine's values: what goes in, what comes out, and the caps of R-CT-5."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from policy.data import PolicyData
from transfer.choices import STANDALONE_KINDS, CredentialKind, Verification

K = CredentialKind
# Least restrictive first: the order courses are credited in, and how a course mixing
# credentials of several kinds is classed (by its most restrictive one).
GROUP_ORDER: tuple[str, ...] = (K.CAT1, K.CAT2, K.SAMC_QVC, K.SAMC)
UNIMAS = "UNIMAS"


@dataclass(frozen=True)
class Problem:
    """A reason a claim cannot be submitted as it stands; ``field`` names the claim at fault."""

    rule: str
    code: str
    message: str
    field: str


@dataclass(frozen=True)
class CourseIn:
    code: str
    name: str
    credits: int
    is_mpu: bool = False


@dataclass(frozen=True)
class ProgrammeIn:
    code: str
    name: str
    level: str
    graduating_credits: int
    courses: tuple[CourseIn, ...]

    @property
    def is_foundation(self) -> bool:
        return self.level == "foundation"

    def course(self, code: str) -> CourseIn | None:
        return next((c for c in self.courses if c.code == code), None)


@dataclass(frozen=True)
class CredentialIn:
    """One credential the learner holds, and the programme course it is mapped to."""

    ref: str  # "u12": issued by this portal; "p7": a stored prior credential
    code: str
    title: str
    kind: str  # CredentialKind
    credits: int
    from_unimas: bool
    provider: str = UNIMAS
    course: str = ""  # the programme course it is mapped to; "" = none
    verification: str = Verification.VERIFIED
    # R-AP-1, stand-alone MCs only: the learner's % on each CLO of the claimed course; None = not
    # assessed yet (the gradebook has no record, the APEL.C officer has not assessed it).
    clo_attainment: tuple[Decimal, ...] | None = None
    active: bool = True  # False: revoked or suspended
    is_mpu: bool = False  # made from an MPU course (R-AP-2)
    origin_course: str = ""  # Category 1 of UNIMAS: the accredited course it was unbundled from (R-AP-2)

    @property
    def is_standalone(self) -> bool:
        return self.kind in STANDALONE_KINDS


class Reason:
    """Why a credential counts or not (stable codes; ``explain`` words them)."""

    COUNTS = "counts"
    CLAIMED_TWICE = "claimed_twice"
    NOT_ACTIVE = "not_active"
    EVIDENCE_REJECTED = "evidence_rejected"
    NOT_MAPPED = "not_mapped"
    NOT_IN_PROGRAMME = "course_not_in_programme"
    CLO_BELOW_MINIMUM = "clo_below_minimum"
    COURSE_SHORT = "course_credits_short"
    COURSE_COVERED = "course_already_covered"
    CAPPED = "capped"
    FOUNDATION = "programme_foundation"


class Pending:
    UNVERIFIED = "unverified"
    APELC = "apelc_pending"


RULE_OF_REASON = {
    Reason.CLAIMED_TWICE: "R-CT-5",
    Reason.CLO_BELOW_MINIMUM: "R-AP-1",
    Reason.COURSE_SHORT: "R-NM-2",
    Reason.COURSE_COVERED: "R-CT-5",
    Reason.FOUNDATION: "R-CAT-5",
}


@dataclass(frozen=True)
class CredentialOutcome:
    ref: str
    code: str
    title: str
    kind: str
    provider: str
    course: str
    credits: int
    counted: int
    reason: str
    rule: str = ""
    cap: str = ""  # the cap that refused its course
    pending: tuple[str, ...] = ()  # Pending codes: counted provisionally until settled

    @property
    def counts(self) -> bool:
        return self.counted > 0

    @property
    def provisional(self) -> bool:
        return self.counts and bool(self.pending)


@dataclass(frozen=True)
class CourseOutcome:
    code: str
    name: str
    credits: int
    is_mpu: bool
    refs: tuple[str, ...]  # the credentials mapped to it that may count
    mapped_credits: int
    group: str  # CredentialKind of the most restrictive credential crediting it; "" if none
    external: bool  # credited (in part) from outside UNIMAS
    credited: bool
    reason: str
    cap: str = ""


@dataclass(frozen=True)
class Cap:
    """One limit of R-CT-5, as a share of the graduating credits, over some groups of courses."""

    key: str
    rule: str
    groups: frozenset[str]
    pct_field: str  # the PolicyData attribute
    external_only: bool = False  # over courses credited from outside UNIMAS (R-CT-4)
    needs_category2: bool = False  # only when Category 2 credits are claimed (R-CT-4)


CAPS: tuple[Cap, ...] = (
    Cap("samc_apelc", "R-CT-2", frozenset({K.SAMC}), "ct_samc_apelc_max_pct"),
    Cap("samc_all", "R-CT-3", frozenset({K.SAMC, K.SAMC_QVC}), "ct_samc_all_max_pct"),
    Cap("outside_and_samc", "R-CT-4", frozenset({K.CAT2, K.SAMC, K.SAMC_QVC}), "ct_outside_max_pct"),
    Cap("min_at_unimas", "R-CT-4", frozenset(GROUP_ORDER), "ct_min_at_unimas_pct", True, True),
    Cap("category1", "R-CT-1", frozenset({K.CAT1}), "ct_category1_max_pct"),
    Cap("total", "R-CT-5", frozenset(GROUP_ORDER), "ct_total_max_pct"),
)


def share_floor(total: int, pct: int) -> int:
    """The whole credits within ``pct`` % of ``total`` (a course is never credited in part)."""
    return total * pct // 100


def cap_limit(cap: Cap, graduating: int, policy: PolicyData) -> int:
    pct = int(getattr(policy, cap.pct_field))
    if cap.key == "min_at_unimas":  # at least pct % stays at UNIMAS
        return graduating - math.ceil(graduating * pct / 100)
    return share_floor(graduating, pct)


@dataclass(frozen=True)
class CapOutcome:
    key: str
    rule: str
    pct: int
    limit: int
    used: int
    cut: int  # how many more credits would be transferred without this cap alone
    applies: bool = True
    binds: bool = False  # it bound the result (alone, or together with others that bind)


@dataclass(frozen=True)
class Advice:
    """R-AP-3: APEL.A is advised when this much of the programme came from one institution, or
    from several, and the learner may not meet the entry requirements."""

    advised: bool
    basis: str = ""  # "one_institution" | "several_institutions"
    provider: str = ""
    credits: int = 0
    pct: int = 0


@dataclass(frozen=True)
class TransferResult:
    programme_code: str
    graduating_credits: int
    policy_id: int
    policy_name: str
    credentials: tuple[CredentialOutcome, ...]
    courses: tuple[CourseOutcome, ...]
    caps: tuple[CapOutcome, ...]
    creditable: int  # credits of the courses credited before any cap
    transferred: int
    binding_cap: str  # the cap that bound the result most; "" when no cap left anything out
    binding_rule: str
    binding_cut: int  # the credits of credited courses the caps left out
    external_transferred: int
    remaining: int  # still to be taken at UNIMAS (R-CT-4)
    at_unimas: int  # graduating credits not transferred from outside UNIMAS
    min_at_unimas: int | None  # R-CT-4, when Category 2 credits are claimed
    advice: Advice
    problems: tuple[Problem, ...] = field(default=())
    binding_caps: tuple[str, ...] = ()  # every cap that bound the result, the main one first

    @property
    def transferred_pct(self) -> Decimal:
        return pct_of(self.transferred, self.graduating_credits)

    @property
    def remaining_pct(self) -> Decimal:
        return pct_of(self.remaining, self.graduating_credits)

    @property
    def provisional(self) -> bool:
        return any(o.provisional for o in self.credentials)

    @property
    def binding(self) -> CapOutcome | None:
        return next((c for c in self.caps if c.key == self.binding_cap), None)

    @property
    def bindings(self) -> tuple[CapOutcome, ...]:
        by_key = {c.key: c for c in self.caps}
        return tuple(by_key[key] for key in self.binding_caps)

    def outcome(self, ref: str) -> CredentialOutcome | None:
        return next((o for o in self.credentials if o.ref == ref), None)


def whole_credits(value: Decimal | int, *, origin_credits: int | None = None, part_credits: int | None = None) -> int:
    """The credits a UNIMAS micro-credential carries in credit transfer (interpretation,
    docs/decisions/0050): a Category 1 MC of a whole course carries that course's credits, a part
    of a divided course the credits declared for the part (R-NM-3); any other is its credit value
    (SLT hours / 40, one decimal, R-SLT-3) rounded half up to whole credits, at least 1."""
    if part_credits:
        return part_credits
    if origin_credits:
        return origin_credits
    return max(1, int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)))


def pct_of(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else Decimal("0")


def clo_problem(attainment: tuple[Decimal, ...] | None, minimum: int) -> bool:
    """R-AP-1: below the minimum on any CLO (an empty assessment is no evidence either)."""
    return attainment is not None and (not attainment or any(a < minimum for a in attainment))

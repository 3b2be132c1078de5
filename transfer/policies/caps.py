"""The credit-transfer engine (R-CT-1..5, R-AP-1, R-AP-3, R-NM-2): pure, over plain values.

``credit_transfer`` takes a programme, the learner's credentials each mapped (or not) to one of
its courses, and the policy version, and says per credential whether it counts and for how many
credits, per course whether it is credited, and for the whole claim the credits transferred, the
cap that bound the result and by how many credits, what is still to be taken at UNIMAS and the
APEL.A advice. Every percentage comes from the policy version (``PolicyData``); nothing here
knows a number of the guideline.

How a claim is counted (docs/decisions/0050-credit-transfer-engine.md):

1. A credential counts at most once (the first claim of it); a revoked one, one whose evidence
   was rejected, one mapped to no course of the programme, and a stand-alone one below the APEL.C
   minimum on any CLO (R-AP-1) do not count.
2. A programme course is credited when the credentials mapped to it together carry at least its
   credits (the parts of a divided course count together, R-NM-2). It is credited once, with its
   own credits; a credential beyond what the course needs counts for nothing.
3. A credited course belongs to the most restrictive group among the credentials that credit
   it: Category 1 of UNIMAS, Category 2, QVC-verified SAMC, SAMC.
4. Courses are taken least restrictive group first (then larger first, then by code); each is
   kept if every cap that covers it still holds (R-CT-5), else the first cap it breaks refuses
   it. The cap that refused the most credits is the one that bound the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
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
    cut: int
    applies: bool = True


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
    binding_cap: str  # "" when no cap cut anything
    binding_rule: str
    binding_cut: int
    external_transferred: int
    remaining: int  # still to be taken at UNIMAS (R-CT-4)
    at_unimas: int  # graduating credits not transferred from outside UNIMAS
    min_at_unimas: int | None  # R-CT-4, when Category 2 credits are claimed
    advice: Advice
    problems: tuple[Problem, ...] = field(default=())

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


def _group_index(kind: str) -> int:
    return GROUP_ORDER.index(kind) if kind in GROUP_ORDER else len(GROUP_ORDER)


def _outcome(c: CredentialIn, counted: int, reason: str, **extra: object) -> CredentialOutcome:
    return CredentialOutcome(
        ref=c.ref,
        code=c.code,
        title=c.title,
        kind=c.kind,
        provider=c.provider,
        course=c.course,
        credits=c.credits,
        counted=counted,
        reason=reason,
        rule=str(extra.pop("rule", RULE_OF_REASON.get(reason, ""))),
        **extra,  # type: ignore[arg-type]
    )


def _pending(c: CredentialIn) -> tuple[str, ...]:
    pending = []
    if c.verification == Verification.UNVERIFIED:
        pending.append(Pending.UNVERIFIED)
    if c.is_standalone and c.clo_attainment is None:
        pending.append(Pending.APELC)
    return tuple(pending)


def _screen(
    programme: ProgrammeIn, credentials: Sequence[CredentialIn], policy: PolicyData
) -> tuple[dict[str, CredentialOutcome], dict[str, list[CredentialIn]]]:
    """Step 1: who may count at all, and the candidates of each course."""
    outcomes: dict[str, CredentialOutcome] = {}
    candidates: dict[str, list[CredentialIn]] = {}
    for c in credentials:
        if c.ref in outcomes or any(c.ref == x.ref for xs in candidates.values() for x in xs):
            continue  # the second claim of one credential is reported by claim_problems
        if programme.is_foundation:
            outcomes[c.ref] = _outcome(c, 0, Reason.FOUNDATION)
        elif not c.active:
            outcomes[c.ref] = _outcome(c, 0, Reason.NOT_ACTIVE)
        elif c.verification == Verification.REJECTED:
            outcomes[c.ref] = _outcome(c, 0, Reason.EVIDENCE_REJECTED)
        elif not c.course:
            outcomes[c.ref] = _outcome(c, 0, Reason.NOT_MAPPED)
        elif programme.course(c.course) is None:
            outcomes[c.ref] = _outcome(c, 0, Reason.NOT_IN_PROGRAMME)
        elif c.is_standalone and clo_problem(c.clo_attainment, policy.apelc_min_clo_pct):
            outcomes[c.ref] = _outcome(c, 0, Reason.CLO_BELOW_MINIMUM)
        else:
            candidates.setdefault(c.course, []).append(c)
    return outcomes, candidates


def _credit_courses(
    programme: ProgrammeIn, candidates: dict[str, list[CredentialIn]]
) -> tuple[list[CourseOutcome], dict[str, tuple[CredentialIn, int]]]:
    """Step 2-3: which courses the mapped credentials cover, and what each credential gives."""
    courses = []
    used: dict[str, tuple[CredentialIn, int]] = {}  # ref -> (credential, credits it gives)
    for course in programme.courses:
        mapped = sorted(candidates.get(course.code, []), key=lambda c: _group_index(c.kind))
        if not mapped:
            continue
        total = sum(c.credits for c in mapped)
        if total < course.credits:
            courses.append(
                CourseOutcome(
                    course.code,
                    course.name,
                    course.credits,
                    course.is_mpu,
                    (),
                    total,
                    "",
                    False,
                    False,
                    Reason.COURSE_SHORT,
                )
            )
            continue
        covered = 0
        giving: list[CredentialIn] = []
        for c in mapped:
            if covered >= course.credits:
                break
            gives = min(c.credits, course.credits - covered)
            covered += gives
            used[c.ref] = (c, gives)
            giving.append(c)
        group = max((c.kind for c in giving), key=_group_index)
        courses.append(
            CourseOutcome(
                code=course.code,
                name=course.name,
                credits=course.credits,
                is_mpu=course.is_mpu,
                refs=tuple(c.ref for c in giving),
                mapped_credits=total,
                group=group,
                external=any(not c.from_unimas for c in giving),
                credited=True,
                reason=Reason.COUNTS,
            )
        )
    return courses, used


def _apply_caps(
    courses: list[CourseOutcome], graduating: int, policy: PolicyData, category2_claimed: bool
) -> tuple[list[CourseOutcome], tuple[CapOutcome, ...]]:
    """Step 4 (R-CT-5): keep each course while every cap covering it holds."""
    active = [cap for cap in CAPS if category2_claimed or not cap.needs_category2]
    limits = {cap.key: cap_limit(cap, graduating, policy) for cap in active}
    used = dict.fromkeys(limits, 0)
    cut = dict.fromkeys(limits, 0)

    def covers(cap: Cap, course: CourseOutcome) -> bool:
        return course.group in cap.groups and (course.external or not cap.external_only)

    decided: dict[str, CourseOutcome] = {}
    order = sorted((c for c in courses if c.credited), key=lambda c: (_group_index(c.group), -c.credits, c.code))
    for course in order:
        breaking = next(
            (cap for cap in active if covers(cap, course) and used[cap.key] + course.credits > limits[cap.key]),
            None,
        )
        if breaking is not None:
            cut[breaking.key] += course.credits
            decided[course.code] = CourseOutcome(
                **{**course.__dict__, "credited": False, "reason": Reason.CAPPED, "cap": breaking.key}
            )
            continue
        for cap in active:
            if covers(cap, course):
                used[cap.key] += course.credits
        decided[course.code] = course
    outcomes = tuple(
        CapOutcome(
            cap.key,
            cap.rule,
            int(getattr(policy, cap.pct_field)),
            cap_limit(cap, graduating, policy),
            used.get(cap.key, 0),
            cut.get(cap.key, 0),
            cap.key in limits,
        )
        for cap in CAPS
    )
    return [decided.get(c.code, c) for c in courses], outcomes


def apela_advice(
    courses: Sequence[CourseOutcome], outcomes: dict[str, CredentialOutcome], graduating: int, policy: PolicyData
) -> Advice:
    """R-AP-3: credits of the programme completed (courses covered, before any cap), by the
    institution that gave them."""
    by_provider: dict[str, int] = {}
    for course in courses:
        if course.reason not in (Reason.COUNTS, Reason.CAPPED):
            continue
        for ref in course.refs:
            o = outcomes[ref]
            by_provider[o.provider] = by_provider.get(o.provider, 0) + o.counted
    if not by_provider:
        return Advice(False)
    provider, most = max(by_provider.items(), key=lambda item: (item[1], item[0]))
    total = sum(by_provider.values())
    if len(by_provider) > 1 and total * 100 >= policy.apela_advice_several_institutions_pct * graduating:
        return Advice(True, "several_institutions", "", total, policy.apela_advice_several_institutions_pct)
    if most * 100 >= policy.apela_advice_one_institution_pct * graduating:
        return Advice(True, "one_institution", provider, most, policy.apela_advice_one_institution_pct)
    return Advice(False)


def credit_transfer(
    programme: ProgrammeIn, credentials: Sequence[CredentialIn], policy: PolicyData, *, prefix: str = "claims"
) -> TransferResult:
    """The engine: see the module docstring. ``prefix`` names the claims in ``problems``."""
    graduating = programme.graduating_credits
    outcomes, candidates = _screen(programme, credentials, policy)
    courses, used = _credit_courses(programme, candidates)
    category2 = any(c.kind == K.CAT2 for c, _ in used.values())
    courses, caps = _apply_caps(courses, graduating, policy, category2)
    by_code = {c.code: c for c in courses}
    for course_code, mapped in candidates.items():
        course = by_code[course_code]
        for c in mapped:
            if course.reason == Reason.COURSE_SHORT:
                outcomes[c.ref] = _outcome(c, 0, Reason.COURSE_SHORT, pending=_pending(c))
            elif c.ref not in used:
                outcomes[c.ref] = _outcome(c, 0, Reason.COURSE_COVERED)
            elif not course.credited:
                cap = next(x for x in caps if x.key == course.cap)
                outcomes[c.ref] = _outcome(c, 0, Reason.CAPPED, rule=cap.rule, cap=cap.key, pending=_pending(c))
            else:
                outcomes[c.ref] = _outcome(c, used[c.ref][1], Reason.COUNTS, pending=_pending(c))
    # Capped courses keep what their credentials would have given, for the R-AP-3 advice.
    advice_view = {
        ref: CredentialOutcome(**{**o.__dict__, "counted": used[ref][1]}) if ref in used else o
        for ref, o in outcomes.items()
    }
    transferred = sum(c.credits for c in courses if c.credited)
    external = sum(c.credits for c in courses if c.credited and c.external)
    binding = max((c for c in caps if c.cut), key=lambda c: c.cut, default=None)
    min_pct = policy.ct_min_at_unimas_pct
    seen: set[str] = set()
    ordered = []
    for c in credentials:
        if c.ref not in seen:
            seen.add(c.ref)
            ordered.append(outcomes[c.ref])
    return TransferResult(
        programme_code=programme.code,
        graduating_credits=graduating,
        policy_id=policy.id,
        policy_name=policy.name,
        credentials=tuple(ordered),
        courses=tuple(courses),
        caps=caps,
        creditable=sum(c.credits for c in courses if c.reason in (Reason.COUNTS, Reason.CAPPED)),
        transferred=transferred,
        binding_cap=binding.key if binding else "",
        binding_rule=binding.rule if binding else "",
        binding_cut=binding.cut if binding else 0,
        external_transferred=external,
        remaining=graduating - transferred,
        at_unimas=graduating - external,
        min_at_unimas=math.ceil(graduating * min_pct / 100) if category2 else None,
        advice=apela_advice(courses, advice_view, graduating, policy),
        problems=tuple(claim_problems(programme, credentials, prefix)),
    )


def claim_problems(
    programme: ProgrammeIn, credentials: Sequence[CredentialIn], prefix: str = "claims"
) -> list[Problem]:
    """What stops a claim being submitted as it stands: a Foundation programme (R-CAT-5), nothing
    claimed, a credential claimed twice (R-CT-5), a course that is not the programme's, a course
    mapped from fewer credits than it carries (R-NM-2)."""
    from django.utils.translation import gettext as _

    if programme.is_foundation:
        return [
            Problem(
                "R-CAT-5",
                "programme_foundation",
                _("Foundation programmes are never targets of micro-credential transfer."),
                "programme",
            )
        ]
    if not credentials:
        return [Problem("R-CT-6", "no_claims", _("Claim at least one credential."), prefix)]
    problems = []
    first_index: dict[str, int] = {}
    for index, c in enumerate(credentials):
        where = f"{prefix}[{index}]"
        if c.ref in first_index:
            problems.append(
                Problem(
                    "R-CT-5",
                    "credential_claimed_twice",
                    _("%(code)s is claimed twice; a credential counts only once.") % {"code": c.code},
                    f"{where}.credential",
                )
            )
            continue
        first_index[c.ref] = index
        if c.course and programme.course(c.course) is None:
            problems.append(
                Problem(
                    "R-CT-6",
                    "course_not_in_programme",
                    _("%(course)s is not a course of %(programme)s.")
                    % {"course": c.course, "programme": programme.code},
                    f"{where}.course",
                )
            )
    totals: dict[str, int] = {}
    first_of_course: dict[str, int] = {}
    for index in first_index.values():
        c = credentials[index]
        if not c.course or not c.active or c.verification == Verification.REJECTED:
            continue
        totals[c.course] = totals.get(c.course, 0) + c.credits
        first_of_course.setdefault(c.course, index)
    for code, total in totals.items():
        course = programme.course(code)
        if course is not None and total < course.credits:
            problems.append(
                Problem(
                    "R-NM-2",
                    "course_credits_short",
                    _(
                        "%(course)s carries %(credits)s credits; the credentials mapped to it carry only %(total)s. "
                        "Map every part of a divided course to it, or none."
                    )
                    % {"course": code, "credits": course.credits, "total": total},
                    f"{prefix}[{first_of_course[code]}].course",
                )
            )
    return problems

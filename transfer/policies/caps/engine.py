"""The credit-transfer engine (R-CT-1..5, R-AP-1, R-AP-3, R-NM-2): pure, over plain values.

``credit_transfer`` takes a programme, the learner's credentials each mapped (or not) to one of
its courses, and the policy version, and says per credential whether it counts and for how many
credits, per course whether it is credited, and for the whole claim the credits transferred, the
caps that bound the result and the credits they left out, what is still to be taken at UNIMAS and the
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
4. The caps (R-CT-5) are applied all at once by an exact search (``optimal``): the most credits
   that fit under every cap, preferring the least restrictive group (then UNIMAS over outside,
   larger courses, code) among equally good answers. A cap binds when lifting it alone would let
   more credits through; caps that bind only together are named together. A course left out
   names a cap that refuses it, a binding one first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from policy.data import PolicyData
from transfer.choices import CredentialKind, Verification
from transfer.policies.caps.model import (
    CAPS,
    GROUP_ORDER,
    RULE_OF_REASON,
    Advice,
    Cap,
    CapOutcome,
    CourseOutcome,
    CredentialIn,
    CredentialOutcome,
    Pending,
    ProgrammeIn,
    Reason,
    TransferResult,
    cap_limit,
    clo_problem,
)
from transfer.policies.caps.optimal import Item, best_selection, best_total
from transfer.policies.caps.problems import claim_problems


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


def _covers(cap: Cap, course: CourseOutcome) -> bool:
    return course.group in cap.groups and (course.external or not cap.external_only)


def _items(courses: Sequence[CourseOutcome], active: Sequence[Cap]) -> list[Item]:
    return [
        Item(
            c.code,
            c.credits,
            frozenset(cap.key for cap in active if _covers(cap, c)),
            (_group_index(c.group), int(c.external)),
        )
        for c in courses
    ]


def _apply_caps(
    courses: list[CourseOutcome], graduating: int, policy: PolicyData, category2_claimed: bool
) -> tuple[list[CourseOutcome], tuple[CapOutcome, ...], tuple[str, ...]]:
    """Step 4 (R-CT-5): the most credits under every cap at once (``optimal``), and the caps
    that really bind: those without which more would be transferred. When several caps bind only
    together (lifting any one alone gains nothing), they are named together."""
    active = [cap for cap in CAPS if category2_claimed or not cap.needs_category2]
    limits = {cap.key: cap_limit(cap, graduating, policy) for cap in active}
    credited = [c for c in courses if c.credited]
    items = _items(credited, active)
    kept = {i.key for i in best_selection(items, limits)}
    transferred = sum(c.credits for c in credited if c.code in kept)
    used = {cap.key: sum(c.credits for c in credited if c.code in kept and _covers(cap, c)) for cap in active}
    gain = {
        cap.key: best_total(items, {k: v for k, v in limits.items() if k != cap.key}) - transferred for cap in active
    }
    left_out = [c for c in credited if c.code not in kept]

    def refuses(cap: Cap, course: CourseOutcome) -> bool:
        return _covers(cap, course) and used[cap.key] + course.credits > limits[cap.key]

    binding = tuple(cap.key for cap in active if gain[cap.key] > 0)
    if left_out and not binding:
        binding = tuple(cap.key for cap in active if any(refuses(cap, c) for c in left_out))
    rank = {key: (-gain[key], n) for n, key in enumerate(binding)}
    decided: dict[str, CourseOutcome] = {}
    for course in left_out:
        refusing = [cap.key for cap in active if refuses(cap, course)]
        cap_key = min(refusing or list(binding) or ["total"], key=lambda k: rank.get(k, (1, len(rank))))
        decided[course.code] = CourseOutcome(
            **{**course.__dict__, "credited": False, "reason": Reason.CAPPED, "cap": cap_key}
        )
    outcomes = tuple(
        CapOutcome(
            cap.key,
            cap.rule,
            int(getattr(policy, cap.pct_field)),
            cap_limit(cap, graduating, policy),
            used.get(cap.key, 0),
            gain.get(cap.key, 0),
            cap.key in limits,
            cap.key in binding,
        )
        for cap in CAPS
    )
    ordered = tuple(sorted(binding, key=lambda k: rank[k]))
    return [decided.get(c.code, c) for c in courses], outcomes, ordered


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
    category2 = any(c.kind == CredentialKind.CAT2 for c, _ in used.values())
    courses, caps, binding_caps = _apply_caps(courses, graduating, policy, category2)
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
    binding = next((c for c in caps if binding_caps and c.key == binding_caps[0]), None)
    creditable = sum(c.credits for c in courses if c.reason in (Reason.COUNTS, Reason.CAPPED))
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
        creditable=creditable,
        transferred=transferred,
        binding_cap=binding.key if binding else "",
        binding_rule=binding.rule if binding else "",
        binding_cut=creditable - transferred,
        binding_caps=binding_caps,
        external_transferred=external,
        remaining=graduating - transferred,
        at_unimas=graduating - external,
        min_at_unimas=math.ceil(graduating * min_pct / 100) if category2 else None,
        advice=apela_advice(courses, advice_view, graduating, policy),
        problems=tuple(claim_problems(programme, credentials, prefix)),
    )

"""R-CT-4 / R-CT-5: the caps engine maximises the credits transferred under every cap at once,
and names only the caps that really bind. Pure, no database."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal as D

import pytest
from django.utils import translation

from transfer.choices import CredentialKind as K
from transfer.policies import CourseIn, CredentialIn, ProgrammeIn, Reason, credit_transfer
from transfer.policies.caps import CAPS, Item, best_selection, best_total, subset_sums
from transfer.policies.explain import summary

from .policy_data import policy_data

POLICY = policy_data()


@pytest.fixture(autouse=True)
def _english():
    """The sentences are checked in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


CLO = (D("70"),)


def prog(credits: list[int], total: int = 120) -> ProgrammeIn:
    courses = tuple(CourseIn(f"C{n:02d}", f"Course {n}", c) for n, c in enumerate(credits))
    return ProgrammeIn("SK99", "Bachelor of Testing", "bachelor", total, courses)


def cred(n: int, course: CourseIn, kind: str, *, unimas: bool | None = None) -> CredentialIn:
    from_unimas = kind == K.CAT1 if unimas is None else unimas
    return CredentialIn(
        ref=f"r{n}",
        code=f"MC{n:02d}",
        title=f"MC {n}",
        kind=kind,
        credits=course.credits,
        from_unimas=from_unimas,
        provider="UNIMAS" if from_unimas else "Universiti Contoh",
        course=course.code,
        clo_attainment=CLO if kind in (K.SAMC, K.SAMC_QVC) else None,
    )


# --- the two cases ---------------------------------------------------------------------------


def test_mixed_size_samc_transfers_36_not_34():
    # DOMAIN R-CT-2 / R-CT-5: one 4-credit and twelve 3-credit SAMC courses on a 120-credit
    # programme: twelve 3-credit courses give exactly the 36 (30%) the cap allows.
    programme = prog([4] + [3] * 12 + [3] * 20)
    claims = [cred(n, c, K.SAMC) for n, c in enumerate(programme.courses[:13])]
    result = credit_transfer(programme, claims, POLICY)
    assert result.transferred == 36
    assert sum(o.counted for o in result.credentials) == 36
    left = [o for o in result.credentials if not o.counts]
    assert [(o.course, o.reason, o.cap, o.rule) for o in left] == [("C00", Reason.CAPPED, "samc_apelc", "R-CT-2")]
    # Only the cap that binds is named, with what it really left out: 4 credits, not 6.
    assert (result.binding_cap, result.binding_rule, result.binding_cut) == ("samc_apelc", "R-CT-2", 4)
    assert result.binding_caps == ("samc_apelc",)
    caps = {c.key: c for c in result.caps}
    assert (caps["samc_apelc"].limit, caps["samc_apelc"].used, caps["samc_apelc"].cut) == (36, 36, 4)
    assert [c.key for c in result.caps if c.binds] == ["samc_apelc"]
    text = summary(result)
    assert text[1] == (
        "The cap on stand-alone micro-credentials via APEL.C (30% = 36 credits) bound the result: "
        "4 credits were left out."
    )
    assert not any(" 6 credits were left out" in line for line in text)
    # DOMAIN R-AP-3: the APEL.C advice counts what the courses would have given before the cap:
    # 40 credits from one institution, not the 36 transferred.
    from transfer.policies.caps.model import Advice

    assert result.advice == Advice(True, "one_institution", "Universiti Contoh", 40, 30)


def test_category1_60_and_category2_30_transfer_90_not_84():
    # DOMAIN R-CT-4: at least 30% at UNIMAS is a limit on credits from OUTSIDE UNIMAS; Category 1
    # MCs of UNIMAS are taken at UNIMAS. 60 + 30 = 90 of 120; 30 outside <= 84. Fails if the
    # min_at_unimas cap counted UNIMAS credits too (external_only flipped): that would give 84.
    programme = prog([3] * 40)
    claims = [cred(n, c, K.CAT1) for n, c in enumerate(programme.courses[:20])]
    claims += [cred(n, c, K.CAT2) for n, c in enumerate(programme.courses[20:30], start=20)]
    result = credit_transfer(programme, claims, POLICY)
    assert result.transferred == 90
    assert (result.binding_cap, result.binding_cut, result.binding_caps) == ("", 0, ())
    assert result.external_transferred == 30 and result.at_unimas == 90 and result.min_at_unimas == 36
    caps = {c.key: c for c in result.caps}
    assert (caps["min_at_unimas"].applies, caps["min_at_unimas"].limit, caps["min_at_unimas"].used) == (True, 84, 30)
    assert (caps["category1"].used, caps["total"].used, caps["outside_and_samc"].used) == (60, 90, 30)
    assert summary(result)[1] == "No cap limited the result."


def test_min_at_unimas_counts_only_credits_from_outside():
    # DOMAIN R-CT-4: 90 credits of Category 1 plus 30 of Category 2 = all 120; only 30 are from
    # outside, so the 84-credit limit on outside credits does not bind.
    programme = prog([3] * 40)
    claims = [cred(n, c, K.CAT1) for n, c in enumerate(programme.courses[:30])]
    claims += [cred(n, c, K.CAT2) for n, c in enumerate(programme.courses[30:], start=30)]
    assert credit_transfer(programme, claims, POLICY).transferred == 120


def test_the_unimas_share_applies_only_with_category2():
    # DOMAIN R-CT-4: without Category 2, the minimum at UNIMAS is not a cap.
    programme = prog([3] * 40)
    claims = [cred(n, c, K.SAMC_QVC) for n, c in enumerate(programme.courses[:10])]
    result = credit_transfer(programme, claims, POLICY)
    caps = {c.key: c for c in result.caps}
    assert not caps["min_at_unimas"].applies and result.min_at_unimas is None


# --- the explanation names only the caps that bind ------------------------------------------------


def test_caps_binding_only_together_are_named_together():
    # DOMAIN R-CT-3 / R-CT-5: 90 credits of QVC SAMC: SAMC incl. QVC <= 84 and outside + SAMC
    # <= 84 both stop at 84; lifting either alone gains nothing, so both are named, with the 6.
    programme = prog([3] * 40)
    claims = [cred(n, c, K.SAMC_QVC) for n, c in enumerate(programme.courses[:30])]
    result = credit_transfer(programme, claims, POLICY)
    assert result.transferred == 84 and result.binding_cut == 6
    assert result.binding_caps == ("samc_all", "outside_and_samc") and result.binding_cap == "samc_all"
    assert {c.key: c.cut for c in result.caps if c.binds} == {"samc_all": 0, "outside_and_samc": 0}
    assert summary(result)[1] == (
        "The caps on stand-alone micro-credentials, QVC-verified included (70% = 84 credits); "
        "credits from outside UNIMAS plus stand-alone micro-credentials (70% = 84 credits) "
        "bound the result together: 6 credits were left out."
    )


def test_a_tight_cap_that_costs_nothing_is_not_named():
    # DOMAIN R-CT-5: 36 SAMC credits exactly fill the 30% cap, and nothing is left out.
    programme = prog([3] * 40)
    claims = [cred(n, c, K.SAMC) for n, c in enumerate(programme.courses[:12])]
    result = credit_transfer(programme, claims, POLICY)
    caps = {c.key: c for c in result.caps}
    assert caps["samc_apelc"].used == caps["samc_apelc"].limit == 36
    assert result.binding_caps == () and summary(result)[1] == "No cap limited the result."


def test_each_cap_says_how_much_more_would_pass_without_it():
    # DOMAIN R-CT-4 / R-CT-5: 45 SAMC and 60 Category 2 credits, all from outside: outside + SAMC
    # and the UNIMAS share both stop at 84. Category 2 is kept first, so the SAMC cap (24 of 36
    # used) is not what left anything out and is not named.
    programme = prog([3] * 40)
    claims = [cred(n, c, K.SAMC) for n, c in enumerate(programme.courses[:15])]
    claims += [cred(n, c, K.CAT2) for n, c in enumerate(programme.courses[15:35], start=15)]
    result = credit_transfer(programme, claims, POLICY)
    assert result.transferred == 84 and result.binding_cut == 21
    cuts = {c.key: c.cut for c in result.caps}
    assert cuts == dict.fromkeys(cuts, 0)  # every binding cap is doubled by another
    assert result.binding_caps == ("outside_and_samc", "min_at_unimas")
    # Category 2 (less restrictive) is kept before SAMC among equally good answers.
    kept = {o.kind: 0 for o in result.credentials}
    for o in result.credentials:
        kept[o.kind] += o.counted
    assert kept == {K.SAMC: 24, K.CAT2: 60}


def test_a_single_binding_cap_has_its_own_cut():
    # DOMAIN R-CT-4: Category 2 only, the outside cap raised to 90%: only the UNIMAS share binds.
    programme = prog([3] * 40)
    claims = [cred(n, c, K.CAT2) for n, c in enumerate(programme.courses[:34])]
    result = credit_transfer(programme, claims, policy_data(ct_outside_max_pct=90))
    caps = {c.key: c for c in result.caps}
    assert result.transferred == 84 and caps["min_at_unimas"].cut == 18 and caps["outside_and_samc"].cut == 0
    assert result.binding_caps == ("min_at_unimas",) and result.binding_cut == 18
    assert {o.cap for o in result.credentials if o.reason == Reason.CAPPED} == {"min_at_unimas"}


# --- the search itself ---------------------------------------------------------------------------


def test_subset_sums():
    assert subset_sums([4, 3, 3], 10) == [10, 7, 6, 4, 3, 0]
    assert subset_sums([4, 3, 3], 6) == [6, 4, 3, 0]
    assert subset_sums([], 5) == [0]


def test_best_selection_prefers_earlier_classes_then_larger_courses():
    a = Item("a", 3, frozenset({"cap"}), (0,))
    b = Item("b", 3, frozenset({"cap"}), (1,))
    assert best_selection([b, a], {"cap": 3}) == (a,)
    big, small1, small2 = (
        Item("x", 4, frozenset({"cap"})),
        Item("y", 2, frozenset({"cap"})),
        Item("z", 2, frozenset({"cap"})),
    )
    assert best_selection([small1, small2, big], {"cap": 4}) == (big,)
    assert best_selection([small2, small1], {"cap": 2}) == (small1,)
    assert best_total([small1, small2, big], {"cap": 7}) == 6
    free = Item("f", 5, frozenset())
    assert best_selection([free], {"cap": 0}) == (free,)
    assert best_selection([], {"cap": 3}) == ()


def _cap_sum(kept, cap_groups, external_only=False):
    return sum(c for (g, ext, c) in kept if g in cap_groups and (ext or not external_only))


def _brute_force(courses, graduating, category2):
    """Every subset, checked against the caps as DOMAIN.md words them (independent of CAPS)."""
    best = 0
    for mask in itertools.product((0, 1), repeat=len(courses)):
        kept = [c for c, m in zip(courses, mask, strict=True) if m]
        ok = (
            _cap_sum(kept, {K.SAMC}) <= graduating * 30 // 100
            and _cap_sum(kept, {K.SAMC, K.SAMC_QVC}) <= graduating * 70 // 100
            and _cap_sum(kept, {K.CAT2, K.SAMC, K.SAMC_QVC}) <= graduating * 70 // 100
            and (not category2 or _cap_sum(kept, {K.CAT1, K.CAT2, K.SAMC, K.SAMC_QVC}, True) <= graduating * 70 // 100)
            and sum(c for (_g, _e, c) in kept) <= graduating
        )
        if ok:
            best = max(best, sum(c for (_g, _e, c) in kept))
    return best


@pytest.mark.parametrize("seed", range(30))
def test_the_engine_finds_the_best_answer(seed):
    # DOMAIN R-CT-5: on random small claims the engine matches an exhaustive search.
    rng = random.Random(seed)
    graduating = rng.choice([20, 24, 30, 36])
    sizes = [rng.choice([1, 2, 3, 4, 5]) for _ in range(rng.randint(3, 10))]
    programme = prog(sizes, graduating)
    claims, courses = [], []
    for n, course in enumerate(programme.courses):
        kind = rng.choice([K.CAT1, K.CAT2, K.SAMC_QVC, K.SAMC])
        unimas = kind == K.CAT1 or (kind != K.CAT2 and rng.random() < 0.5)
        claims.append(cred(n, course, kind, unimas=unimas))
        courses.append((kind, not unimas, course.credits))
    result = credit_transfer(programme, claims, POLICY)
    category2 = any(k == K.CAT2 for k, _e, _c in courses)
    assert result.transferred == _brute_force(courses, graduating, category2)
    assert result.binding_cut == sum(c for _k, _e, c in courses) - result.transferred
    assert bool(result.binding_caps) == (result.binding_cut > 0)
    for cap in result.caps:
        if cap.applies:
            assert cap.used <= cap.limit
    assert [c.key for c in CAPS] == [c.key for c in result.caps]


def test_at_least_30_percent_at_unimas_is_rounded_up_in_unimas_favour():
    # DOMAIN R-CT-4: 30% of a 121-credit programme is 36.3 credits, so 37 must be taken at UNIMAS
    # and at most 84 may come from outside (not 85).
    programme = prog([3] * 40 + [1], total=121)
    result = credit_transfer(programme, [cred(0, programme.courses[0], K.CAT2)], POLICY)
    caps = {c.key: c for c in result.caps}
    assert (result.min_at_unimas, caps["min_at_unimas"].limit) == (37, 84)


def test_a_capped_credential_still_says_what_it_waits_for():
    # DOMAIN R-CT-2: a SAMC left out by the cap still shows that its CLO attainment (APEL.C) is
    # not assessed yet, as a counted one would.
    import dataclasses

    from transfer.policies.caps.model import Pending

    programme = prog([4] + [3] * 36)
    claims = [cred(n, c, K.SAMC) for n, c in enumerate(programme.courses[:13])]
    claims[0] = dataclasses.replace(claims[0], clo_attainment=None)
    capped = [o for o in credit_transfer(programme, claims, POLICY).credentials if o.reason == Reason.CAPPED]
    assert [(o.course, o.pending) for o in capped] == [("C00", (Pending.APELC,))]


@pytest.mark.parametrize("seed", range(40))
def test_the_explanation_names_the_caps_that_really_bind(seed):
    # DOMAIN R-CT-5 (issue 14: "explained by the caps that really bind"), on random claims with
    # many 1-credit courses: the caps listed as binding are exactly those whose lifting alone would
    # transfer more (when any would), the biggest gain first; every course left out names a cap
    # that refuses it, and the binding one with the biggest gain when a binding one refuses it.
    from transfer.policies.caps.engine import _covers

    rng = random.Random(seed)
    programme = prog([rng.choice([1, 1, 2, 3, 4]) for _ in range(rng.randint(4, 12))], rng.choice([10, 12, 20, 24]))
    claims = []
    for n, course in enumerate(programme.courses):
        kind = rng.choice([K.CAT1, K.CAT2, K.SAMC_QVC, K.SAMC])
        claims.append(cred(n, course, kind, unimas=kind == K.CAT1 or (kind != K.CAT2 and rng.random() < 0.5)))
    result = credit_transfer(programme, claims, POLICY)
    caps = {c.key: c for c in result.caps if c.applies}
    order = [c.key for c in CAPS]
    binding = {k for k, c in caps.items() if c.binds}
    gaining = {k for k, c in caps.items() if c.cut > 0}
    assert set(result.binding_caps) == binding
    if gaining:
        assert binding == gaining
    assert list(result.binding_caps) == sorted(binding, key=lambda k: (-caps[k].cut, order.index(k)))
    for course in result.courses:
        if course.reason != Reason.CAPPED:
            continue
        cap_of = {c.key: c for c in CAPS}
        refusing = [k for k, c in caps.items() if _covers(cap_of[k], course) and c.used + course.credits > c.limit]
        assert course.cap in refusing, (course, refusing)
        named_first = [k for k in refusing if k in binding]
        if named_first:
            assert course.cap == min(named_first, key=lambda k: (-caps[k].cut, order.index(k)))

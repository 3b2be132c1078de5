"""APEL.M (R-AP-2, R-AP-4) counts only what policy n allows: micro-credentials unbundled from
the target programme (Category 1 of UNIMAS) or mapped to its courses (Category 2), each once,
with MPU left out of both sides. Pure, no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from transfer.choices import CredentialKind as K
from transfer.choices import Verification
from transfer.policies import CourseIn, CredentialIn, ProgrammeIn, apelm_eligibility
from transfer.policies.apel import ApelMCount, apelm_count
from transfer.policies.explain import apelm_summary

from .policy_data import policy_data

POLICY = policy_data()


@pytest.fixture(autouse=True)
def _english():
    """The sentences are checked in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


# A 120-credit Computer Science bachelor: 28 courses of 4 credits and 4 MPU courses of 2 (8 MPU).
CS = ProgrammeIn(
    "SK29",
    "Bachelor of Computer Science",
    "bachelor",
    120,
    tuple(CourseIn(f"TMX{n:02d}4", f"Course {n}", 4) for n in range(28))
    + tuple(CourseIn(f"MPU{n}2", f"MPU {n}", 2, is_mpu=True) for n in range(4)),
)


def cat1(n: int, credits: int = 4, *, origin: str | None = None, **kw) -> CredentialIn:
    """A UNIMAS Category 1 MC unbundled from course ``n`` of CS (mapped there too)."""
    code = CS.courses[n].code
    return CredentialIn(
        f"u{n}-{kw.pop('part', '')}",
        f"{code}MC",
        f"MC of {code}",
        K.CAT1,
        credits,
        True,
        course=kw.pop("course", code),
        origin_course=code if origin is None else origin,
        **kw,
    )


def outside(ref: str, credits: int, course: str = "", kind: str = K.CAT2, **kw) -> CredentialIn:
    return CredentialIn(ref, ref.upper(), f"Outside {ref}", kind, credits, False, "Kolej Contoh", course, **kw)


def eligibility(claims):
    return apelm_eligibility(CS, claims, POLICY, birth_year=1990, year=2026)


def test_threshold_is_half_of_the_credits_without_mpu_56_of_112():
    # DOMAIN R-AP-2: MPU is left out of both sides: 50% of (120 - 8) = 56, not 60.
    claims = [cat1(n) for n in range(14)]  # 56 non-MPU credits
    result = eligibility(claims)
    assert (result.credits, result.basis_credits, result.required_credits) == (56, 112, 56)
    assert result.programme_mpu_credits == 8 and result.share_pct == D("50.0")
    assert result.credits_ok and result.eligible


def test_55_of_112_is_not_enough():
    # DOMAIN R-AP-2: 13 whole courses (52) and three 1-credit parts of a 4-credit course = 55.
    parts = [cat1(13, 1, part=letter) for letter in "ABC"]
    result = eligibility([cat1(n) for n in range(13)] + parts)
    assert result.credits == 55 and not result.credits_ok and not result.eligible
    assert result.reasons == ("apelm_credits_short",)


def test_mpu_credits_of_the_learner_count_nowhere():
    # DOMAIN R-AP-2: 54 non-MPU credits plus MPU credentials (made from or mapped to MPU) stay short.
    mpu_made = CredentialIn("u-m", "MPU02MC", "Ethics", K.CAT1, 2, True, course="", is_mpu=True)
    mpu_mapped = outside("mpu-out", 2, CS.courses[29].code)
    claims = [cat1(n) for n in range(13)] + [cat1(13, 2, part="A"), mpu_made, mpu_mapped]
    result = eligibility(claims)
    assert (result.credits, result.mpu_credits) == (54, 4) and not result.eligible


def test_an_unrelated_culinary_credential_mapped_to_no_course_does_not_count():
    # DOMAIN R-AP-2 (policy n): a 60-credit culinary-college credential is no part of the Computer
    # Science programme's portfolio: it makes nobody eligible, whatever its size.
    culinary = outside("culinary", 60)
    result = eligibility([culinary])
    assert result.credits == 0 and not result.eligible and "apelm_credits_short" in result.reasons
    assert result.counts == (("culinary", ApelMCount.NOT_MAPPED, 0),)


def test_standalone_mcs_and_unmapped_outside_mpu_do_not_count():
    # DOMAIN R-AP-2 (policy n): only MCs unbundled from accredited programmes count; stand-alone
    # MCs do not, even mapped; an outside MPU course that is not mapped does not count either.
    samc = CredentialIn("s1", "SAMC1", "Stand-alone", K.SAMC, 4, True, course=CS.courses[0].code)
    qvc = outside("q1", 4, CS.courses[1].code, kind=K.SAMC_QVC, clo_attainment=(D("80"),))
    outside_mpu = outside("mpu-unmapped", 3)
    rows, counted, mpu = apelm_count(CS, [samc, qvc, outside_mpu])
    assert counted == 0 and mpu == 0
    assert rows == (
        ("s1", ApelMCount.STANDALONE, 0),
        ("q1", ApelMCount.STANDALONE, 0),
        ("mpu-unmapped", ApelMCount.NOT_MAPPED, 0),
    )


def test_category1_of_another_programme_does_not_count_wherever_it_is_mapped():
    # DOMAIN R-AP-2: Category 1 MCs count when unbundled from the target programme.
    elsewhere = cat1(0, origin="KNS2153")
    assert apelm_count(CS, [elsewhere])[0] == ((elsewhere.ref, ApelMCount.NOT_OF_PROGRAMME, 0),)
    # ... and one of the programme counts even when the learner maps it nowhere.
    unmapped = cat1(1, course="")
    assert apelm_count(CS, [unmapped])[1] == 4


def test_category2_counts_when_mapped_to_a_course_of_the_programme():
    # DOMAIN R-AP-2
    mapped = outside("c2", 4, CS.courses[2].code)
    assert apelm_count(CS, [mapped])[0] == (("c2", ApelMCount.COUNTS, 4),)


def test_each_credential_counts_once_and_each_course_at_most_its_credits():
    # DOMAIN R-AP-2: the same credential twice, a whole-course MC and its parts, and a
    # credential larger than its course do not add up beyond the course.
    whole = cat1(3)
    parts = [cat1(3, 1, part=letter) for letter in "AB"]
    big = outside("big", 10, CS.courses[4].code)
    rows, counted, _mpu = apelm_count(CS, [whole, whole, *parts, big])
    assert counted == 8
    assert [r[1] for r in rows] == [
        ApelMCount.COUNTS,
        ApelMCount.CLAIMED_TWICE,
        ApelMCount.COURSE_FULL,
        ApelMCount.COURSE_FULL,
        ApelMCount.COUNTS,
    ]
    assert rows[-1] == ("big", ApelMCount.COUNTS, 4)


def test_part_of_a_course_leaves_room_for_the_rest():
    # DOMAIN R-AP-2 / R-NM-2: two parts of 1 and a third of 3 on a 4-credit course give 4.
    rows, counted, _mpu = apelm_count(CS, [cat1(5, 1, part="A"), cat1(5, 1, part="B"), cat1(5, 3, part="C")])
    assert counted == 4 and rows[-1][1:] == (ApelMCount.COUNTS, 2)


def test_revoked_and_rejected_do_not_count():
    revoked = cat1(6, active=False)
    rejected = outside("rej", 4, CS.courses[7].code, verification=Verification.REJECTED)
    rows, counted, _mpu = apelm_count(CS, [revoked, rejected])
    assert counted == 0 and [r[1] for r in rows] == [ApelMCount.NOT_ACTIVE, ApelMCount.EVIDENCE_REJECTED]


@pytest.mark.parametrize(
    ("birth_year", "exception", "sentence"),
    [
        (2000, False, "Age this year: 26; the minimum via APEL.M is 24 (normal entry: 22)."),
        (
            None,
            False,
            "The date of birth is not in the learner profile, so the minimum age via APEL.M of 24 "
            "(normal entry: 22) cannot be checked.",
        ),
        (
            2010,
            True,
            "The university granted an exception to the minimum age via APEL.M of 24 (normal entry: 22).",
        ),
    ],
)
def test_the_normal_entry_age_is_shown_next_to_the_apel_age(birth_year, exception, sentence):
    # DOMAIN R-AP-4: Bachelor: normal entry 22, via APEL.M 24.
    result = apelm_eligibility(CS, [], POLICY, birth_year=birth_year, year=2026, age_exception=exception)
    assert (result.min_age, result.normal_age) == (24, 22)
    assert sentence in apelm_summary(result)


def test_the_summary_says_what_counts_and_the_threshold_without_mpu():
    # DOMAIN R-AP-2
    mpu_made = CredentialIn("u-m", "MPU02MC", "Ethics", K.CAT1, 2, True, is_mpu=True)
    lines = apelm_summary(eligibility([cat1(n) for n in range(14)] + [mpu_made]))
    assert lines[0] == (
        "Completed credits for APEL.M: 56; 56 needed, 50% of the programme's 112 graduating credits "
        "without its 8 MPU credits."
    )
    assert lines[1] == (
        "Only Category 1 UNIMAS micro-credentials of this programme's courses and Category 2 micro-credentials "
        "mapped to its courses count, each once. Stand-alone micro-credentials, credentials mapped to no course "
        "of the programme and MPU courses do not count."
    )
    assert lines[2] == "2 completed credits are MPU and are not counted."
    assert lines[-1] == "Eligible to apply for entry through APEL.M."
    assert apelm_summary(eligibility([]))[-1] == "Not eligible for APEL.M yet."


def test_the_share_comes_from_the_policy():
    # DOMAIN R-AP-2: a policy version asking 60% needs 68 of 112 (rounded up).
    result = apelm_eligibility(
        CS, [cat1(n) for n in range(17)], policy_data(apelm_min_credit_pct=60), birth_year=1990, year=2026
    )
    assert (result.credits, result.required_credits, result.credits_ok) == (68, 68, True)
    assert apelm_eligibility(
        CS, [cat1(n) for n in range(16)], policy_data(apelm_min_credit_pct=60), birth_year=1990, year=2026
    ).reasons == ("apelm_credits_short",)


ENOUGH = [cat1(n) for n in range(14)]  # 56 of 112: the credits are met


@pytest.mark.parametrize(
    ("level", "birth_year", "exception", "age", "age_ok", "granted", "reasons"),
    [
        ("bachelor", 2002, False, 24, True, False, ()),  # the bachelor's APEL age is 24: met exactly
        ("bachelor", 2003, False, 23, False, False, ("apelm_too_young",)),
        ("bachelor", 2003, True, 23, True, True, ()),  # an exception the university granted
        ("bachelor", None, False, None, False, False, ("apelm_age_unknown",)),
        ("bachelor", None, True, None, True, True, ()),
        ("doctorate", 1990, False, 36, False, False, ("apelm_no_age_rule",)),  # no row for the level
        ("doctorate", 1990, True, 36, False, False, ("apelm_no_age_rule",)),  # ...not even by exception
        ("foundation", 1990, False, 36, False, False, ("programme_foundation", "apelm_no_age_rule")),
    ],
)
def test_apelm_age_in_full(level, birth_year, exception, age, age_ok, granted, reasons):
    # DOMAIN R-AP-4: the minimum age via APEL.M for the level (policy data), or an exception;
    # R-CAT-5: never into a Foundation programme.
    import dataclasses

    programme = dataclasses.replace(CS, level=level)
    result = apelm_eligibility(programme, ENOUGH, POLICY, birth_year=birth_year, year=2026, age_exception=exception)
    assert (result.age, result.age_ok, result.age_exception, result.reasons, result.eligible) == (
        age,
        age_ok,
        granted,
        reasons,
        not reasons,
    )
    assert result.credits_ok is True


def test_apelm_threshold_without_mpu_in_the_basis():
    # DOMAIN R-AP-2: 50% of 112 is 56; 56 credits are enough, 55 are not; a programme that is all
    # MPU has nothing to reach.
    import dataclasses

    assert eligibility(ENOUGH).credits_ok is True
    assert eligibility([*ENOUGH[:13], cat1(13, 3)]).credits_ok is False
    all_mpu = dataclasses.replace(CS, graduating_credits=8)
    result = apelm_eligibility(all_mpu, [], POLICY, birth_year=1990, year=2026)
    assert (result.credits_ok, result.basis_credits, result.share_pct) == (True, 0, D("0"))


def test_apelm_count_rows_in_full():
    # DOMAIN R-AP-2: each credential once; MPU left out (and counted as MPU); a Category 1 MC of
    # another institution is judged by the course it is mapped to, like Category 2.
    twice = cat1(0)
    mpu = outside("mpu", 2, CS.courses[28].code)
    cat1_elsewhere = CredentialIn("x1", "X1", "Elsewhere", K.CAT1, 4, False, "Kolej", CS.courses[5].code)
    rows, counted, mpu_credits = apelm_count(CS, [twice, twice, mpu, cat1_elsewhere])
    assert rows == (
        (twice.ref, ApelMCount.COUNTS, 4),
        (twice.ref, ApelMCount.CLAIMED_TWICE, 0),
        ("mpu", ApelMCount.MPU, 0),
        ("x1", ApelMCount.COUNTS, 4),
    )
    assert (counted, mpu_credits) == (8, 2)


def test_just_under_the_share_is_short_67_of_112_at_60_percent():
    # DOMAIN R-AP-2: 60% of 112 is 67.2 credits, so 67 are not enough (the comparison is exact,
    # in whole percent of the basis, never rounded in the learner's favour).
    claims = [*(cat1(n) for n in range(16)), cat1(16, 3)]  # 64 + 3 = 67
    result = apelm_eligibility(CS, claims, policy_data(apelm_min_credit_pct=60), birth_year=1990, year=2026)
    assert (result.credits, result.credits_ok, result.reasons) == (67, False, ("apelm_credits_short",))


def test_the_summary_says_when_the_level_has_no_apelm_age():
    # DOMAIN R-AP-4: no minimum age for the level (a doctorate) means APEL.M is not open, and the
    # summary says so in words.
    import dataclasses

    result = apelm_eligibility(dataclasses.replace(CS, level="doctorate"), ENOUGH, POLICY, birth_year=1990, year=2026)
    assert "APEL.M has no minimum age for this level of programme, so it is not open." in apelm_summary(result)

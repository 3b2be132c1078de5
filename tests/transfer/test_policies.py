"""The caps engine and APEL.M, table-driven, without a database. Every number comes from the
policy data passed in (here the seeded version of DOMAIN.md)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from transfer.choices import CredentialKind as K
from transfer.choices import Verification
from transfer.policies import (
    CourseIn,
    CredentialIn,
    ProgrammeIn,
    Reason,
    apelm_eligibility,
    claim_problems,
    credit_transfer,
)
from transfer.policies.caps import whole_credits
from transfer.policies.caps.model import Advice, CapOutcome, Problem
from transfer.policies.evidence import EvidenceRefused, badge_verification, evidence_read
from transfer.policies.workflow import TABLE, Facts, guard_problem, rows_for, target_of

from .policy_data import policy_data

POLICY = policy_data()


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def programme(total: int = 120, *, courses: int = 40, credits: int = 3, level: str = "bachelor", mpu: int = 0):
    """A programme of ``courses`` courses of ``credits`` credits (the last ``mpu`` of them MPU)."""
    rows = tuple(
        CourseIn(f"TMX{n:03d}{credits}", f"Course {n}", credits, is_mpu=n >= courses - mpu) for n in range(courses)
    )
    return ProgrammeIn("SK99", "Bachelor of Testing", level, total, rows)


def creds(prog: ProgrammeIn, kind: str, count: int, *, start: int = 0, unimas: bool | None = None, **kw):
    """``count`` credentials of ``kind``, each mapped to the next course, with that course's credits."""
    from_unimas = kind == K.CAT1 if unimas is None else unimas
    clo = kw.pop("clo_attainment", (D("70"), D("65")) if kind in (K.SAMC, K.SAMC_QVC) else None)
    return [
        CredentialIn(
            ref=f"{kind}-{n}",
            code=f"MC{n:03d}",
            title=f"Micro-Credential {n}",
            kind=kind,
            credits=course.credits,
            from_unimas=from_unimas,
            provider=kw.get("provider", "UNIMAS" if from_unimas else "Universiti Contoh"),
            course=course.code,
            origin_course=course.code if kind == K.CAT1 and from_unimas else "",
            clo_attainment=clo,
            **{k: v for k, v in kw.items() if k != "provider"},
        )
        for n, course in enumerate(prog.courses[start : start + count], start=start)
    ]


# --- the examples -------------------------------------------------------------------------

BACHELOR_120 = programme(120, courses=40, credits=3)


@pytest.mark.parametrize(
    ("case", "claims", "transferred", "binding", "rule", "cut"),
    [
        # DOMAIN R-CT-1: 40 credits of Category 1 MCs of UNIMAS: all count (10 courses of 4 credits).
        ("R-CT-1 forty credits of Category 1", ("cat1-4", 10), 40, "", "", 0),
        # DOMAIN R-CT-2: 45 credits of non-QVC SAMCs: 36 count, bound by the 30% cap.
        ("R-CT-2 forty-five credits of SAMC", ((K.SAMC, 15),), 36, "samc_apelc", "R-CT-2", 9),
        # DOMAIN R-CT-3: 90 credits of QVC-verified SAMCs: 84 count (70%).
        ("R-CT-3 ninety credits of QVC SAMC", ((K.SAMC_QVC, 30),), 84, "samc_all", "R-CT-3", 6),
        # DOMAIN R-CT-4 / R-CT-5: 60 external Category 2 + 30 SAMC = 90 > 70%: 84 count.
        ("R-CT-5 mixed external and SAMC over 70%", ((K.CAT2, 20), (K.SAMC, 10)), 84, "outside_and_samc", "R-CT-4", 6),
        # DOMAIN R-CT-5: 100% of a programme from UNIMAS Category 1 MCs: all count, none left.
        ("R-CT-5 the whole programme from Category 1", ((K.CAT1, 40),), 120, "", "", 0),
        # DOMAIN R-CT-5: SAMC within 30% and Category 2 within 70% together: 36 + 48 = 84.
        ("R-CT-5 SAMC and Category 2 at their caps", ((K.SAMC, 12), (K.CAT2, 16)), 84, "", "", 0),
    ],
)
def test_caps_engine(case, claims, transferred, binding, rule, cut):
    if claims == ("cat1-4", 10):
        prog = programme(120, courses=30, credits=4)
        claimed = creds(prog, K.CAT1, 10)
    else:
        prog = BACHELOR_120
        claimed, start = [], 0
        for kind, count in claims:
            claimed += creds(prog, kind, count, start=start)
            start += count
    result = credit_transfer(prog, claimed, POLICY)
    assert result.transferred == transferred, case
    assert (result.binding_cap, result.binding_rule, result.binding_cut) == (binding, rule, cut), case
    assert result.remaining == 120 - transferred  # DOMAIN R-CT-4: still to be taken at UNIMAS
    assert sum(o.counted for o in result.credentials) == transferred
    assert not result.problems


def test_samc_cut_credentials_name_the_cap_that_refused_them():
    # DOMAIN R-CT-2
    result = credit_transfer(BACHELOR_120, creds(BACHELOR_120, K.SAMC, 15), POLICY)
    capped = [o for o in result.credentials if o.reason == Reason.CAPPED]
    assert len(capped) == 3 and {o.cap for o in capped} == {"samc_apelc"} and {o.rule for o in capped} == {"R-CT-2"}
    assert result.binding is not None and (result.binding.limit, result.binding.used) == (36, 36)


def test_the_caps_come_from_the_policy_version():
    # DOMAIN R-CT-2: a policy version with a 20% cap gives 24 of 45 credits.
    result = credit_transfer(BACHELOR_120, creds(BACHELOR_120, K.SAMC, 15), policy_data(ct_samc_apelc_max_pct=20))
    assert (result.transferred, result.binding_cut) == (24, 21)


def test_category2_leaves_at_least_30_percent_at_unimas():
    # DOMAIN R-CT-4: 100 credits of Category 2 claimed: 84 count, 36 stay at UNIMAS.
    result = credit_transfer(BACHELOR_120, creds(BACHELOR_120, K.CAT2, 34), POLICY)
    assert result.transferred == 84 and result.min_at_unimas == 36 and result.at_unimas == 36
    assert result.binding_rule == "R-CT-4"


def test_min_at_unimas_binds_on_its_own_when_the_policy_says_so():
    # DOMAIN R-CT-4: with the outside cap raised to 90%, the 30% minimum at UNIMAS still binds.
    result = credit_transfer(BACHELOR_120, creds(BACHELOR_120, K.CAT2, 34), policy_data(ct_outside_max_pct=90))
    assert result.transferred == 84 and result.binding_cap == "min_at_unimas"


# --- APEL.C (R-AP-1) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attainment", "counts"),
    [
        ((D("72"), D("49")), False),  # DOMAIN R-AP-1: one CLO at 49% stops the claim
        ((D("49.99"), D("90")), False),  # DOMAIN R-AP-1
        ((D("50"), D("50")), True),  # DOMAIN R-AP-1: exactly 50% on each CLO
        ((D("100"),), True),
        ((), False),  # an empty assessment is no evidence
    ],
)
def test_apelc_needs_the_minimum_on_each_clo(attainment, counts):
    claim = creds(BACHELOR_120, K.SAMC, 1, clo_attainment=attainment)
    outcome = credit_transfer(BACHELOR_120, claim, POLICY).credentials[0]
    assert outcome.counts is counts
    assert outcome.reason == (Reason.COUNTS if counts else Reason.CLO_BELOW_MINIMUM)
    if not counts:
        assert outcome.rule == "R-AP-1"


def test_a_samc_not_yet_assessed_counts_only_provisionally():
    # DOMAIN R-AP-1: without CLO attainment the credit is provisional, pending the APEL.C officer.
    claim = creds(BACHELOR_120, K.SAMC_QVC, 1, clo_attainment=None)
    result = credit_transfer(BACHELOR_120, claim, POLICY)
    assert result.credentials[0].provisional and result.provisional


def test_the_clo_minimum_comes_from_the_policy():
    claim = creds(BACHELOR_120, K.SAMC, 1, clo_attainment=(D("55"),))
    assert not credit_transfer(BACHELOR_120, claim, policy_data(apelc_min_clo_pct=60)).credentials[0].counts


# --- courses: divided parts, short, credited once ----------------------------------------------------

IOT = ProgrammeIn(
    "SK29",
    "Bachelor of Computer Science",
    "bachelor",
    128,
    (CourseIn("TMN4033", "Internet of Things", 3), CourseIn("TMUI233", "Computer Technologies", 3)),
)


def part(letter: str, course: str = "TMN4033", **kw) -> CredentialIn:
    return CredentialIn(f"u-{letter}", f"TMN4031MC{letter}", f"IoT part {letter}", K.CAT1, 1, True, course=course, **kw)


def test_the_parts_of_a_divided_course_count_together():
    # DOMAIN R-NM-2: TMN4031MCA + MCB + MCC credit TMN4033.
    result = credit_transfer(IOT, [part("A"), part("B"), part("C")], POLICY)
    assert result.transferred == 3 and [o.counted for o in result.credentials] == [1, 1, 1]
    assert result.courses[0].credited and result.courses[0].refs == ("u-A", "u-B", "u-C")


def test_a_course_mapped_from_too_few_credits_is_not_credited_and_cannot_be_submitted():
    # DOMAIN R-NM-2: two of three parts do not make the course.
    claims = [part("A"), part("B")]
    result = credit_transfer(IOT, claims, POLICY)
    assert result.transferred == 0 and {o.reason for o in result.credentials} == {Reason.COURSE_SHORT}
    (problem,) = claim_problems(IOT, claims)
    assert (problem.code, problem.rule, problem.field) == ("course_credits_short", "R-NM-2", "claims[0].course")


def test_a_course_is_never_credited_twice():
    # DOMAIN R-CT-5
    whole = CredentialIn("u-w", "TMN4033MC", "IoT", K.CAT1, 3, True, course="TMN4033")
    result = credit_transfer(IOT, [whole, part("A"), part("B"), part("C")], POLICY)
    assert result.transferred == 3
    assert [o.reason for o in result.credentials] == [Reason.COUNTS] + [Reason.COURSE_COVERED] * 3


def test_a_credential_never_counts_twice():
    # DOMAIN R-CT-5: the same credential claimed for two courses counts once, and cannot be submitted.
    one = CredentialIn("u-1", "TMUI233MC", "Computer Technologies", K.CAT1, 3, True, course="TMUI233")
    again = CredentialIn("u-1", "TMUI233MC", "Computer Technologies", K.CAT1, 3, True, course="TMN4033")
    result = credit_transfer(IOT, [one, again], POLICY)
    assert result.transferred == 3 and len(result.credentials) == 1
    codes = [(p.code, p.field) for p in claim_problems(IOT, [one, again])]
    assert codes == [("credential_claimed_twice", "claims[1].credential")]


def test_a_course_mixing_category1_and_samc_is_capped_as_samc():
    # DOMAIN R-CT-5: the most restrictive credential decides the course's group.
    mixed = [
        part("A"),
        part("B"),
        CredentialIn("p-1", "MC001", "Sensors", K.SAMC, 1, False, "Other", "TMN4033", clo_attainment=(D("80"),)),
    ]
    result = credit_transfer(IOT, mixed, POLICY)
    assert result.courses[0].group == K.SAMC and result.transferred == 3


def test_rejected_revoked_unmapped_and_foreign_courses_do_not_count():
    claims = [
        CredentialIn("a", "X1", "Rejected", K.CAT2, 3, False, "U", "TMN4033", verification=Verification.REJECTED),
        CredentialIn("b", "X2", "Revoked", K.CAT1, 3, True, course="TMUI233", active=False),
        CredentialIn("c", "X3", "Unmapped", K.CAT2, 3, False, "U"),
        CredentialIn("d", "X4", "Elsewhere", K.CAT2, 3, False, "U", "KNS2153"),
    ]
    result = credit_transfer(IOT, claims, POLICY)
    assert [o.reason for o in result.credentials] == [
        Reason.EVIDENCE_REJECTED,
        Reason.NOT_ACTIVE,
        Reason.NOT_MAPPED,
        Reason.NOT_IN_PROGRAMME,
    ]
    assert result.transferred == 0
    assert [p.code for p in claim_problems(IOT, claims)] == ["course_not_in_programme"]


def test_unverified_evidence_counts_provisionally():
    claim = CredentialIn("p", "BIT101", "Outside", K.CAT2, 3, False, "U", "TMN4033", Verification.UNVERIFIED)
    outcome = credit_transfer(IOT, [claim], POLICY).credentials[0]
    assert outcome.counted == 3 and outcome.provisional


def test_a_foundation_programme_is_never_a_target():
    # DOMAIN R-CAT-5
    foundation = ProgrammeIn("ASC", "Foundation in Science", "foundation", 36, (CourseIn("PPU0013", "Maths", 3),))
    claim = CredentialIn("u", "PPU0013MC", "Maths", K.CAT1, 3, True, course="PPU0013")
    result = credit_transfer(foundation, [claim], POLICY)
    assert result.transferred == 0 and result.credentials[0].reason == Reason.FOUNDATION
    assert [p.code for p in result.problems] == ["programme_foundation"]


# --- R-AP-3 advice ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "advised", "basis"),
    [
        # DOMAIN R-AP-3: 36 of 120 credits (30%) from one institution.
        (((K.CAT2, 12, "Universiti Contoh"),), True, "one_institution"),
        # DOMAIN R-AP-3: 33 credits from one institution is under 30%.
        (((K.CAT2, 11, "Universiti Contoh"),), False, ""),
        # DOMAIN R-AP-3: 84 credits (70%) from several institutions, none with 30% alone...
        # 27 + 27 + 30 from three providers.
        (((K.CAT2, 9, "A"), (K.CAT2, 9, "B"), (K.CAT1, 10, "UNIMAS")), True, "several_institutions"),
    ],
)
def test_apela_advice(claims, advised, basis):
    claimed, start = [], 0
    for kind, count, provider in claims:
        claimed += creds(BACHELOR_120, kind, count, start=start, provider=provider)
        start += count
    advice = credit_transfer(BACHELOR_120, claimed, POLICY).advice
    assert (advice.advised, advice.basis) == (advised, basis)


@pytest.mark.parametrize(
    ("value", "origin", "part", "credits"),
    [
        (D("2.8"), 3, None, 3),  # a whole-course MC carries its course's credits (SLT within 10%, R-SLT-3)
        (D("1.1"), 3, 1, 1),  # DOMAIN R-NM-3: a part of TMN4033 carries its declared credit
        (D("2.5"), None, None, 3),  # a stand-alone MC: its credit value, rounded half up
        (D("2.4"), None, None, 2),
        (D("0.3"), None, None, 1),
    ],
)
def test_whole_credits_of_a_unimas_mc(value, origin, part, credits):
    assert whole_credits(value, origin_credits=origin, part_credits=part) == credits


# --- APEL.M (R-AP-2, R-AP-4) -------------------------------------------------------------------------

AGES = {"certificate": 20, "diploma": 22, "bachelor": 24, "master": 31}  # DOMAIN R-AP-4, via APEL.M


def _apelm_claims(prog: ProgrammeIn, non_mpu_courses: int, mpu_courses: int) -> list[CredentialIn]:
    plain = creds(prog, K.CAT1, non_mpu_courses)
    mpu = creds(prog, K.CAT1, mpu_courses, start=len(prog.courses) - mpu_courses)
    return plain + mpu


@pytest.mark.parametrize("level", list(AGES))
@pytest.mark.parametrize(("offset", "age_ok"), [(-1, False), (0, True), (1, True)])
def test_apelm_minimum_age_per_level(level, offset, age_ok):
    # DOMAIN R-AP-4: one year under, at and over the table's APEL.M age, for each level.
    prog = programme(120, courses=40, credits=3, level=level, mpu=2)
    claims = _apelm_claims(prog, 20, 2)  # 60 non-MPU credits = exactly 50%, plus 6 MPU credits
    birth_year = 2026 - AGES[level] - offset
    result = apelm_eligibility(prog, claims, POLICY, birth_year=birth_year, year=2026)
    assert result.age == AGES[level] + offset and result.min_age == AGES[level]
    assert result.credits_ok and result.age_ok is age_ok and result.eligible is age_ok


@pytest.mark.parametrize(
    ("non_mpu", "mpu", "eligible"),
    [
        (19, 2, True),  # DOMAIN R-AP-2: 57 of the 114 credits without MPU (50%); the 6 MPU credits count nowhere
        (18, 2, False),  # DOMAIN R-AP-2: 54 + 6 MPU = 60 credits, but only 54 count: under 57
        (18, 1, False),
        (20, 0, True),
    ],
)
def test_apelm_needs_half_the_credits_without_mpu(non_mpu, mpu, eligible):
    prog = programme(120, courses=40, credits=3, mpu=2)
    result = apelm_eligibility(prog, _apelm_claims(prog, non_mpu, mpu), POLICY, birth_year=1990, year=2026)
    assert result.eligible is eligible
    assert result.mpu_credits == 3 * mpu and result.credits == 3 * non_mpu
    assert (result.basis_credits, result.required_credits, result.programme_mpu_credits) == (114, 57, 6)


def test_apelm_mpu_origin_is_excluded_even_unmapped():
    # DOMAIN R-AP-2: an MC made from an MPU course is MPU wherever it is mapped.
    prog = programme(12, courses=4, credits=3)
    claims = [CredentialIn("u", "MPU3183MC", "Ethics", K.CAT1, 6, True, is_mpu=True)]
    assert apelm_eligibility(prog, claims, POLICY, birth_year=1990, year=2026).credits == 0


def test_apelm_age_exception_and_unknown_age():
    # DOMAIN R-AP-4: the university may grant an exception (the reason is recorded by the service).
    prog = programme(120, courses=40, credits=3)
    claims = creds(prog, K.CAT1, 20)
    young = apelm_eligibility(prog, claims, POLICY, birth_year=2010, year=2026)
    assert not young.eligible and young.reasons == ("apelm_too_young",)
    assert apelm_eligibility(prog, claims, POLICY, birth_year=2010, year=2026, age_exception=True).eligible
    assert apelm_eligibility(prog, claims, POLICY, birth_year=None, year=2026).reasons == ("apelm_age_unknown",)


def test_apelm_is_not_open_to_a_level_without_an_age_rule():
    prog = programme(36, courses=12, credits=3, level="doctorate")
    result = apelm_eligibility(prog, creds(prog, K.CAT1, 12), POLICY, birth_year=1980, year=2026)
    assert not result.eligible and "apelm_no_age_rule" in result.reasons


# --- evidence ---------------------------------------------------------------------------------------


def test_evidence_is_a_pdf_or_a_badge():
    assert evidence_read(b"%PDF-1.7\n...", name="transcript.pdf", max_bytes=1000).kind == "pdf"
    badge = b'{"type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:web:x"}'
    assert evidence_read(badge, name="badge.json", max_bytes=1000).kind == "badge"


def test_evidence_limit_is_the_one_given_and_sizes_are_in_tenths_of_a_megabyte():
    # DOMAIN R-CT-6 (evidence of a claim): the portal's own limit applies, not the JSON default of
    # 1 MB; a file above it is refused naming both sizes (1,101,006 bytes: 1.05000... MB -> 1.1).
    badge = b'{"type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:web:x"}'
    padded = badge + b" " * 1_200_000
    assert evidence_read(padded, name="badge.json", max_bytes=2 * 1_048_576).kind == "badge"
    with pytest.raises(EvidenceRefused) as refused:
        evidence_read(b"x" * 1_101_006, name="a.pdf", max_bytes=1_101_005)
    assert refused.value.problem.message == "The file is 1.1 MB; the limit is 1.1 MB."


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "a.pdf", "evidence_empty"),
        (b"%PDF-1.7", "a.json", "evidence_type_mismatch"),
        (b"not json at all", "a.json", "evidence_type"),
        (b'{"name": "a badge without types"}', "a.json", "evidence_not_badge"),
        (b"[1, 2]", "a.json", "evidence_not_badge"),
        (b"x" * 2000, "a.pdf", "evidence_too_large"),
    ],
)
def test_unusable_evidence_is_refused_with_the_reason(content, name, code):
    with pytest.raises(EvidenceRefused) as refused:
        evidence_read(content, name=name, max_bytes=1000)
    assert refused.value.problem.code == code and refused.value.problem.field == "evidence"


@pytest.mark.parametrize(
    ("verdict", "issuer", "ours", "verification"),
    [
        ("valid", "did:web:portal", True, "verified"),
        ("other_issuer", "did:key:z6Mk", False, "unverified"),  # a genuine signature, not the portal's
        ("status_unknown", "did:key:z6Mk", False, "unverified"),  # signed; status list not reachable
        ("not_yet_valid", "did:key:z6Mk", False, None),
        ("invalid", "did:key:z6Mk", False, None),  # the signature was checked and fails: not genuine
        ("invalid", "did:web:portal", True, None),
        ("invalid", "did:web:other.example", False, "unverified"),  # keys not resolvable here
        ("invalid", "", False, None),  # names no issuer
        ("revoked", "did:key:z6Mk", False, None),
        ("expired", "did:key:z6Mk", False, None),
    ],
)
def test_badge_verdicts(verdict, issuer, ours, verification):
    assert badge_verification(verdict, issuer=issuer, issuer_is_portal=ours) == verification


# --- the application's state machine (R-CT-6) -----------------------------------------------------------


@pytest.mark.parametrize(("standalone", "first"), [(True, "apelc_review"), (False, "coordinator_review")])
def test_submission_routes_samc_claims_through_apelc(standalone, first):
    # DOMAIN R-CT-6: SAMC learners apply through APEL.C; horizontal transfer goes to the coordinator.
    (submit,) = rows_for("", "submit")
    assert target_of(submit, Facts(status="", has_standalone=standalone)) == first


def test_the_table_goes_coordinator_then_dean():
    # DOMAIN R-CT-6: coordinator supports -> Dean approves; not supported ends it.
    moves = {(r.source, r.action): r.target for r in TABLE}
    assert moves[("coordinator_review", "support")] == "dean_review"
    assert moves[("coordinator_review", "not_support")] == "not_supported"
    assert moves[("dean_review", "approve")] == "approved"
    assert moves[("dean_review", "reject")] == "rejected"
    assert ("approved", "withdraw") not in moves


@pytest.mark.parametrize(
    ("facts", "problem"),
    [
        (Facts("coordinator_review", unassessed=1), "apelc_not_assessed"),
        (Facts("coordinator_review", unverified=1), "evidence_not_checked"),
        (Facts("coordinator_review", problems=1), "claim_has_problems"),
        (Facts("coordinator_review"), None),
    ],
)
def test_support_needs_a_settled_claim(facts, problem):
    (support,) = rows_for("coordinator_review", "support")
    assert guard_problem(support, facts) == problem


# --- one claim of every kind, the whole result pinned (issue 14) -------------------------------------


SK10 = ProgrammeIn(
    "SK10",
    "Bachelor of Tests",
    "bachelor",
    30,
    (
        *(CourseIn(f"TMA{n:03d}3", f"Course {n}", 3, is_mpu=n == 4) for n in range(1, 9)),
        CourseIn("TMA0092", "Course 9", 2),
    ),
)


def _claim(ref, kind, credits, course, **kw):
    unimas = kind == K.CAT1
    kw.setdefault("clo_attainment", (D(70),) if kind in (K.SAMC, K.SAMC_QVC) else None)
    provider = kw.pop("provider", "UNIMAS" if unimas else "Uni X")
    return CredentialIn(ref, f"MC-{ref}", f"Title {ref}", kind, credits, unimas, provider, course, **kw)


MIXED_CLAIM = [
    _claim("u1", K.CAT1, 3, "TMA0013"),
    _claim("u2", K.CAT1, 3, "TMA0013"),
    _claim("u1", K.CAT1, 3, "TMA0013"),
    _claim("p1", K.SAMC, 1, "TMA0023", verification=Verification.UNVERIFIED),
    _claim("p2", K.SAMC, 3, "TMA0033", clo_attainment=None),
    _claim("p3", K.SAMC, 3, "TMA0043"),
    _claim("p4", K.SAMC, 3, "TMA0053", verification=Verification.UNVERIFIED),
    _claim("p5", K.SAMC, 3, "TMA0063", provider="Uni Y"),
    _claim("p6", K.SAMC, 3, "TMA0073", active=False),
    _claim("p7", K.SAMC, 3, "TMA0073", verification=Verification.REJECTED),
    _claim("p8", K.SAMC, 3, ""),
    _claim("p9", K.SAMC, 3, "XYZ0013"),
    _claim("p10", K.SAMC, 3, "TMA0083", clo_attainment=(D(70), D(49))),
    _claim("q1", K.SAMC_QVC, 1, "TMA0092"),
    _claim("u3", K.CAT1, 1, "TMA0092"),
]


def test_a_mixed_claim_gives_every_outcome_in_full():
    # DOMAIN R-CT-5 (once; a course covered once), R-NM-2 (a course short of credits), R-AP-1 (a CLO
    # below 50%), R-CT-2 (SAMC within 30% of 30 = 9 credits), R-CT-6 (not the programme's), R-AP-3
    # (10 of 30 credits from Uni X: APEL.A advised), R-CR-5 (revoked), R-CT-1.
    result = credit_transfer(SK10, MIXED_CLAIM, POLICY, prefix="items")
    assert [
        (o.ref, o.code, o.title, o.kind, o.provider, o.course, o.credits, o.counted, o.reason, o.rule, o.cap, o.pending)
        for o in result.credentials
    ] == [
        ("u1", "MC-u1", "Title u1", K.CAT1, "UNIMAS", "TMA0013", 3, 3, "counts", "", "", ()),
        ("u2", "MC-u2", "Title u2", K.CAT1, "UNIMAS", "TMA0013", 3, 0, "course_already_covered", "R-CT-5", "", ()),
        (
            "p1",
            "MC-p1",
            "Title p1",
            K.SAMC,
            "Uni X",
            "TMA0023",
            1,
            0,
            "course_credits_short",
            "R-NM-2",
            "",
            ("unverified",),
        ),
        ("p2", "MC-p2", "Title p2", K.SAMC, "Uni X", "TMA0033", 3, 3, "counts", "", "", ("apelc_pending",)),
        ("p3", "MC-p3", "Title p3", K.SAMC, "Uni X", "TMA0043", 3, 3, "counts", "", "", ()),
        ("p4", "MC-p4", "Title p4", K.SAMC, "Uni X", "TMA0053", 3, 3, "counts", "", "", ("unverified",)),
        ("p5", "MC-p5", "Title p5", K.SAMC, "Uni Y", "TMA0063", 3, 0, "capped", "R-CT-2", "samc_apelc", ()),
        ("p6", "MC-p6", "Title p6", K.SAMC, "Uni X", "TMA0073", 3, 0, "not_active", "", "", ()),
        ("p7", "MC-p7", "Title p7", K.SAMC, "Uni X", "TMA0073", 3, 0, "evidence_rejected", "", "", ()),
        ("p8", "MC-p8", "Title p8", K.SAMC, "Uni X", "", 3, 0, "not_mapped", "", "", ()),
        ("p9", "MC-p9", "Title p9", K.SAMC, "Uni X", "XYZ0013", 3, 0, "course_not_in_programme", "", "", ()),
        ("p10", "MC-p10", "Title p10", K.SAMC, "Uni X", "TMA0083", 3, 0, "clo_below_minimum", "R-AP-1", "", ()),
        ("q1", "MC-q1", "Title q1", K.SAMC_QVC, "Uni X", "TMA0092", 1, 1, "counts", "", "", ()),
        ("u3", "MC-u3", "Title u3", K.CAT1, "UNIMAS", "TMA0092", 1, 1, "counts", "", "", ()),
    ]
    assert [
        (
            c.code,
            c.name,
            c.credits,
            c.is_mpu,
            c.refs,
            c.mapped_credits,
            c.group,
            c.external,
            c.credited,
            c.reason,
            c.cap,
        )
        for c in result.courses
    ] == [
        ("TMA0013", "Course 1", 3, False, ("u1",), 6, K.CAT1, False, True, "counts", ""),
        ("TMA0023", "Course 2", 3, False, (), 1, "", False, False, "course_credits_short", ""),
        ("TMA0033", "Course 3", 3, False, ("p2",), 3, K.SAMC, True, True, "counts", ""),
        ("TMA0043", "Course 4", 3, True, ("p3",), 3, K.SAMC, True, True, "counts", ""),
        ("TMA0053", "Course 5", 3, False, ("p4",), 3, K.SAMC, True, True, "counts", ""),
        ("TMA0063", "Course 6", 3, False, ("p5",), 3, K.SAMC, True, False, "capped", "samc_apelc"),
        # A Category 1 credit and a QVC credit together: the course is in the stricter group.
        ("TMA0092", "Course 9", 2, False, ("u3", "q1"), 2, K.SAMC_QVC, True, True, "counts", ""),
    ]
    assert result.caps == (
        CapOutcome("samc_apelc", "R-CT-2", 30, 9, 9, 3, True, True),
        CapOutcome("samc_all", "R-CT-3", 70, 21, 11, 0, True, False),
        CapOutcome("outside_and_samc", "R-CT-4", 70, 21, 11, 0, True, False),
        CapOutcome("min_at_unimas", "R-CT-4", 30, 21, 0, 0, False, False),
        CapOutcome("category1", "R-CT-1", 100, 30, 3, 0, True, False),
        CapOutcome("total", "R-CT-5", 100, 30, 14, 0, True, False),
    )
    assert (result.programme_code, result.graduating_credits, result.policy_id, result.policy_name) == (
        "SK10",
        30,
        POLICY.id,
        POLICY.name,
    )
    assert (result.creditable, result.transferred, result.binding_cap, result.binding_rule, result.binding_cut) == (
        17,
        14,
        "samc_apelc",
        "R-CT-2",
        3,
    )
    assert (result.external_transferred, result.remaining, result.at_unimas, result.min_at_unimas) == (11, 16, 19, None)
    assert result.binding_caps == ("samc_apelc",)
    # R-AP-3: the capped credential still counts for the advice (Uni Y 3, UNIMAS 4, Uni X 10 >= 30% of 30).
    assert result.advice == Advice(True, "one_institution", "Uni X", 10, 30)
    assert result.problems == (
        Problem(
            "R-CT-5",
            "credential_claimed_twice",
            "MC-u1 is claimed twice; a credential counts only once.",
            "items[2].credential",
        ),
        Problem("R-CT-6", "course_not_in_programme", "XYZ0013 is not a course of SK10.", "items[11].course"),
        Problem(
            "R-NM-2",
            "course_credits_short",
            "TMA0023 carries 3 credits; the credentials mapped to it carry only 1. "
            "Map every part of a divided course to it, or none.",
            "items[3].course",
        ),
    )
    assert credit_transfer(SK10, MIXED_CLAIM[:1] + MIXED_CLAIM[9:11], POLICY).problems == ()


def test_a_foundation_programme_counts_nothing():
    # DOMAIN R-CAT-5: no credential counts towards a Foundation programme.
    foundation = ProgrammeIn("ASC", "Foundation in Science", "foundation", 36, SK10.courses)
    result = credit_transfer(foundation, MIXED_CLAIM[:2], POLICY)
    assert [(o.ref, o.counted, o.reason, o.rule) for o in result.credentials] == [
        ("u1", 0, "programme_foundation", "R-CAT-5"),
        ("u2", 0, "programme_foundation", "R-CAT-5"),
    ]
    assert result.transferred == 0 and result.courses == () and result.advice == Advice(False)
    assert [p.code for p in result.problems] == ["programme_foundation"]


def _advice(*courses, graduating=30):
    """``courses``: (reason, ((provider, counted), ...)) per course, in programme order."""
    from transfer.policies.caps.engine import apela_advice
    from transfer.policies.caps.model import CourseOutcome, CredentialOutcome

    outcomes, rows = {}, []
    for n, (reason, gives) in enumerate(courses):
        refs = []
        for m, (provider, counted) in enumerate(gives):
            ref = f"c{n}-{m}"
            refs.append(ref)
            outcomes[ref] = CredentialOutcome(ref, ref, ref, K.SAMC, provider, f"C{n}", counted, counted, reason)
        rows.append(CourseOutcome(f"C{n}", f"C{n}", 3, False, tuple(refs), 3, K.SAMC, True, True, reason))
    return apela_advice(rows, outcomes, graduating, POLICY)


@pytest.mark.parametrize(
    ("courses", "expected"),
    [
        ((), Advice(False)),
        # one institution: 30% of 30 = 9 credits, counted or capped; other reasons do not count
        ((("counts", (("X", 9),)),), Advice(True, "one_institution", "X", 9, 30)),
        ((("counts", (("X", 8),)),), Advice(False)),
        ((("capped", (("X", 4),)), ("counts", (("X", 5),))), Advice(True, "one_institution", "X", 9, 30)),
        ((("course_credits_short", (("X", 9),)), ("counts", (("X", 8),))), Advice(False)),
        ((("course_credits_short", (("X", 1),)), ("counts", (("X", 9),))), Advice(True, "one_institution", "X", 9, 30)),
        # the institution that gave the most; equal: the later name
        ((("counts", (("A", 9), ("B", 10))),), Advice(True, "one_institution", "B", 10, 30)),
        ((("counts", (("B", 9), ("A", 9))),), Advice(True, "one_institution", "B", 9, 30)),
        ((("counts", (("A", 9), ("B", 9))),), Advice(True, "one_institution", "B", 9, 30)),  # whatever the order
        ((("counts", (("A", 5), ("B", 4))),), Advice(False)),
        # several institutions: 70% of 30 = 21 credits from more than one
        ((("counts", (("A", 11), ("B", 10))),), Advice(True, "several_institutions", "", 21, 70)),
        ((("counts", (("A", 8), ("B", 7), ("C", 5))),), Advice(False)),
        ((("counts", (("A", 20),)), ("counts", (("B", 1),))), Advice(True, "several_institutions", "", 21, 70)),
        ((("counts", (("A", 21),)),), Advice(True, "one_institution", "A", 21, 30)),
    ],
)
def test_apela_advice_in_full(courses, expected):
    # DOMAIN R-AP-3: 30% of the programme from one institution, or 70% from several (policy data).
    assert _advice(*courses) == expected


def test_apela_advice_thresholds_are_exact():
    # DOMAIN R-AP-3: 30% of 101 credits is 30.3, so 30 from one institution is short; 70% is 70.7,
    # so 70 from two is short of "several" (and 35 from one is still over 30%).
    assert _advice(("counts", (("X", 30),)), graduating=101) == Advice(False)
    assert _advice(("counts", (("A", 35), ("B", 35))), graduating=101) == Advice(True, "one_institution", "B", 35, 30)


def test_apela_advice_uses_the_programme_size():
    # DOMAIN R-AP-3: 9 credits are 30% of 30 but not of 31 (9.3).
    assert _advice(("counts", (("X", 9),)), graduating=31) == Advice(False)
    assert _advice(("counts", (("X", 10),)), graduating=31) == Advice(True, "one_institution", "X", 10, 30)


def test_caps_that_bind_only_together_are_named_together():
    # DOMAIN R-CT-3 and R-CT-4: 9 SAMC + 15 QVC credits of 30: both 70% caps (21) refuse the
    # 24; lifting either alone gains nothing, so both are named, R-CT-3 first. R-CT-2 (30% = 9)
    # would just fit the left-out SAMC (6 + 3 = 9), so it is not the cap that refused it.
    prog = ProgrammeIn(
        "SK11", "B", "bachelor", 30, tuple(CourseIn(f"TMB{n:03d}3", f"Course {n}", 3) for n in range(1, 11))
    )
    claimed = [_claim(f"s{n}", K.SAMC, 3, f"TMB{n:03d}3") for n in range(1, 4)]
    claimed += [_claim(f"q{n}", K.SAMC_QVC, 3, f"TMB{n:03d}3") for n in range(4, 9)]
    result = credit_transfer(prog, claimed, POLICY)
    assert (result.transferred, result.binding_cap, result.binding_caps, result.binding_cut) == (
        21,
        "samc_all",
        ("samc_all", "outside_and_samc"),
        3,
    )
    assert [(c.code, c.credited, c.cap) for c in result.courses if not c.credited] == [("TMB0033", False, "samc_all")]
    assert result.outcome("s3").cap == "samc_all" and result.outcome("s3").rule == "R-CT-3"
    assert [(c.key, c.used, c.cut, c.binds) for c in result.caps] == [
        ("samc_apelc", 6, 0, False),
        ("samc_all", 21, 0, True),
        ("outside_and_samc", 21, 0, True),
        ("min_at_unimas", 0, 0, False),
        ("category1", 0, 0, False),
        ("total", 21, 0, False),
    ]


def test_edits_are_open_only_to_their_actor_in_their_state():
    # DOMAIN R-CT-6: the APEL.C assessor assesses in APEL.C review; nobody maps a course there.
    from transfer.choices import ApplicationStatus as TS
    from transfer.policies.workflow import Actor, Edit, edit_actors

    assert edit_actors(TS.APELC_REVIEW, Edit.ASSESS) == [Actor.APELC]
    assert edit_actors(TS.APELC_REVIEW, Edit.MAP) == []
    assert edit_actors(TS.COORDINATOR_REVIEW, Edit.ASSESS) == []


def test_claim_problems_for_a_foundation_programme_and_an_empty_claim_in_full():
    # DOMAIN R-CAT-5 (never into Foundation), R-CT-6 (something must be claimed)
    import dataclasses

    foundation = dataclasses.replace(IOT, level="foundation")
    assert claim_problems(foundation, [part("A")]) == [
        Problem(
            "R-CAT-5",
            "programme_foundation",
            "Foundation programmes are never targets of micro-credential transfer.",
            "programme",
        )
    ]
    assert claim_problems(IOT, []) == [Problem("R-CT-6", "no_claims", "Claim at least one credential.", "claims")]
    assert claim_problems(IOT, [], "application.claims") == [
        Problem("R-CT-6", "no_claims", "Claim at least one credential.", "application.claims")
    ]


def test_only_counting_credentials_make_a_course_short():
    # DOMAIN R-NM-2: a revoked or rejected part mapped alone to a course does not make it "short"
    # (it counts nowhere); an unmapped credential before a short course does not hide it.
    assert claim_problems(IOT, [part("A", active=False)]) == []
    assert claim_problems(IOT, [part("A", verification=Verification.REJECTED)]) == []
    unmapped = CredentialIn("x", "X1", "Unmapped", K.CAT2, 3, False, "U")
    assert [(p.code, p.field) for p in claim_problems(IOT, [unmapped, part("A")])] == [
        ("course_credits_short", "claims[1].course")
    ]


def test_parts_that_more_than_cover_a_course_give_only_what_it_carries():
    # DOMAIN R-CT-5: a 2-credit and a 2-credit part mapped to a 3-credit course: the course is
    # credited 3 (2 + 1), never 4.
    big = [CredentialIn(f"u-{x}", f"TMN4032MC{x}", f"IoT part {x}", K.CAT1, 2, True, course="TMN4033") for x in "AB"]
    result = credit_transfer(IOT, big, POLICY)
    assert [o.counted for o in result.credentials] == [2, 1] and result.transferred == 3


def test_a_course_from_a_samc_and_a_qvc_samc_is_capped_as_a_samc():
    # DOMAIN R-CT-5: the most restrictive kind decides the group, in the order of the caps
    # (Category 1, Category 2, QVC-verified SAMC, SAMC), not by name.
    mixed = [
        CredentialIn("s-1", "MC001", "Sensors", K.SAMC, 2, False, "Other", "TMN4033", clo_attainment=(D("80"),)),
        CredentialIn("q-1", "MCV001", "Networks", K.SAMC_QVC, 1, False, "Other", "TMN4033", clo_attainment=(D("80"),)),
    ]
    assert credit_transfer(IOT, mixed, POLICY).courses[0].group == K.SAMC


def test_the_engine_names_claims_in_its_problems():
    one = CredentialIn("u-1", "TMUI233MC", "Computer Technologies", K.CAT1, 3, True, course="TMUI233")
    assert [p.field for p in credit_transfer(IOT, [one, one], POLICY).problems] == ["claims[1].credential"]

"""The engine's result in words (transfer/policies/explain.py), exactly as a learner or a reviewer
reads it. Pure, no database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.utils import translation

from transfer.choices import CredentialKind as K
from transfer.policies import Advice, CourseIn, CredentialIn, Pending, ProgrammeIn, Reason, credit_transfer
from transfer.policies.caps import CredentialOutcome
from transfer.policies.explain import cap_label, reason_text, summary

from .policy_data import policy_data

POLICY = policy_data()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def outcome(reason: str, **kw) -> CredentialOutcome:
    values = {
        "ref": "r",
        "code": "MC1",
        "title": "MC",
        "kind": K.CAT2,
        "provider": "U",
        "course": "TMN4013",
        "credits": 3,
        "counted": 0,
        "reason": reason,
    }
    values.update(kw)
    return CredentialOutcome(**values)


@pytest.mark.parametrize(
    ("reason", "extra", "text"),
    [
        (Reason.COUNTS, {"counted": 3}, "Counts for 3 credits towards TMN4013."),
        (
            Reason.COUNTS,
            {"counted": 2, "pending": (Pending.UNVERIFIED,)},
            "Counts for 2 credits towards TMN4013. Provisional: the evidence has not been checked yet.",
        ),
        (
            Reason.COUNTS,
            {"counted": 3, "pending": (Pending.APELC,)},
            "Counts for 3 credits towards TMN4013. Provisional: the APEL.C officer has not assessed your CLO "
            "attainment yet.",
        ),
        (
            Reason.COUNTS,
            {"counted": 3, "pending": (Pending.UNVERIFIED, Pending.APELC)},
            "Counts for 3 credits towards TMN4013. Provisional: the evidence has not been checked yet. "
            "Provisional: the APEL.C officer has not assessed your CLO attainment yet.",
        ),
        (Reason.CLAIMED_TWICE, {}, "Already claimed above; a credential counts only once."),
        (Reason.NOT_ACTIVE, {}, "This credential has been revoked or suspended."),
        (Reason.EVIDENCE_REJECTED, {}, "The evidence was rejected."),
        (Reason.NOT_MAPPED, {}, "Not mapped to a course of this programme."),
        (Reason.NOT_IN_PROGRAMME, {}, "TMN4013 is not a course of this programme."),
        (
            Reason.CLO_BELOW_MINIMUM,
            {},
            "Below 50% on at least one course learning outcome: APEL.C credit needs 50% on each.",
        ),
        (Reason.COURSE_SHORT, {}, "TMN4013 needs more credits than the credentials mapped to it carry."),
        (Reason.COURSE_COVERED, {}, "TMN4013 is already credited from other credentials; a course counts once."),
        (
            Reason.CAPPED,
            {"cap": "samc_apelc", "rule": "R-CT-2"},
            "Left out: the cap on stand-alone micro-credentials via APEL.C is reached.",
        ),
        (Reason.FOUNDATION, {}, "Foundation programmes are never targets of micro-credential transfer."),
        ("something_new", {}, "something_new"),
    ],
)
def test_reason_text(reason, extra, text):
    assert reason_text(outcome(reason, **extra), 50) == text


def test_cap_labels():
    assert cap_label("min_at_unimas") == "the share that must be taken at UNIMAS"
    assert cap_label("total") == "all credit transfers"
    assert cap_label("category1") == "Category 1 micro-credentials of UNIMAS"
    assert cap_label("unknown") == "unknown"


PROGRAMME = ProgrammeIn(
    "SK99", "Bachelor of Testing", "bachelor", 120, tuple(CourseIn(f"C{n:02d}", f"C {n}", 3) for n in range(40))
)


def claims(kind: str, count: int, *, start: int = 0, provider: str = "Universiti Contoh", **kw):
    unimas = kind == K.CAT1
    return [
        CredentialIn(
            f"{kind}{n}",
            f"M{n}",
            f"M {n}",
            kind,
            3,
            unimas,
            "UNIMAS" if unimas else provider,
            PROGRAMME.courses[n].code,
            clo_attainment=(D(80),) if kind in (K.SAMC, K.SAMC_QVC) else None,
            **kw,
        )
        for n in range(start, start + count)
    ]


def test_summary_for_the_learner_and_as_decided():
    # DOMAIN R-CT-4 / R-CT-5 / R-AP-3: 20 Category 2 courses (60 credits) from one institution.
    result = credit_transfer(PROGRAMME, claims(K.CAT2, 20), POLICY)
    assert summary(result) == [
        "60 of the programme's 120 graduating credits would be transferred (50.0%).",
        "No cap limited the result.",
        "You would still take 60 credits (50.0%) at UNIMAS.",
        "With Category 2 credits, at least 36 credits must be taken at UNIMAS.",
        "You have completed at least 30% of this programme from Universiti Contoh. If you do not meet the "
        "programme's entry requirements, you are advised to undergo APEL.A.",
    ]
    decided = summary(result, you=False, approved=True)
    assert decided[0] == "60 of the programme's 120 graduating credits are transferred (50.0%)."
    assert decided[2] == "60 credits (50.0%) remain to be taken at UNIMAS."
    assert decided[4] == (
        "The learner has completed at least 30% of this programme from Universiti Contoh: without the "
        "programme's entry requirements, APEL.A is advised."
    )
    assert summary(result, you=False)[2] == "60 credits (50.0%) remain to be taken at UNIMAS."


def test_summary_with_several_institutions_and_provisional_credits():
    # DOMAIN R-AP-3: 84 credits from several institutions, none 30% alone... and unverified evidence.
    several = claims(K.CAT2, 9, provider="A") + claims(K.CAT2, 9, start=9, provider="B")
    several += claims(K.CAT1, 10, start=18)
    several[0] = replace(several[0], verification="unverified")
    result = credit_transfer(PROGRAMME, several, POLICY)
    lines = summary(result)
    assert (
        "Some credits are provisional until the evidence is checked or the APEL.C officer assesses your CLOs." in lines
    )
    assert lines[-1] == (
        "You have completed at least 70% of this programme from several institutions. If you do not meet the "
        "programme's entry requirements, you are advised to undergo APEL.A."
    )
    assert summary(result, you=False)[-1] == (
        "The learner has completed at least 70% of this programme from several institutions: without the "
        "programme's entry requirements, APEL.A is advised."
    )


def test_summary_without_category2_or_advice():
    result = credit_transfer(PROGRAMME, claims(K.CAT1, 2), POLICY)
    assert summary(result) == [
        "6 of the programme's 120 graduating credits would be transferred (5.0%).",
        "No cap limited the result.",
        "You would still take 114 credits (95.0%) at UNIMAS.",
    ]
    assert result.advice == Advice(False)


def test_who_edits_and_where_each_reviewer_decides():
    # DOMAIN R-CT-6: the APEL.C officer assesses and checks evidence; the coordinator maps and
    # checks evidence; the learner has nothing to decide (withdrawing is not a decision).
    from transfer.choices import ApplicationStatus as S
    from transfer.policies.workflow import Actor, Edit, edit_actors, states_for_actor

    assert edit_actors(S.APELC_REVIEW, Edit.EVIDENCE) == [Actor.APELC]
    assert edit_actors(S.COORDINATOR_REVIEW, Edit.MAP) == [Actor.COORDINATOR]
    assert edit_actors(S.DEAN_REVIEW, Edit.MAP) == []
    assert states_for_actor(Actor.COORDINATOR) == [S.COORDINATOR_REVIEW]
    assert states_for_actor(Actor.DEAN) == [S.DEAN_REVIEW]
    assert states_for_actor(Actor.APELC) == [S.APELC_REVIEW]
    assert states_for_actor(Actor.LEARNER) == []


def test_a_result_finds_the_outcome_of_a_credential():
    result = credit_transfer(PROGRAMME, claims(K.CAT1, 2), POLICY)
    ref = result.credentials[1].ref
    assert result.outcome(ref).counted == 3 and result.outcome(ref).code == "M1"
    assert result.outcome("nobody") is None


# --- evidence (R-CT-6): each refusal with its code, field and words --------------------------------


def _refusal(content: bytes, name: str, max_bytes: int = 2_000_000):
    from transfer.policies.evidence import EvidenceRefused, evidence_read

    with pytest.raises(EvidenceRefused) as caught:
        evidence_read(content, name=name, max_bytes=max_bytes)
    problem = caught.value.problem
    assert str(caught.value) == problem.message
    return problem.rule, problem.code, problem.field, problem.message


@pytest.mark.parametrize(
    ("content", "name", "code", "message"),
    [
        (b"", "a.pdf", "evidence_empty", "The evidence file is empty."),
        (b"%PDF-1.7", "a.json", "evidence_type_mismatch", "The file is a PDF but its name does not end in .pdf."),
        (b'{"type": "VerifiableCredential"}', "a.pdf", "evidence_type_mismatch",
         "The file is JSON but its name does not end in .json."),
        (b"hello", "a.json", "evidence_type", "Upload a PDF, or an Open Badges 3.0 credential as a .json file."),
        (b"\xff\xfe{}", "a.json", "evidence_type", "Upload a PDF, or an Open Badges 3.0 credential as a .json file."),
        (b'{"type": ["OpenBadgeCredential"]}', "a.json", "evidence_not_badge",
         "This JSON is not an Open Badges 3.0 credential: it has no type VerifiableCredential."),
        (b'{"type": 5}', "a.json", "evidence_not_badge", None),
        (b"[1, 2]", "a.json", "evidence_not_badge", None),
    ],
)  # fmt: skip
def test_evidence_refusals(content, name, code, message):
    rule, got, field, text = _refusal(content, name)
    assert (rule, got, field) == ("R-CT-6", code, "evidence")
    if message is not None:
        assert text == message


def test_evidence_size_and_json_limits():
    _rule, code, _field, text = _refusal(b"%PDF-" + b"x" * 1_200_000, "a.pdf", max_bytes=1_048_576)
    assert (code, text) == ("evidence_too_large", "The file is 1.1 MB; the limit is 1.0 MB.")
    deep = b'{"type": "VerifiableCredential", "x": ' + b"[" * 200 + b"]" * 200 + b"}"
    assert _refusal(deep, "a.json")[1].startswith("evidence_json_")


def test_evidence_accepted():
    from transfer.policies.evidence import evidence_read

    pdf = evidence_read(b"%PDF-1.7", name="Transcript.PDF", max_bytes=8)
    assert (pdf.kind, pdf.document) == ("pdf", None)
    one = evidence_read(b'{"type": "VerifiableCredential"}', name="b.JSON", max_bytes=100)
    assert (one.kind, one.document) == ("badge", {"type": "VerifiableCredential"})
    listed = evidence_read(b'{"type": ["VerifiableCredential", "OpenBadgeCredential"]}', name="b.json", max_bytes=100)
    assert listed.document == {"type": ["VerifiableCredential", "OpenBadgeCredential"]}

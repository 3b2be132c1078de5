"""Pure rules of courses that words and files depend on: what changed between two submitted
versions, what an uploaded survey analysis is (R-AF-3), and input bounds. No database."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from courses.choices import AssessmentKind as AK
from courses.choices import AssessmentMethod as AM
from courses.choices import DeliveryMode, ProposalKind, RegistrationKind
from courses.choices import ProposalStatus as S
from courses.policies import (
    ComponentData,
    CourseFacts,
    LineData,
    Problem,
    ProgrammeFacts,
    UploadRefused,
    assessment_problems,
    code_problems,
    component_problems,
    line_problems,
    part_credit_problems,
    proposal_readiness,
    qualification_name_problems,
    rate_problem,
    sniff_upload,
    suggest_code,
    title_problems,
)
from courses.policies import readiness as rd
from courses.policies import workflow as wf
from courses.policies.data import CLOData, ProposalData, ProposalSnapshot, UnitData
from courses.policies.inputs import (
    clo_input_problems,
    design_problems,
    input_problems,
    origin_input_problems,
    scalar_problems,
)
from courses.policies.workflow import Change, version_diff
from tests.courses.builders import CLOS, COMPONENTS, UNITS, ready_data, ready_snapshot, with_data
from tests.courses.conftest import seed_policy_data


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- version_diff (R-WF-5: reviewers see what changed) ---------------------------------------------

BEFORE = {
    "title": "Data Mining",
    "code": "TMN4013MC",
    "fee": None,
    "clos": [
        {"verb": "Explain", "outcome": "mining", "criteria": "correctly", "conditions": "", "mqf_level": 6,
         "effort_hours": 10},
    ],
    "units": [
        {"title": "Unit A", "lines": [{"activity": "slide", "quantity": 20, "rate_minutes": "7", "is_online": True}]},
    ],
    "components": [
        {"title": "", "method": "quiz", "kind": "continuous", "weight": 40, "unit": 1, "clos": [1, 2],
         "retake_allowed": True},
    ],
    "lecturers": [{"name": "Zed"}, {"name": "Amin"}],
    "market_survey": {"respondents": 30},
    "slt": {"total_hm": "2h 20m"},
}  # fmt: skip


def test_nothing_changed_is_no_change():
    assert version_diff(BEFORE, dict(BEFORE)) == []
    assert version_diff({}, {}) == []


def test_every_kind_of_change_is_listed_with_both_sides():
    after = {
        **BEFORE,
        "title": "Data Mining II",
        "fee": 150,
        "clos": [
            {"verb": "Apply", "outcome": "mining", "criteria": "", "conditions": "in a lab", "mqf_level": 6,
             "effort_hours": None},
            {"verb": "", "outcome": "Report", "criteria": "", "conditions": ""},
        ],
        "units": [{"title": "Unit A", "lines": [{"activity": "slide", "quantity": 20, "rate_minutes": "7"}]}],
        "components": [{"method": "exam", "kind": "final", "weight": 60, "clos": [3]}],
        "lecturers": [{"name": "Amin"}],
        "market_survey": None,
        "slt": {"total_hm": "2h 30m"},
    }  # fmt: skip
    changes = version_diff(BEFORE, after)
    assert changes == [
        Change("title", "Title", "Data Mining", "Data Mining II"),
        Change("fee", "Fee (MYR)", "", "150"),
        Change("clos[0]", "CLO 1", "Explain mining, correctly. (MQF 6, 10 h)", "In a lab, apply mining. (MQF 6)"),
        Change("clos[1]", "CLO 2", "", "Report."),
        Change("units[0]", "Table 4, unit 1", "Unit A\nslide x 20 @ 7 min (online)", "Unit A\nslide x 20 @ 7 min"),
        Change(
            "components[0]",
            "Assessment component 1",
            "quiz (quiz, continuous) 40%, unit 1; CLO1, CLO2, retake",
            "exam (exam, final) 60%; CLO3",
        ),
        Change("lecturers", "Lecturers", "Amin, Zed", "Amin"),
        Change("market_survey", "Market survey respondents", "30", ""),
        Change("slt", "Total SLT", "2h 20m", "2h 30m"),
    ]
    assert [c.kind for c in changes[:4]] == ["changed", "added", "changed", "added"]
    removed = version_diff(after, {**after, "clos": after["clos"][:1]})
    assert removed == [Change("clos[1]", "CLO 2", "Report.", "")] and removed[0].kind == "removed"


def test_a_clo_with_criteria_and_conditions_lists_both():
    # DOMAIN R-WF-5: reviewers see what changed, in the words of the CLO (R-AF-4).
    clo = {"verb": "Explain", "outcome": "mining", "criteria": "correctly", "conditions": "in a lab", "mqf_level": 6,
           "effort_hours": 10}  # fmt: skip
    (change,) = version_diff({"clos": []}, {"clos": [clo]})
    # Issue 17: as the one sentence learners read (courses.policies.outcomes), then level and effort.
    assert change.after == "In a lab, explain mining, correctly. (MQF 6, 10 h)"


def test_a_version_missing_a_list_shows_it_empty():
    # DOMAIN R-WF-5: a stored version without a component's CLOs, a unit's lines or a lecturer's
    # name still compares (older versions did not keep every key).
    before = {"components": [], "units": [], "lecturers": [{"name": "Zed"}]}
    after = {
        "components": [{"method": "quiz", "kind": "final", "weight": 10}],
        "units": [{"title": "Unit A"}],
        "lecturers": [{"name": "Zed"}, {}],
    }
    assert [c.after for c in version_diff(before, after)] == ["Unit A", "quiz (quiz, final) 10%; ", ", Zed"]


def test_next_status_of_a_resubmission_without_facts_is_submitted():
    # DOMAIN R-WF-3: with no step recorded to return to, a resubmission goes to the first review.
    assert wf.next_status(S.RETURNED, "resubmit") == S.SUBMITTED


def test_a_component_title_is_shown_before_its_method():
    comp = {"title": "Quiz 1", "method": "quiz", "kind": "continuous", "weight": 10, "clos": []}
    (change,) = version_diff({"components": []}, {"components": [comp]})
    assert change.after == "Quiz 1 (quiz, continuous) 10%; "


# --- sniff_upload (R-AF-3) -------------------------------------------------------------------------


def _xlsx(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


XLSX = _xlsx("[Content_Types].xml", "xl/workbook.xml")


def sniff(content: bytes, name: str, max_bytes: int = 10 * 1_048_576) -> str:
    return sniff_upload(io.BytesIO(content), name=name, size=len(content), max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (b"%PDF-1.7\n...", "survey.pdf", "pdf"),
        (b"%PDF-1.4", "SURVEY.PDF", "pdf"),
        (XLSX, "survey.xlsx", "xlsx"),
        (b"q,answer\n1,yes\n", "survey.csv", "csv"),
        (b"q;answer\r\n1;yes", "survey.csv", "csv"),
        (b"q\tanswer\n", "survey.csv", "csv"),
        ("\ufeffsoalan,jawapan\nya,tidak\n".encode(), "survey.csv", "csv"),
    ],
)
def test_files_are_known_by_their_content(content, name, kind):
    assert sniff(content, name) == kind


def refusal(content: bytes, name: str, **kw) -> tuple[str, str, str, str]:
    with pytest.raises(UploadRefused) as caught:
        sniff(content, name, **kw)
    p = caught.value.problem
    assert str(caught.value) == p.message
    return p.rule_id, p.code, p.field, p.message


@pytest.mark.parametrize(
    ("content", "name", "code", "message"),
    [
        (b"", "survey.csv", "upload_empty", "The file is empty."),
        (b"just words", "survey.csv", "upload_type", "Only PDF, XLSX or CSV files are accepted; this file is none of them."),
        (b"a,b\x00c\n", "survey.csv", "upload_type", None),
        (b"a,b\x01c\n", "survey.csv", "upload_type", None),
        (b"\xff\xfe,a\n", "survey.csv", "upload_type", None),
        (b"   \n  \n", "survey.csv", "upload_type", None),
        (_xlsx("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"), "survey.xlsx", "upload_type", None),
        (_xlsx("[Content_Types].xml", "word/document.xml"), "survey.xlsx", "upload_type", None),
        (_xlsx("xl/workbook.xml"), "survey.xlsx", "upload_type", None),
        (b"PK\x03\x04 not a zip", "survey.xlsx", "upload_type", None),
        (b"%PDF-1.7", "survey.csv", "upload_type_mismatch", "The file's content is PDF but its name ends in .csv."),
        (b"a,b\n", "survey", "upload_type_mismatch", "The file's content is CSV but its name ends in nothing."),
        (XLSX, "survey.pdf", "upload_type_mismatch", "The file's content is XLSX but its name ends in .pdf."),
    ],
)  # fmt: skip
def test_files_that_are_refused_say_why(content, name, code, message):
    rule, got, field, text = refusal(content, name)
    assert (rule, got, field) == ("R-AF-3", code, "survey_file")
    if message is not None:
        assert text == message


def test_too_large_names_both_sizes():
    content = b"a,b\n" * 300_000  # 1.2 MB
    assert refusal(content, "survey.csv", max_bytes=1_048_576)[1:] == (
        "upload_too_large",
        "survey_file",
        "The file is 1.1 MB; the limit is 1.0 MB.",
    )
    assert sniff(content, "survey.csv", max_bytes=len(content)) == "csv"


def test_a_long_csv_is_judged_by_whole_lines_of_its_start():
    # 64 KB are read; a multi-byte character cut at the end of the sample does not matter.
    content = ("a,é\n" * 20_000).encode()
    assert len(content) > 64 * 1024 and sniff(content, "big.csv") == "csv"
    one_line = b"ab," + "é".encode() * 40_000  # no line break: the cut splits a character
    assert refusal(one_line, "big.csv")[1] == "upload_type"


def test_sizes_are_rounded_to_a_tenth_of_a_megabyte():
    # DOMAIN R-AF-3: 1,101,006 bytes are 1.05000... MB, shown as 1.1 MB (MB = 1,048,576 bytes).
    with pytest.raises(UploadRefused) as refused:
        sniff_upload(io.BytesIO(b"a,b\n"), name="s.csv", size=1_101_006, max_bytes=1_101_005)
    assert refused.value.problem.message == "The file is 1.1 MB; the limit is 1.1 MB."


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"name,comment\nAli,very good\n", "csv"),  # spaces are no control characters
        (b"a,b" + b"x" * 70_000, "csv"),  # one long line without a break: judged as it is
        (("\u00e9,a\n" * 14_000).encode(), "csv"),  # the 64 KB cut falls inside a character
        (b"a,b\n\x01\n" + b"c,d\n" * 20_000, None),  # a control character in the sample's lines
        (b"\xef\xbb\xbf", None),  # a byte-order mark and nothing else
        # exactly 64 KB is read whole: a control character on its last, unfinished line counts
        (b"a,b\n" * 16_383 + b"c\x01de", None),
    ],
)
def test_csv_content_is_judged_by_whole_lines(content, kind):
    # DOMAIN R-AF-3: the survey analysis may be a CSV; only text lines with a delimiter are one.
    if kind is None:
        assert refusal(content, "s.csv")[1] == "upload_type"
    else:
        stream = io.BytesIO(content)
        assert sniff_upload(stream, name="s.csv", size=len(content), max_bytes=10 * 1_048_576) == kind
        assert stream.tell() == 0  # the caller stores the file from its start


# --- input bounds ----------------------------------------------------------------------------------


def test_too_long_and_too_many_name_the_field_and_the_limit():
    data = ProposalData(
        kind="cat3_samc",
        title="x" * 251,
        synopsis="y" * 10_001,
        clos=tuple(CLOData("Explain", "it") for _ in range(31)),
        units=(UnitData("u" * 201, ()),),
    )
    scalar = [(p.code, p.field, p.message) for p in scalar_problems(data) if p.code == "too_long"]
    assert scalar == [
        ("too_long", "title", "At most 250 characters."),
        ("too_long", "synopsis", "At most 10000 characters."),
    ]
    design = [
        (p.code, p.field, p.message) for p in design_problems(data, seed_policy_data()) if p.code.startswith("too")
    ]
    assert ("too_many", "clos", "At most 30 entries.") in design
    assert ("too_long", "units[0].title", "At most 200 characters.") in design
    assert all(p.rule_id == "input" for p in design_problems(data, seed_policy_data()) if p.code.startswith("too"))


# --- the proposal workflow's guards, targets and clocks (R-WF-1, R-WF-3, R-WF-4) ---------------------


def test_milestone_rows():
    # DOMAIN R-WF-1 / R-WF-4: each development milestone: done by the developer, confirmed or
    # returned by CFLEX; confirming reaches the next milestone state.
    rows = wf._milestone_rows()
    assert len(rows) == 3 * (len(wf.MILESTONE_STATES) - 1)
    assert rows[:3] == [
        wf.Transition(S.CFLEX_APPROVED, "milestone_done", wf.Actor.DEVELOPER, S.CFLEX_APPROVED, guard="milestone_open"),
        wf.Transition(S.CFLEX_APPROVED, "milestone_confirm", wf.Actor.CFLEX, S.TABLE4_APPROVED, guard="milestone_done"),
        wf.Transition(
            S.CFLEX_APPROVED,
            "milestone_return",
            wf.Actor.CFLEX,
            S.CFLEX_APPROVED,
            comment_required=True,
            guard="milestone_done",
        ),
    ]
    assert [r.source for r in rows[::3]] == list(wf.MILESTONE_STATES[:-1])
    assert [r.target for r in rows[1::3]] == list(wf.MILESTONE_STATES[1:])
    assert all(r.door == wf.Door.TRANSITION and not r.returnable for r in rows)
    assert all(r.comment_required is (r.action == "milestone_return") for r in rows)


def test_required_registrations():
    # DOMAIN R-WF-1: MQA courses need the MQA and the UNIMAS registration, others only UNIMAS's.
    mqa, unimas = RegistrationKind.MQA.value, RegistrationKind.UNIMAS.value
    assert wf.required_registrations(True) == frozenset({mqa, unimas})
    assert wf.required_registrations(False) == frozenset({unimas})


def _row(guard: str) -> wf.Transition:
    return wf.Transition("a", "act", wf.Actor.CFLEX, "b", guard=guard)


@pytest.mark.parametrize(
    ("guard", "facts", "problem"),
    [
        ("", {}, None),
        ("milestone_open", {"milestone_done": True}, "milestone_already_done"),
        ("milestone_open", {}, None),
        ("milestone_done", {}, "milestone_not_done"),
        ("milestone_done", {"milestone_done": True}, None),
        ("mqa_open", {"accredited": False}, "registration_not_needed"),
        ("mqa_open", {"registrations": frozenset({"mqa"})}, "registration_recorded"),
        ("mqa_open", {"registrations": frozenset({"unimas"})}, None),
        ("on_agenda", {}, "not_on_agenda"),
        ("on_agenda", {"on_agenda": True}, None),
        ("not_on_agenda", {"on_agenda": True}, "already_on_agenda"),
        ("not_on_agenda", {}, None),
        ("unimas_open", {"registrations": frozenset({"unimas"})}, "registration_recorded"),
        ("unimas_open", {"registrations": frozenset({"mqa"})}, None),
        ("registrations_complete", {"registrations": frozenset({"unimas"})}, "registration_incomplete"),
        ("registrations_complete", {"registrations": frozenset({"unimas", "mqa"})}, None),
        ("registrations_complete", {"accredited": False, "registrations": frozenset({"unimas"})}, None),
        ("registrations_complete", {"accredited": False}, "registration_incomplete"),
    ],
)
def test_guard_problem(guard, facts, problem):
    # DOMAIN R-WF-5: an unmet precondition is named, never ignored.
    assert wf.guard_problem(_row(guard), wf.Facts(status="a", **facts)) == problem


def test_targets():
    # DOMAIN R-WF-3: resubmission goes back to the step that returned it (else to submitted);
    # DOMAIN R-WF-4: confirming a milestone skips video steps marked not applicable.
    resubmit = wf.Transition(S.RETURNED, "resubmit", wf.Actor.DEVELOPER, wf.RETURN_TO)
    assert wf.target_of(resubmit, wf.Facts(S.RETURNED, returned_from=S.UPLOADED)) == S.UPLOADED
    assert wf.target_of(resubmit, wf.Facts(S.RETURNED)) == S.SUBMITTED
    confirm = wf.Transition(S.CONTENT_DEVELOPED, "milestone_confirm", wf.Actor.CFLEX, S.VIDEO_MATERIALS)
    assert wf.target_of(confirm, wf.Facts(S.CONTENT_DEVELOPED)) == S.VIDEO_MATERIALS
    assert wf.target_of(confirm, wf.Facts(S.CONTENT_DEVELOPED, video_not_applicable=True)) == S.UPLOADED
    video = wf.Transition(S.VIDEO_MATERIALS, "milestone_confirm", wf.Actor.CFLEX, S.PROMO_VIDEO)
    assert wf.target_of(video, wf.Facts(S.VIDEO_MATERIALS)) == S.PROMO_VIDEO
    plain = wf.Transition(S.SUBMITTED, "head_approve", wf.Actor.HEAD_OF_PTJ, S.HEAD_APPROVED)
    assert wf.target_of(plain, wf.Facts(S.SUBMITTED, returned_from=S.UPLOADED)) == S.HEAD_APPROVED


def test_progress_days_and_overdue():
    # DOMAIN R-WF-4: a returned proposal keeps the progress of the step that returned it.
    progress = {S.SUBMITTED: 5, S.UPLOADED: 60}
    assert wf.progress_of(S.RETURNED, S.UPLOADED, progress) == 60
    assert wf.progress_of(S.SUBMITTED, S.UPLOADED, progress) == 5
    assert wf.progress_of(S.DRAFT, "", progress) == 0
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert wf.days_between(start, start + timedelta(days=3, hours=23)) == 3
    assert wf.days_between(start, start - timedelta(days=2)) == 0
    days = {S.SUBMITTED: 5}
    assert not wf.is_overdue(S.SUBMITTED, start, start + timedelta(days=5, hours=1), days)
    assert wf.is_overdue(S.SUBMITTED, start, start + timedelta(days=6), days)
    assert not wf.is_overdue(S.DRAFT, start, start + timedelta(days=600), days)


def test_code_taken_problem():
    # DOMAIN R-NM-2
    from courses.policies.data import Problem
    from courses.policies.naming import code_taken_problem

    assert code_taken_problem("TMN4013MC") == Problem(
        "R-NM-2", "code_taken", "The code TMN4013MC is already used by another proposal.", "code"
    )


def test_quality_reference_validity():
    # DOMAIN R-CR-6: a QVC verification runs 36 months less a day; lapsed from the day after;
    # reminders at 6 and 1 months before, each once, never after it lapsed.
    from datetime import date

    from courses.policies.quality import is_lapsed, qvc_latest_until, reminders_due

    assert qvc_latest_until(date(2026, 1, 1), 36) == date(2028, 12, 31)
    assert qvc_latest_until(date(2026, 3, 15), 1) == date(2026, 4, 14)
    until = date(2028, 12, 31)
    assert not is_lapsed(until, until) and is_lapsed(until, date(2029, 1, 1))
    assert reminders_due(until, date(2028, 6, 29), (6, 1)) == []
    assert reminders_due(until, date(2028, 6, 30), (6, 1)) == [6]
    assert reminders_due(until, date(2028, 11, 29), (1, 6)) == [6]
    assert reminders_due(until, date(2028, 11, 30), (1, 6)) == [6, 1]
    assert reminders_due(until, date(2028, 12, 1), (1, 6, 0, -1)) == [6, 1]
    assert reminders_due(until, until, (6, 1)) == [6, 1]
    assert reminders_due(until, until, (6, 1, 0)) == [6, 1]  # "0 months before" is the lapse, not a reminder
    assert reminders_due(until, date(2029, 1, 1), (6, 1)) == []


def test_part_credits_and_code_examples():
    # DOMAIN R-NM-2 / R-NM-3
    from courses.policies.data import Problem
    from courses.policies.naming import code_example, part_credit_problems

    assert part_credit_problems(None, 3, []) == [
        Problem("R-NM-3", "part_credits_required", "Give the credits of this part of the course.", "part_credits")
    ]
    assert part_credit_problems(0, 3, []) == part_credit_problems(None, 3, [])
    assert part_credit_problems(3, 3, []) == [
        Problem(
            "R-NM-3",
            "part_credits_too_large",
            "A part has fewer credits than its course (3); for the whole course choose Category 1 whole.",
            "part_credits",
        )
    ]
    assert part_credit_problems(1, 3, [1]) == [
        Problem(
            "R-NM-3",
            "parts_credits_mismatch",
            "The parts of this course proposed so far add up to 2 of its 3 credits.",
            "part_credits",
            blocking=False,
        )
    ]
    assert part_credit_problems(1, 3, [1, 1]) == [] and part_credit_problems(2, 3, [1]) == []
    assert code_example("cat1_whole", "TMN4013", None) == "TMN4013MC"
    assert code_example("cat1_whole", None, None) == "TMUI233MC"
    assert code_example("cat1_part", "TMN4013", 2) == "TMN4012MCA"
    assert code_example("cat1_part", None, None) == "TMN4031MCA"
    assert code_example("cat3_qvc", None, None) == "MCV001"
    assert code_example("cat3_samc", "X", 1) == "MC001"


# --- Every problem in full: rule ID, code, words and field path (issue 14) ---------------------------
# Each case states the one Problem a rule gives, so a wrong rule ID, code, message, field path or
# boundary (< against <=, an off-by-one limit) turns the test red.


D = Decimal
WHOLE, PART, SAMC, QVC = ProposalKind.CAT1_WHOLE, ProposalKind.CAT1_PART, ProposalKind.CAT3_SAMC, ProposalKind.CAT3_QVC
FEE_WORDS = "A fee in MYR from 0.00 to 9999999.99, in sen."


def _long(field: str, limit: int) -> Problem:
    return Problem("input", "too_long", f"At most {limit} characters.", field)


def _verb_long(field: str) -> Problem:
    # Issue 17: the verb's limit says what an action verb is.
    return Problem(
        "input", "too_long", "An action verb is a word or two, such as “explain”: at most 60 characters.", field
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"kind": "cat2"}, [Problem("R-CAT-4", "kind_unknown", "Choose a category and type.", "kind")]),
        ({"title": "M" * 250}, []),
        ({"title": "M" * 251}, [_long("title", 250)]),
        ({"code": "C" * 20}, []),
        ({"code": "C" * 21}, [_long("code", 20)]),
        ({"study_session": "s" * 60}, []),
        ({"study_session": "s" * 61}, [_long("study_session", 60)]),
        ({"ptg_reference": "p" * 60}, []),
        ({"ptg_reference": "p" * 61}, [_long("ptg_reference", 60)]),
        ({"justification": "j" * 10_000}, []),
        *[
            ({name: "t" * 10_001}, [_long(name, 10_000)])
            for name in (
                "justification",
                "objectives",
                "entry_requirements",
                "synopsis",
                "learner_commitment",
                "promotion",
                "continuous_improvement",
            )
        ],
        ({"delivery_mode": ""}, []),
        ({"delivery_mode": DeliveryMode.BLENDED}, []),
        (
            {"delivery_mode": "hybrid"},
            [Problem("input", "delivery_mode_unknown", "Choose ODL, conventional or blended.", "delivery_mode")],
        ),
        ({"course_level": None}, []),
        ({"course_level": 1}, []),
        ({"course_level": 8}, []),
        *[
            (
                {"course_level": level},
                [Problem("input", "course_level_unknown", "Choose an MQF level from 1 to 8.", "course_level")],
            )
            for level in (0, 9)
        ],
        ({"part_credits": None}, []),
        ({"part_credits": 1}, []),
        ({"part_credits": 9}, []),
        *[
            (
                {"part_credits": credits},
                [
                    Problem(
                        "R-NM-3",
                        "part_credits_range",
                        "A part has 1 to 9 credits (one digit of its code).",
                        "part_credits",
                    )
                ],
            )
            for credits in (0, 10)
        ],
        ({"fee": None}, []),
        ({"fee": D("0")}, []),
        ({"fee": D("9999999.99")}, []),
        ({"fee": D("12.5")}, []),
        *[
            ({"fee": fee}, [Problem("input", "fee_range", FEE_WORDS, "fee")])
            for fee in (D("-0.01"), D("10000000.00"), D("1.005"))
        ],
        ({"survey_respondents": None}, []),
        ({"survey_respondents": 0}, []),
        ({"survey_respondents": 1_000_000}, []),
        *[
            (
                {"survey_respondents": count},
                [
                    Problem(
                        "R-AF-3",
                        "survey_respondents_range",
                        "A number of respondents, 0 or more.",
                        "survey_respondents",
                    )
                ],
            )
            for count in (-1, 1_000_001)
        ],
        ({"offer_start": date(2026, 9, 1), "offer_end": date(2026, 9, 1)}, []),
        ({"offer_start": None, "offer_end": date(2026, 1, 1)}, []),
        ({"offer_start": date(2026, 9, 1), "offer_end": None}, []),
        (
            {"offer_start": date(2026, 9, 2), "offer_end": date(2026, 9, 1)},
            [Problem("input", "offer_period_order", "The offer period ends before it starts.", "offer_end")],
        ),
    ],
)
def test_scalar_problem_in_full(changes, expected):
    # DOMAIN R-CAT-4 (the kind), R-NM-3 (a part's credit digit), R-AF-3 (respondents): bounds of a save.
    assert scalar_problems(dataclasses.replace(ready_data(PART), **changes)) == expected


def test_scalar_problems_are_listed_together_in_order():
    data = dataclasses.replace(
        ready_data(PART), kind="x", title="T" * 251, synopsis="s" * 10_001, fee=D("-1"), course_level=0
    )
    assert [p.code for p in scalar_problems(data)] == [
        "kind_unknown",
        "too_long",
        "too_long",
        "course_level_unknown",
        "fee_range",
    ]
    assert [p.field for p in scalar_problems(data)] == ["kind", "title", "synopsis", "course_level", "fee"]


@pytest.mark.parametrize(
    ("clo", "expected"),
    [
        (CLOData("v" * 60, "o" * 10_000, "c" * 10_000, "k" * 10_000, 1, 1), []),
        (CLOData(mqf_level=8, effort_hours=10_000), []),
        (CLOData(), []),
        (CLOData("v" * 61), [_verb_long("clos[2].verb")]),
        (CLOData(outcome="o" * 10_001), [_long("clos[2].outcome", 10_000)]),
        (CLOData(criteria="c" * 10_001), [_long("clos[2].criteria", 10_000)]),
        (CLOData(conditions="k" * 10_001), [_long("clos[2].conditions", 10_000)]),
        *[
            (
                CLOData(mqf_level=level),
                [Problem("R-AF-4", "clo_mqf_level_unknown", "Choose an MQF level from 1 to 8.", "clos[2].mqf_level")],
            )
            for level in (0, 9)
        ],
        *[
            (
                CLOData(effort_hours=hours),
                [
                    Problem(
                        "R-AF-4",
                        "clo_effort_range",
                        "Learning effort is a whole number of hours from 1 to 10000.",
                        "clos[2].effort_hours",
                    )
                ],
            )
            for hours in (0, 10_001)
        ],
    ],
)
def test_clo_input_problem_in_full(clo, expected):
    # DOMAIN R-AF-4: a CLO's MQF level and learning effort; its texts are bounded.
    assert clo_input_problems(clo, 2) == expected


def test_design_problems_name_each_item_by_its_path(policy):
    # DOMAIN R-SLT-2 (lines), R-AS-1 (components): every refused item is named by its place.
    from courses.policies.inputs import design_problems as design

    assert design(ready_data(), policy) == []
    data = dataclasses.replace(
        ready_data(),
        clos=(CLOData(), CLOData(verb="v" * 61)),
        units=(
            UnitData("u" * 200, (LineData("slide", 1, D(7)),)),
            UnitData("u" * 201, (LineData("slide", 1, D(7)), LineData("juggling", 0, D(7)))),
        ),
        components=(
            ComponentData(AM.QUIZ, AK.CONTINUOUS, 50, "c" * 200, 1, (1,)),
            ComponentData("dance", AK.FINAL, 50, "c" * 201, 3, (1,)),
        ),
    )
    assert design(data, policy) == [
        _verb_long("clos[1].verb"),
        _long("units[1].title", 200),
        Problem(
            "R-SLT-2",
            "slt_quantity_out_of_range",
            "The quantity must be a whole number from 1 to 10000.",
            "units[1].lines[1].quantity",
        ),
        Problem(
            "R-SLT-1", "slt_activity_unknown", "Choose an activity from the SLT table.", "units[1].lines[1].activity"
        ),
        _long("components[1].title", 200),
        Problem("R-AS-1", "assessment_method_unknown", "Choose a method.", "components[1].method"),
        Problem("R-AS-3", "assessment_unit_unknown", "Unit 3 does not exist.", "components[1].unit"),
    ]


@pytest.mark.parametrize(
    ("field", "limit", "make"),
    [
        ("clos", 30, lambda n: {"clos": (CLOData(),) * n}),
        ("units", 40, lambda n: {"units": (UnitData("u", (LineData("slide", 1, D(7)),)),) * n}),
        ("components", 50, lambda n: {"components": (ComponentData(AM.QUIZ, AK.CONTINUOUS, 1),) * n}),
        ("units[0].lines", 30, lambda n: {"units": (UnitData("u", (LineData("slide", 1, D(7)),) * n),)}),
    ],
)
def test_design_counts_are_bounded(policy, field, limit, make):
    # Input bounds (courses/policies/limits.py): the limit itself is kept, one more is refused.
    from courses.policies.inputs import design_problems as design

    too_many = Problem("input", "too_many", f"At most {limit} entries.", field)
    assert too_many not in design(dataclasses.replace(ready_data(), **make(limit)), policy)
    assert too_many in design(dataclasses.replace(ready_data(), **make(limit + 1)), policy)


def test_origin_input_problems_in_full():
    # DOMAIN R-CAT-5: never from a Foundation programme; R-CAT-1: the course is one of the programme's.
    sk29 = ProgrammeFacts("SK29", "Bachelor", False)
    asc = ProgrammeFacts("ASC", "Foundation in Science", True)
    course = CourseFacts("TMUI233", "Intro", 3, False)
    data = ready_data()
    assert origin_input_problems(ProposalSnapshot(data, sk29, course, True)) == []
    assert origin_input_problems(ProposalSnapshot(data, None, course, False)) == []
    assert origin_input_problems(ProposalSnapshot(data, sk29, None, False)) == []
    assert origin_input_problems(ProposalSnapshot(data, asc, course, True)) == [
        Problem(
            "R-CAT-5",
            "origin_foundation",
            "Micro-credentials cannot be made from Foundation programmes.",
            "origin_programme",
        )
    ]
    assert origin_input_problems(ProposalSnapshot(data, sk29, course, False)) == [
        Problem("R-CAT-1", "origin_course_not_in_programme", "TMUI233 is not a course of SK29.", "origin_course")
    ]


def test_input_problems_add_origin_qualification_name_and_code_in_use(policy):
    # DOMAIN R-NM-1 (a qualification's name), R-NM-2 (a code in use), refused on every save.
    snapshot = ready_snapshot(
        WHOLE,
        data=ready_data(WHOLE, title="Micro-Credential in Diploma in Computer Science", fee=D("-1")),
        code_taken=True,
        course_in_programme=False,
    )
    assert input_problems(snapshot, policy) == [
        Problem("input", "fee_range", FEE_WORDS, "fee"),
        Problem("R-CAT-1", "origin_course_not_in_programme", "TMUI233 is not a course of SK29.", "origin_course"),
        Problem(
            "R-NM-1",
            "title_is_qualification",
            'The title may not be the name of the accredited qualification "Diploma in Computer Science".',
            "title",
        ),
        Problem("R-NM-2", "code_taken", "The code TMUI233MC is already used by another proposal.", "code"),
    ]
    assert input_problems(with_data(ready_snapshot(WHOLE, code_taken=True), code=""), policy) == []


# --- assessment (R-AS-1..5) --------------------------------------------------------------------


def _component(**changes) -> ComponentData:
    return dataclasses.replace(ComponentData(AM.QUIZ, AK.CONTINUOUS, 40, "Quiz", 1, (1,)), **changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"weight": 1}, []),
        ({"weight": 100}, []),
        ({"unit": None}, []),
        ({"unit": 2}, []),
        ({"clos": (1, 3)}, []),
        ({"retake_allowed": True}, []),
        (
            {"method": "dance"},
            [Problem("R-AS-1", "assessment_method_unknown", "Choose a method.", "components[4].method")],
        ),
        (
            {"kind": "midterm"},
            [Problem("R-AS-1", "assessment_kind_unknown", "Choose continuous or final.", "components[4].kind")],
        ),
        *[
            (
                {"weight": weight},
                [
                    Problem(
                        "R-AS-1",
                        "assessment_weight_range",
                        "A weight is a whole percentage from 1 to 100.",
                        "components[4].weight",
                    )
                ],
            )
            for weight in (0, 101)
        ],
        (
            {"method": AM.FORUM, "retake_allowed": True},
            [
                Problem(
                    "R-AS-4",
                    "assessment_retake_not_quiz",
                    "Only online quizzes may be retaken.",
                    "components[4].retake_allowed",
                )
            ],
        ),
        *[
            (
                {"unit": unit},
                [Problem("R-AS-3", "assessment_unit_unknown", f"Unit {unit} does not exist.", "components[4].unit")],
            )
            for unit in (0, 3)
        ],
        *[
            (
                {"clos": clos},
                [
                    Problem(
                        "R-AS-2",
                        "assessment_clo_unknown",
                        "Map the component to existing CLOs, each once.",
                        "components[4].clos",
                    )
                ],
            )
            for clos in ((0,), (4,), (1, 1), (2, 5))
        ],
    ],
)
def test_component_problem_in_full(changes, expected):
    # DOMAIN R-AS-1 (method, kind, weight 1-100), R-AS-2 (CLOs), R-AS-3 (unit), R-AS-4 (retakes).
    assert component_problems(_component(**changes), 4, clo_count=3, unit_count=2) == expected


def test_assessment_problems_in_full(policy):
    # DOMAIN R-AS-1: weights add to 100 with continuous and final parts; R-AS-2: both ways mapped;
    # R-AS-3: every unit assessed.
    assert assessment_problems(CLOS, UNITS, COMPONENTS, policy) == []
    assert assessment_problems(CLOS, UNITS, (), policy) == [
        Problem("R-AS-1", "assessment_empty", "Add the components of the assessment plan.", "components")
    ]
    three_clos = (*CLOS, CLOS[0])
    only_continuous = (_component(clos=(), unit=None, weight=60), _component(clos=(2,), unit=None, weight=30))
    no_assessment = (
        UnitData("Reading", (LineData("reading", 1, D(7)),)),
        UnitData("Quiz", (LineData("quiz", 1, D(4)),)),
    )
    assert assessment_problems(three_clos, no_assessment, only_continuous, policy) == [
        Problem(
            "R-AS-1",
            "assessment_weights_sum",
            "The weights add up to 90%; they must add up to exactly 100%.",
            "components",
        ),
        Problem(
            "R-AS-1", "assessment_kinds_missing", "The plan needs both continuous and final components.", "components"
        ),
        Problem("R-AS-2", "component_without_clo", "Component 1 is not mapped to any CLO.", "components[0].clos"),
        Problem("R-AS-2", "clo_not_assessed", "CLO1 is not assessed by any component.", "clos[0]"),
        Problem("R-AS-2", "clo_not_assessed", "CLO3 is not assessed by any component.", "clos[2]"),
        Problem("R-AS-3", "unit_without_assessment", "Unit 1 has no assessment.", "units[0]"),
    ]
    only_final = (_component(kind=AK.FINAL, weight=100, clos=(1, 2), unit=2),)
    assert assessment_problems(CLOS, no_assessment, only_final, policy) == [
        Problem(
            "R-AS-1", "assessment_kinds_missing", "The plan needs both continuous and final components.", "components"
        ),
        Problem("R-AS-3", "unit_without_assessment", "Unit 1 has no assessment.", "units[0]"),
    ]
    # An activity the policy does not know is no assessment line.
    unknown_activity = (UnitData("Odd", (LineData("juggling", 1, D(7)),)),)
    assert assessment_problems(CLOS, unknown_activity, only_final, policy)[-1] == Problem(
        "R-AS-3", "unit_without_assessment", "Unit 1 has no assessment.", "units[0]"
    )


# --- naming (R-NM-1..3) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Micro-Credential in Data Mining", []),
        ("  micro-credential   IN  data mining ", []),
        ("", [Problem("R-NM-1", "title_required", "Give the micro-credential a title.", "title")]),
        ("   ", [Problem("R-NM-1", "title_required", "Give the micro-credential a title.", "title")]),
        *[
            (title, [Problem("R-NM-1", "title_prefix", 'The title must read "Micro-Credential in <title>".', "title")])
            for title in ("Data Mining", "Micro-Credential in", "Micro-Credential in  ", "A Micro-Credential in Data")
        ],
    ],
)
def test_title_problem_in_full(title, expected):
    # DOMAIN R-NM-1
    assert title_problems(title) == expected


@pytest.mark.parametrize(
    ("title", "names", "expected_name"),
    [
        ("Micro-Credential in Data Mining", ("Data Science",), None),
        ("Introduction to the Data Science", ("Data Science",), None),  # no prefix: compared whole
        ("Micro-Credential in Data Science", ("data  SCIENCE",), "data  SCIENCE"),
        ("Data Science", ("Data Science",), "Data Science"),
        ("Micro-Credential in Data Science", ("Micro-Credential in data science",), "Micro-Credential in data science"),
        ("Micro-Credential in Data Science", ("Other", "Data Science", "Data"), "Data Science"),
        ("Micro-Credential in ", ("Micro-Credential in",), "Micro-Credential in"),
    ],
)
def test_qualification_name_problem_in_full(title, names, expected_name):
    # DOMAIN R-NM-1: neither the title nor its subject equals a qualification's name (case and
    # spacing aside); the message names the qualification as stored.
    expected = (
        []
        if expected_name is None
        else [
            Problem(
                "R-NM-1",
                "title_is_qualification",
                f'The title may not be the name of the accredited qualification "{expected_name}".',
                "title",
            )
        ]
    )
    assert qualification_name_problems(title, names) == expected


@pytest.mark.parametrize(
    ("kind", "code", "origin", "part", "example"),
    [
        (WHOLE, "TMUI233MC", "TMUI233", None, None),
        (WHOLE, "tmui233mc", "TMUI233", None, None),
        (WHOLE, "TMUI233MCX", "TMUI233", None, "TMUI233MC"),
        (WHOLE, "XTMUI233MC", "TMUI233", None, "TMUI233MC"),
        (WHOLE, "ANYTHING", None, None, None),
        (WHOLE, "SKM3024", "SKM3024", None, "SKM3024MC"),  # the example is built from the origin
        (PART, "TMN4031MCA", "TMN4033", 1, None),
        (PART, "SKM3024MCA", "SKM3024", 2, "SKM3022MCA"),  # ...and from the part's credits
        (PART, "TMN4031MCZ", "TMN4033", 1, None),
        (PART, "TMN4032MCA", "TMN4033", 1, "TMN4031MCA"),
        (PART, "TMN4031MC1", "TMN4033", 1, "TMN4031MCA"),
        (PART, "TMN4031MCAB", "TMN4033", 1, "TMN4031MCA"),
        (PART, "ANY", None, 1, None),
        (PART, "ANY", "TMN4033", None, None),
        (SAMC, "MC001", None, None, None),
        (SAMC, "MC999", None, None, None),
        (SAMC, "MC000", None, None, "MC001"),
        (SAMC, "MC01", None, None, "MC001"),
        (SAMC, "MC0001", None, None, "MC001"),
        (SAMC, "MCV001", None, None, "MC001"),
        (QVC, "MCV001", None, None, None),
        (QVC, "MCV000", None, None, "MCV001"),
        (QVC, "MC001", None, None, "MCV001"),
        (QVC, "MCV1234", None, None, "MCV001"),
    ],
)
def test_code_problem_in_full(kind, code, origin, part, example):
    # DOMAIN R-NM-2 (the forms of a code), R-NM-3 (a part's credit digit and letter).
    expected = (
        []
        if example is None
        else [Problem("R-NM-2", "code_format", f"A code of this type looks like {example}.", "code")]
    )
    assert code_problems(kind, code, origin, part) == expected
    assert code_problems(kind, "", origin, part) == [
        Problem("R-NM-2", "code_required", "Give the micro-credential a code.", "code")
    ]


@pytest.mark.parametrize(
    ("kind", "origin", "part", "taken", "expected"),
    [
        (WHOLE, "TMUI233", None, (), "TMUI233MC"),
        (WHOLE, None, None, (), ""),
        (PART, "TMN4033", 1, (), "TMN4031MCA"),
        (PART, "TMN4033", 2, ("tmn4031mca", "TMN4032MCB"), "TMN4032MCC"),
        (PART, "TMN4033", 1, ("TMN4031MCA", "TMN4032MCA", "XTMN4031MCB", "TMN4031MCBB"), "TMN4031MCB"),
        (PART, "TMN4033", 1, tuple(f"TMN4031MC{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), ""),
        (PART, None, 1, (), ""),
        (PART, "TMN4033", None, (), ""),
        (SAMC, None, None, (), "MC001"),
        (SAMC, None, None, ("mc001", "MC002", "MCV003", "MC0003"), "MC003"),
        (SAMC, None, None, tuple(f"MC{n:03d}" for n in range(1, 1000)), ""),
        (QVC, None, None, ("MC001", "MCV001"), "MCV002"),
        (QVC, None, None, tuple(f"MCV{n:03d}" for n in range(1, 999)), "MCV999"),
    ],
)
def test_suggest_code_in_full(kind, origin, part, taken, expected):
    # DOMAIN R-NM-2 / R-NM-3: the first free code of the series; letters of a divided course are
    # shared by all its parts.
    assert suggest_code(kind, origin, part, taken) == expected


@pytest.mark.parametrize(
    ("part", "others", "expected"),
    [
        (1, (1, 1), []),
        (2, (1,), []),
        (
            None,
            (),
            [
                Problem(
                    "R-NM-3", "part_credits_required", "Give the credits of this part of the course.", "part_credits"
                )
            ],
        ),
        (
            0,
            (),
            [
                Problem(
                    "R-NM-3", "part_credits_required", "Give the credits of this part of the course.", "part_credits"
                )
            ],
        ),
        *[
            (
                credits,
                (),
                [
                    Problem(
                        "R-NM-3",
                        "part_credits_too_large",
                        "A part has fewer credits than its course (3); for the whole course choose Category 1 whole.",
                        "part_credits",
                    )
                ],
            )
            for credits in (3, 4)
        ],
        (
            1,
            (1,),
            [
                Problem(
                    "R-NM-3",
                    "parts_credits_mismatch",
                    "The parts of this course proposed so far add up to 2 of its 3 credits.",
                    "part_credits",
                    blocking=False,
                )
            ],
        ),
        (
            2,
            (1, 1),
            [
                Problem(
                    "R-NM-3",
                    "parts_credits_mismatch",
                    "The parts of this course proposed so far add up to 4 of its 3 credits.",
                    "part_credits",
                    blocking=False,
                )
            ],
        ),
    ],
)
def test_part_credit_problem_in_full(part, others, expected):
    # DOMAIN R-NM-3: a part is smaller than its course; the parts adding up is a warning only.
    assert part_credit_problems(part, 3, others) == expected


# --- SLT lines and rates (R-SLT-1, R-SLT-2) ------------------------------------------------------


@pytest.mark.parametrize(
    ("activity", "rate", "expected"),
    [
        ("slide", D(5), None),
        ("slide", D(10), None),
        ("slide", D("7.55"), None),
        ("juggling", D(5), Problem("R-SLT-1", "slt_activity_unknown", "Choose an activity from the SLT table.", "f")),
        ("slide", D("7.555"), Problem("R-SLT-2", "slt_rate_precision", "A rate has at most two decimals.", "f")),
        (
            "slide",
            D("4.99"),
            Problem(
                "R-SLT-2", "slt_rate_out_of_range", "4.99 min per 1 slide is outside the policy range of 5-10 min.", "f"
            ),
        ),
        (
            "slide",
            D("10.50"),
            Problem(
                "R-SLT-2", "slt_rate_out_of_range", "10.5 min per 1 slide is outside the policy range of 5-10 min.", "f"
            ),
        ),
        (
            "assignment_video",
            D(31),
            Problem(
                "R-SLT-2",
                "slt_rate_out_of_range",
                "31 min per 1 min of video is outside the policy range of 20-30 min.",
                "f",
            ),
        ),
    ],
)
def test_rate_problem_in_full(policy, activity, rate, expected):
    # DOMAIN R-SLT-1 (the activities), R-SLT-2 (the rate inside the range, ends included).
    assert rate_problem(activity, rate, policy, "f") == expected


def test_rate_problem_names_the_rate_field_by_default(policy):
    # DOMAIN R-SLT-2
    assert rate_problem("slide", D(11), policy).field == "rate_minutes"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (LineData("slide", 1, D(5)), []),
        (LineData("slide", 10_000, D(5)), []),
        *[
            (
                LineData("slide", quantity, D(5)),
                [
                    Problem(
                        "R-SLT-2",
                        "slt_quantity_out_of_range",
                        "The quantity must be a whole number from 1 to 10000.",
                        "u.quantity",
                    )
                ],
            )
            for quantity in (0, -1, 10_001)
        ],
        (
            LineData("juggling", 0, D(5)),
            [
                Problem(
                    "R-SLT-2",
                    "slt_quantity_out_of_range",
                    "The quantity must be a whole number from 1 to 10000.",
                    "u.quantity",
                ),
                Problem("R-SLT-1", "slt_activity_unknown", "Choose an activity from the SLT table.", "u.activity"),
            ],
        ),
        (
            LineData("quiz", 3, D(6)),
            [
                Problem(
                    "R-SLT-2",
                    "slt_rate_out_of_range",
                    "6 min per 1 question is outside the policy range of 3-5 min.",
                    "u.rate_minutes",
                )
            ],
        ),
    ],
)
def test_line_problem_in_full(policy, line, expected):
    # DOMAIN R-SLT-2: a sane quantity and a known activity; the path names the field at fault.
    assert line_problems(line, policy, "u") == expected


# --- readiness (R-AF-1..4, R-CAT-1, R-SLT-1/3/4, R-WF-6) ------------------------------------------


@pytest.mark.parametrize("kind", [WHOLE, PART, SAMC, QVC])
def test_a_ready_proposal_has_no_problem(policy, kind):
    # DOMAIN R-SLT-3: the ready part (1 credit) has the whole course's Table 4: a warning, no more.
    warnings = [p.code for p in proposal_readiness(ready_snapshot(kind), policy)]
    assert warnings == (["slt_credit_mismatch"] if kind == PART else [])


@pytest.mark.parametrize(("kind", "rule"), [(WHOLE, "R-AF-1"), (PART, "R-AF-1"), (SAMC, "R-AF-2"), (QVC, "R-AF-2")])
def test_form_problems_in_full(kind, rule):
    # DOMAIN R-AF-1 / R-AF-2: each field of the form is filled; the rule is the form's.
    empty = with_data(
        ready_snapshot(kind),
        justification=" ",
        entry_requirements="",
        synopsis="",
        study_session="",
        learner_commitment="",
        promotion="",
        continuous_improvement="\n",
        lecturer_ids=(),
        offer_start=None,
        offer_end=None,
        course_level=None,
        fee=None,
    )
    labels = [
        ("justification", "justification"),
        ("entry_requirements", "entry requirements"),
        ("synopsis", "synopsis"),
        ("study_session", "study session"),
        ("learner_commitment", "learner commitment"),
        ("promotion", "promotion"),
        ("continuous_improvement", "continuous improvement"),
    ]
    assert rd.form_problems(empty) == [
        *[Problem(rule, "field_required", f"Fill in the {label}.", field) for field, label in labels],
        Problem(rule, "lecturers_required", "Name at least one lecturer who delivers it.", "lecturers"),
        Problem(rule, "field_required", "Fill in the start of the offer period.", "offer_start"),
        Problem(rule, "field_required", "Fill in the end of the offer period.", "offer_end"),
        Problem(rule, "field_required", "Fill in the course level.", "course_level"),
        Problem(rule, "field_required", "Fill in the fee (MYR; 0 for free).", "fee"),
    ]
    assert rd.form_problems(with_data(ready_snapshot(kind), fee=D(0), lecturer_ids=(5,))) == []


def test_origin_problems_in_full():
    # DOMAIN R-CAT-1 (the origin), R-NM-3 (a part's credits).
    required = [
        Problem(
            "R-CAT-1",
            "origin_required",
            "Choose the accredited course (and its programme) this micro-credential comes from.",
            "origin_course",
        )
    ]
    assert rd.origin_problems(ready_snapshot(WHOLE)) == []
    assert rd.origin_problems(ready_snapshot(WHOLE, origin_course=None)) == required
    assert rd.origin_problems(ready_snapshot(PART, origin_programme=None)) == required
    assert rd.origin_problems(ready_snapshot(SAMC, origin_course=None, origin_programme=None)) == []
    assert rd.origin_problems(with_data(ready_snapshot(PART), part_credits=3)) == [
        Problem(
            "R-NM-3",
            "part_credits_too_large",
            "A part has fewer credits than its course (3); for the whole course choose Category 1 whole.",
            "part_credits",
        )
    ]
    assert rd.origin_problems(ready_snapshot(PART, other_part_credits=(1,)))[0].code == "parts_credits_mismatch"


@pytest.mark.parametrize(
    ("kind", "respondents", "file", "expected"),
    [
        (SAMC, 30, True, []),
        (QVC, 30, True, []),
        (WHOLE, 0, False, []),
        (PART, None, False, []),
        (
            SAMC,
            29,
            True,
            [
                Problem(
                    "R-AF-3",
                    "survey_too_few_respondents",
                    "The market survey has 29 respondents; a SAMC needs at least 30.",
                    "survey_respondents",
                )
            ],
        ),
        (
            QVC,
            None,
            False,
            [
                Problem(
                    "R-AF-3",
                    "survey_too_few_respondents",
                    "The market survey has 0 respondents; a SAMC needs at least 30.",
                    "survey_respondents",
                ),
                Problem(
                    "R-AF-3",
                    "survey_file_missing",
                    "Attach the analysis of the market survey (PDF, XLSX or CSV).",
                    "survey_file",
                ),
            ],
        ),
    ],
)
def test_survey_problems_in_full(policy, kind, respondents, file, expected):
    # DOMAIN R-AF-3: at least 30 respondents (policy data) and the analysis attached.
    snapshot = with_data(ready_snapshot(kind, survey_file_present=file), survey_respondents=respondents)
    assert rd.survey_problems(snapshot, policy) == expected


def test_survey_minimum_is_policy_data():
    # DOMAIN R-AF-3: the 30 is the policy's.
    snapshot = with_data(ready_snapshot(SAMC), survey_respondents=30)
    assert [p.message for p in rd.survey_problems(snapshot, seed_policy_data(market_survey_min_respondents=31))] == [
        "The market survey has 30 respondents; a SAMC needs at least 31."
    ]


def test_clo_problems_in_full():
    # DOMAIN R-AF-4: each CLO has a verb, outcome, criteria, conditions, MQF level and effort.
    assert rd.clo_problems(ready_snapshot()) == []
    assert rd.clo_problems(with_data(ready_snapshot(), clos=())) == [
        Problem("R-AF-4", "clos_required", "Add the course learning outcomes.", "clos")
    ]
    clos = (
        CLOS[0],
        CLOData(" ", "\t", "", " "),
        CLOData("Explain", "x", "y", "z", 6, None),
        CLOData("E", "x", "y", "z", None, 1),
    )
    assert rd.clo_problems(with_data(ready_snapshot(), clos=clos)) == [
        # Issue 17: each missing part at its own field; a CLO with no part at all is one problem.
        Problem("R-AF-4", "clo_empty", "CLO2 is empty: write its parts, or remove it.", "clos[1]"),
        Problem("R-AF-4", "clo_incomplete", "CLO3 needs the learning effort in hours.", "clos[2].effort_hours"),
        Problem("R-AF-4", "clo_incomplete", "CLO4 needs an MQF level.", "clos[3].mqf_level"),
    ]


def test_valid_units_keep_only_valid_lines(policy):
    # DOMAIN R-SLT-2: totals never count a line a save would refuse.
    units = (UnitData("A", (LineData("slide", 2, D(7)), LineData("slide", 0, D(7)), LineData("slide", 2, D(11)))),)
    assert rd.valid_units(units, policy) == (UnitData("A", (LineData("slide", 2, D(7)),)),)


def test_table4_problems_in_full(policy):
    # DOMAIN R-SLT-1: Table 4 has units with lines; R-SLT-2: rates in range; R-SLT-3: the credit
    # value matches a whole course (a part's mismatch is a warning).
    def problems(snapshot):
        totals = rd.slt_totals(rd.valid_units(snapshot.data.units, policy), policy)
        return rd.table4_problems(snapshot, totals, policy)

    assert problems(ready_snapshot(WHOLE)) == []
    assert problems(with_data(ready_snapshot(WHOLE), units=())) == [
        Problem("R-SLT-1", "table4_empty", "Add the learning units of Table 4.", "units")
    ]
    units = (UNITS[0], UnitData("Empty"), UnitData("Odd", (LineData("slide", 1, D(7)), LineData("slide", 1, D(12)))))
    assert problems(with_data(ready_snapshot(SAMC), units=units)) == [
        Problem("R-SLT-1", "unit_empty", "Unit 2 has no lines.", "units[1]"),
        Problem(
            "R-SLT-2",
            "slt_rate_out_of_range",
            "12 min per 1 slide is outside the policy range of 5-10 min.",
            "units[2].lines[1].rate_minutes",
        ),
    ]
    # 3380 min = 56.33 h against 3 credits x 40 h = 120 h (108-132).
    short = (UNITS[0],)
    mismatch = Problem(
        "R-SLT-3",
        "slt_credit_mismatch",
        "Table 4 totals 56.3 hours; 3 credits need 120 hours (108-132 within the tolerance).",
        "units",
    )
    assert problems(with_data(ready_snapshot(WHOLE), units=short)) == [mismatch]
    # A 1-credit part needs 40 h (36-44): 56.3 h is a warning only.
    assert problems(with_data(ready_snapshot(PART), units=short)) == [
        Problem(
            "R-SLT-3",
            "slt_credit_mismatch",
            "Table 4 totals 56.3 hours; 1 credits need 40 hours (36-44 within the tolerance).",
            "units",
            blocking=False,
        )
    ]
    assert problems(with_data(ready_snapshot(PART), units=short, part_credits=None)) == []
    assert problems(ready_snapshot(WHOLE, origin_course=None)) == []
    assert problems(ready_snapshot(SAMC, origin_course=CourseFacts("X1", "X", 1, False))) == []


def test_table4_match_has_inclusive_ends(policy):
    # DOMAIN R-SLT-3: 108 h and 132 h are within 10% of 120 h; 107.9 h and 132.1 h are not.
    def codes_for(minutes):
        units = (UnitData("U", (LineData("lecture", minutes, D(2)),)),)
        snapshot = with_data(ready_snapshot(WHOLE), units=units)
        totals = rd.slt_totals(units, policy)
        return [p.code for p in rd.table4_problems(snapshot, totals, policy)]

    assert codes_for(108 * 30) == codes_for(132 * 30) == []
    assert codes_for(108 * 30 - 3) == codes_for(132 * 30 + 3) == ["slt_credit_mismatch"]


def _online_units(online_pct: int) -> tuple[UnitData, ...]:
    return (UnitData("U", (LineData("lecture", online_pct, D(2), True), LineData("lecture", 100 - online_pct, D(2)))),)


@pytest.mark.parametrize(
    ("mode", "pct", "ptg", "expected"),
    [
        ("", 0, "", [Problem("R-WF-6", "delivery_mode_required", "Choose the delivery mode.", "delivery_mode")]),
        (DeliveryMode.CONVENTIONAL, 29, "", []),
        (DeliveryMode.CONVENTIONAL, 30, "PTG/1", []),
        (DeliveryMode.CONVENTIONAL, 79, "PTG/1", []),
        (DeliveryMode.ODL, 100, "", []),
        (DeliveryMode.BLENDED, 50, "", []),
        *[
            (
                DeliveryMode.CONVENTIONAL,
                pct,
                " ",
                [
                    Problem(
                        "R-WF-6",
                        "sbl_needs_ptg",
                        f"{pct}% of the SLT is online: a conventional course this online is Substitute "
                        "Blended Learning and needs its PTG application reference.",
                        "ptg_reference",
                    )
                ],
            )
            for pct in (30, 79)
        ],
        *[
            (
                DeliveryMode.CONVENTIONAL,
                pct,
                "PTG/1",
                [
                    Problem(
                        "R-SLT-4",
                        "online_share_above_sbl",
                        f"{pct}% of the SLT is online, above the 79% a conventional course may have; choose ODL or blended.",
                        "delivery_mode",
                    )
                ],
            )
            for pct in (80, 100)
        ],
    ],
)
def test_delivery_problems_in_full(policy, mode, pct, ptg, expected):
    # DOMAIN R-WF-6 / R-SLT-4: SBL (30-79% online, conventional) needs a PTG reference; above it,
    # a conventional course must be declared ODL or blended.
    snapshot = with_data(ready_snapshot(SAMC), delivery_mode=mode, ptg_reference=ptg, units=_online_units(pct))
    totals = rd.slt_totals(snapshot.data.units, policy)
    assert rd.delivery_problems(snapshot, totals, policy) == expected


def test_readiness_report_lists_every_part_in_page_order(policy):
    # DOMAIN R-NM-1, R-NM-2, R-AF-1, R-SLT-1, R-WF-6, R-AS-1: one list, in the order of the page.
    snapshot = with_data(
        ready_snapshot(WHOLE, origin_course=None),
        title="Data",
        code="",
        fee=D("-1"),
        synopsis="",
        units=(),
        delivery_mode="",
        components=(),
    )
    report = rd.readiness_report(snapshot, policy)
    assert [p.code for p in report.problems] == [
        "fee_range",
        "origin_required",
        "code_required",
        "title_prefix",
        "field_required",
        "table4_empty",
        "delivery_mode_required",
        "assessment_empty",
    ]
    assert not report.ready and report.warnings == () and len(report.blocking) == 8
    part = rd.readiness_report(ready_snapshot(PART, other_part_credits=(1,)), policy)
    assert part.ready and [p.code for p in part.warnings] == ["parts_credits_mismatch", "slt_credit_mismatch"]
    # Lines a save refuses do not count in the totals.
    odd = with_data(
        ready_snapshot(SAMC), units=(UnitData("U", (LineData("slide", 2, D(7)), LineData("slide", 0, D(7)))),)
    )
    assert rd.readiness_report(odd, policy).totals.total_minutes == 14


# --- who may act now, and whose queue holds it (R-WF-1..4) ----------------------------------------


@pytest.mark.parametrize(
    ("facts", "actions"),
    [
        (wf.Facts(S.DRAFT), ["submit"]),
        (wf.Facts(S.SUBMITTED), ["head_approve", "return"]),
        (wf.Facts(S.CFLEX_APPROVED), ["milestone_done"]),
        (wf.Facts(S.CFLEX_APPROVED, milestone_done=True), ["milestone_confirm", "milestone_return"]),
        (wf.Facts(S.PRESENTED), ["present_again"]),
        (wf.Facts(S.PRESENTED, on_agenda=True), ["committee_approve", "return"]),
        (wf.Facts(S.SENATE_APPROVED, accredited=False), ["record_unimas_registration"]),
        (wf.Facts(S.SENATE_APPROVED, registrations=frozenset({"mqa", "unimas"})), []),
        (wf.Facts(S.REGISTERED), []),
    ],
)
def test_open_rows_leave_out_unmet_guards_and_automatic_rows(facts, actions):
    # DOMAIN R-WF-1 (the steps), R-WF-3 (returns), R-WF-4 (milestones): what the buttons offer.
    assert [r.action for r in wf.open_rows(facts.status, facts)] == actions


def test_which_rows_wait_in_a_queue():
    # DOMAIN R-WF-1: a draft is on the developer's own list; automatic rows wait for nobody.
    def row(source, action):
        return next(r for r in wf.TABLE if r.source == source and r.action == action)

    assert not wf.waits_in_queue(row(S.DRAFT, "submit"))
    assert wf.waits_in_queue(row(S.RETURNED, "resubmit"))
    assert wf.waits_in_queue(row(S.SUBMITTED, "head_approve"))
    assert wf.waits_in_queue(row(S.CFLEX_APPROVED, "milestone_done"))
    assert not wf.waits_in_queue(row(S.SENATE_APPROVED, "register"))
    assert not wf.waits_in_queue(row(S.REGISTERED, "offer_ready"))


def test_a_parts_code_is_checked_against_its_own_credits(policy):
    # DOMAIN R-NM-2 / R-NM-3: a 1-credit part of TMN4033 is TMN4031MC<letter>; TMN4032MCA is refused.
    snapshot = with_data(ready_snapshot(PART), code="TMN4032MCA")
    problems = rd.readiness_report(snapshot, policy).problems
    assert Problem("R-NM-2", "code_format", "A code of this type looks like TMN4031MCA.", "code") in problems


def test_credit_match_in_full(policy):
    # DOMAIN R-SLT-3: 3 credits x 40 h = 120 h, within 10% (108-132); 6620 min = 110.33 h.
    from courses.policies import credit_match
    from courses.policies.slt import CreditMatch

    totals = rd.slt_totals(UNITS, policy)
    assert credit_match(totals, 3, policy) == CreditMatch(3, D(120), D(108), D(132), totals.total_hours)
    assert credit_match(totals, 3, policy).within

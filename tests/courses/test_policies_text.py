"""Pure rules of courses that words and files depend on: what changed between two submitted
versions, what an uploaded survey analysis is (R-AF-3), and input bounds. No database."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from courses.choices import ProposalStatus as S
from courses.choices import RegistrationKind
from courses.policies import UploadRefused, sniff_upload
from courses.policies import workflow as wf
from courses.policies.data import CLOData, ProposalData, UnitData
from courses.policies.inputs import design_problems, scalar_problems
from courses.policies.workflow import Change, version_diff
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
        Change("clos[0]", "CLO 1", "Explain mining, correctly (MQF 6, 10 h)", "Apply mining, in a lab (MQF 6,  h)"),
        Change("clos[1]", "CLO 2", "", "Report,  (MQF ,  h)"),
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
    assert removed == [Change("clos[1]", "CLO 2", "Report,  (MQF ,  h)", "")] and removed[0].kind == "removed"


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

"""Pure rules of enrolment and results, table-driven, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from enrolment.policies import (
    ComponentMark,
    MoodleFormatError,
    NextStep,
    NricCheck,
    best_attempt,
    clo_attainment,
    final_mark,
    formative_summative,
    identity_mask,
    moodle_parse,
    moodle_preview,
    next_step,
    nric_check,
    time_through,
)

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("raw", "normalised", "born"),
    [
        ("900101-13-5677", "900101-13-5677", date(1990, 1, 1)),  # Sarawak
        ("900101135677", "900101-13-5677", date(1990, 1, 1)),  # without dashes
        ("050229-14-1234", None, None),  # 2005 is not a leap year: refused below
        ("040229-14-1234", "040229-14-1234", date(2004, 2, 29)),  # leap day
        ("261122-16-0002", "261122-16-0002", date(2026, 11, 22)),  # born today, Putrajaya
        ("271122-13-0002", "271122-13-0002", date(1927, 11, 22)),  # '27 is 1927, not the future
        ("851231-60-1111", "851231-60-1111", date(1985, 12, 31)),  # born in Brunei
    ],
)
def test_nric_valid_dates_and_codes_derive_the_birth_date(raw, normalised, born):
    # DOMAIN R-EN (learner profile): YYMMDD-PB-###G, a valid date and place-of-birth code
    check = nric_check(raw, today=TODAY)
    if normalised is None:
        assert not check.ok and check.code == "nric_date"
    else:
        assert check.ok, check.problem
        assert check.normalised == normalised
        assert check.birth_date == born


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("901301-13-5677", "nric_date"),  # month 13
        ("900132-13-5677", "nric_date"),  # day 32
        ("900100-13-5677", "nric_date"),  # day 0
        ("900101-00-5677", "nric_place_of_birth"),
        ("900101-17-5677", "nric_place_of_birth"),
        ("900101-20-5677", "nric_place_of_birth"),
        ("900101-69-5677", "nric_place_of_birth"),
        ("900101-73-5677", "nric_place_of_birth"),
        ("900101-80-5677", "nric_place_of_birth"),
        ("900101-95-5677", "nric_place_of_birth"),
        ("90010113567", "nric_format"),  # 11 digits
        ("A00101-13-5677", "nric_format"),
        ("", "nric_format"),
    ],
)
def test_nric_bad_dates_and_state_codes_are_refused_without_echoing_the_number(raw, code):
    check = nric_check(raw, today=TODAY)
    assert not check.ok
    assert check.code == code
    digits = raw.replace("-", "")
    assert not digits or digits not in check.problem.replace("-", "")


@pytest.mark.parametrize(
    ("number", "masked"),
    [("900101-13-5677", "********5677"), ("A12345678", "*****5678"), ("123", "***")],
)
def test_identity_mask_keeps_only_the_last_four(number, masked):
    # DOMAIN R-CR-4
    assert identity_mask(number) == masked


def test_best_attempt_counts():
    # DOMAIN R-AS-4
    assert best_attempt([D(4), D(9), D(7)]) == D(9)
    assert best_attempt([]) is None


def _marks():
    return [
        ComponentMark(1, weight=30, max_score=D(10), score=D(8), clo_ids=(1,)),  # 24
        ComponentMark(2, weight=20, max_score=D(20), score=D(15), clo_ids=(1, 2)),  # 15
        ComponentMark(3, weight=50, max_score=D(100), score=D(61), is_final=True, clo_ids=(2,)),  # 30.5
    ]


def test_final_mark_is_the_weighted_sum():
    # DOMAIN R-RS-1: 8/10*30 + 15/20*20 + 61/100*50 = 24 + 15 + 30.5
    assert final_mark(_marks()) == D("69.50")


def test_final_mark_counts_an_unmarked_component_as_zero():
    marks = _marks()
    marks[2] = ComponentMark(3, weight=50, max_score=D(100), score=None, is_final=True)
    assert final_mark(marks) == D("39.00")


def test_formative_and_summative_shares():
    # DOMAIN R-AS-5
    assert formative_summative(_marks()) == (50, 50)


def test_clo_attainment_per_clo():
    # CLO1: (24 + 15) / (30 + 20) = 78%; CLO2: (15 + 30.5) / (20 + 50) = 65%
    assert clo_attainment(_marks()) == {1: D("78.00"), 2: D("65.00")}


MOODLE = (
    "\ufeffFirst name,Last name,ID number,Institution,Department,Email address,"
    "Quiz: Week 1 quiz (Real),Assignment: IoT video (Real),Course total (Real),Last downloaded from this course\n"
    "Aina,Rahman,,,,aina@example.com,8.50,40.00,48.50,1763800000\n"
    "Ben,Lee,,,,ben@example.com,-,35.00,35.00,1763800000\n"
    "Chong,Wei,,,,stranger@example.com,7.00,30.00,37.00,1763800000\n"
    "Dayang,Ali,,,,dayang@example.com,11.00,abc,11.00,1763800000\n"
)


def test_moodle_export_is_read_with_its_grade_columns():
    export = moodle_parse(MOODLE)
    assert export.grade_columns == ("Quiz: Week 1 quiz (Real)", "Assignment: IoT video (Real)")
    assert export.rows[0]["Email address"] == "aina@example.com"


def test_moodle_preview_lists_every_bad_cell_with_its_reason():
    preview = moodle_preview(
        moodle_parse(MOODLE),
        mapping={"Quiz: Week 1 quiz (Real)": 10, "Assignment: IoT video (Real)": 20},
        enrolled_emails=["Aina@example.com", "ben@example.com", "dayang@example.com"],
        max_scores={10: D(10), 20: D(50)},
    )
    assert [(g.line, g.component_id, g.score) for g in preview.good] == [
        (2, 10, D("8.50")),
        (2, 20, D("40.00")),
        (3, 20, D("35.00")),
    ]
    assert [(b.line, b.code) for b in preview.bad] == [
        (3, "blank"),
        (4, "unknown_learner"),
        (5, "above_maximum"),
        (5, "not_a_number"),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("First name,Last name\nA,B\n", "csv_no_email_column"),
        ("Email address,Notes\na@example.com,x\n", "csv_no_grade_columns"),
        ("Email address\x00,Quiz: Q (Real)\n", "csv_binary"),
    ],
)
def test_moodle_files_of_the_wrong_shape_are_refused(text, code):
    with pytest.raises(MoodleFormatError) as exc:
        moodle_parse(text)
    assert exc.value.code == code


# --- small rules, pinned (mutation testing, docs/testing.md) ------------------------------------


def test_moodle_problem_summary_counts_by_kind_most_frequent_first():
    from enrolment.policies import ImportProblem, moodle_problem_summary

    problems = [
        ImportProblem(2, "a@x", "Quiz", "unknown_learner", "No such learner."),
        ImportProblem(3, "b@x", "Quiz", "score_range", "Out of range."),
        ImportProblem(4, "c@x", "Quiz", "unknown_learner", "No such learner."),
        ImportProblem(5, "d@x", "Quiz", "bad_number", "Not a number."),
    ]
    assert moodle_problem_summary(problems) == (
        ("unknown_learner", "No such learner.", 2),
        ("bad_number", "Not a number.", 1),
        ("score_range", "Out of range.", 1),
    )
    assert moodle_problem_summary([]) == ()


def test_results_and_enrolment_transitions():
    # DOMAIN R-RS-2, R-EN-5
    from enrolment.policies import (
        IllegalTransition,
        enrolment_next,
        marks_editable,
        results_actions,
        results_next,
    )

    assert results_next("draft", "submit") == ("submitted", "instructor")
    assert results_next("committee_endorsed", "return") == ("draft", "senate")
    assert results_actions("submitted") == ["endorse", "return"]
    assert results_actions("senate_approved") == []
    with pytest.raises(IllegalTransition) as caught:
        results_next("draft", "approve")
    assert (caught.value.state, caught.value.action, str(caught.value)) == (
        "draft",
        "approve",
        "results: 'approve' is not possible from 'draft'.",
    )
    assert enrolment_next("enrolled", "defer") == "deferred"
    with pytest.raises(IllegalTransition, match=r"'withdraw' is not possible from 'completed'\."):
        enrolment_next("completed", "withdraw")
    assert marks_editable("draft") and not marks_editable("submitted")


def test_window_requirements_seats_notice_and_progress():
    # DOMAIN R-EN-2, R-EN-3
    from enrolment.policies import (
        enrolment_window_open,
        minimum_requirements,
        needs_international_notice,
        progress,
        seat_to_take,
        unconfirmed_requirements,
    )

    opens, closes = date(2026, 1, 1), date(2026, 1, 31)
    assert enrolment_window_open(opens, closes, opens) and enrolment_window_open(opens, closes, closes)
    assert not enrolment_window_open(opens, closes, date(2025, 12, 31))
    assert not enrolment_window_open(opens, closes, date(2026, 2, 1))
    assert minimum_requirements(" - SPM credit\n\n* A laptop\t\n  \n") == ("SPM credit", "A laptop")
    assert minimum_requirements("") == ()
    assert unconfirmed_requirements(["a", "b", "c"], ["b"]) == ["a", "c"]
    assert seat_to_take(3, [1, 3]) == 2 and seat_to_take(2, [2]) == 1 and seat_to_take(2, [1, 2]) is None
    assert seat_to_take(0, []) is None
    assert needs_international_notice(False) and not needs_international_notice(True)
    assert (progress(1, 3), progress(2, 3), progress(3, 3), progress(5, 0), progress(1, -1)) == (33, 66, 100, 0, 0)


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        # DOMAIN R-CR-7: the bytes decide, and the name's extension must agree.
        (b"%PDF-1.7", "id.pdf", "pdf"),
        (b"%PDF-1.7", "ID.PDF", "pdf"),
        (b"\x89PNG\r\n\x1a\nrest", "id.png", "png"),
        (b"\xff\xd8\xff\xe0", "id.jpg", "jpeg"),
        (b"\xff\xd8\xff\xe0", "id.jpeg", "jpeg"),
        (b"%PDF-1.7", "id.png", None),
        (b"\xff\xd8\xff", "id.pdf", None),
        (b"GIF89a", "id.gif", None),
        (b"", "id.pdf", None),
    ],
)
def test_identity_document_kind(head, name, kind):
    from enrolment.policies import evidence_kind

    assert evidence_kind(head, name=name) == kind


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("900101-13-1234", "********1234"),  # DOMAIN R-CR-4: only the last four characters
        ("A1-b2 c3.d4", "****c3d4"),
        ("12345", "*2345"),
        ("1234", "****"),
        ("ab", "**"),
        ("", ""),
        (None, ""),
    ],
)
def test_identity_mask(number, masked):
    from enrolment.policies import identity_mask

    assert identity_mask(number) == masked


def test_moodle_preview_in_full():
    # DOMAIN R-AS-5: every mapped cell is a good row or a problem with its reason; nothing is written.
    from enrolment.policies import ImportProblem, ImportRow

    text = (
        "Email address,Quiz: A (Real),Quiz: B (Real),Essay: C (Real)\n"
        'Aina@Example.com,"7,5",-1,\n'
        "ben@example.com,NaN,-,10\n"
        "ghost@example.com,1,1,1\n"
    )
    preview = moodle_preview(
        moodle_parse(text),
        mapping={"Quiz: A (Real)": 1, "Quiz: B (Real)": 2},
        enrolled_emails=["aina@example.com", "BEN@example.com"],
        max_scores={1: D(10), 2: D(10)},
    )
    assert preview.good == (ImportRow(2, "aina@example.com", "Quiz: A (Real)", 1, D("7.5")),)
    assert preview.bad == (
        ImportProblem(2, "aina@example.com", "Quiz: B (Real)", "negative", "A mark cannot be negative."),
        ImportProblem(3, "ben@example.com", "Quiz: A (Real)", "negative", "A mark cannot be negative."),
        ImportProblem(3, "ben@example.com", "Quiz: B (Real)", "blank", "No mark given."),
        ImportProblem(
            4, "ghost@example.com", "Email address", "unknown_learner", "No learner with this email is enrolled."
        ),
    )
    assert preview.skipped_columns == ("Essay: C (Real)",)
    over = moodle_preview(
        moodle_parse("Email address,Quiz: A (Real)\na@x,10.01\na@x,10\na@x,abc\n"),
        mapping={"Quiz: A (Real)": 1},
        enrolled_emails=["a@x"],
        max_scores={1: D(10)},
    )
    assert [(b.code, b.message) for b in over.bad] == [
        ("above_maximum", "The mark is above the maximum of 10."),
        ("not_a_number", "The mark is not a number."),
    ]
    assert [g.score for g in over.good] == [D("10")]


def test_moodle_format_errors_say_what_is_wrong():
    with pytest.raises(MoodleFormatError) as exc:
        moodle_parse("First name\nA\n")
    assert (exc.value.code, str(exc.value)) == (
        "csv_no_email_column",
        "The file has no 'Email address' column: is it a Moodle gradebook export?",
    )
    with pytest.raises(MoodleFormatError) as exc:
        moodle_parse("Email address;Course total (Real)\na@x;1\n")
    assert (exc.value.code, str(exc.value)) == (
        "csv_no_grade_columns",
        "The file has no grade columns such as 'Quiz: Week 1 (Real)'.",
    )
    export = moodle_parse("Email address;Quiz: A (Real)\n a@x ;5\n")
    assert export.grade_columns == ("Quiz: A (Real)",) and export.rows == (
        {"Email address": "a@x", "Quiz: A (Real)": "5", "__line__": "2"},
    )


def test_marks_round_half_up_and_edge_weights():
    # DOMAIN R-RS-1: two decimals, half up (1/8 of a 1-weight component is 0.125 -> 0.13).
    from enrolment.policies import ComponentMark as M
    from enrolment.policies import weighted_contribution

    eighth = M(1, weight=1, max_score=D(8), score=D(1), clo_ids=(1,))
    assert final_mark([eighth]) == D("0.13") and final_mark([]) == D("0.00")
    assert clo_attainment([M(1, weight=8, max_score=D(800), score=D(1), clo_ids=(1,))]) == {1: D("0.13")}
    # a CLO assessed by a 1% component counts; one assessed only by 0% components is left out
    assert clo_attainment([M(1, weight=1, max_score=D(2), score=D(1), clo_ids=(4,))]) == {4: D("50.00")}
    assert clo_attainment([M(1, weight=0, max_score=D(2), score=D(1), clo_ids=(5,))]) == {}
    assert weighted_contribution(M(1, weight=10, max_score=D(0), score=D(1))) == D(0)
    assert weighted_contribution(M(1, weight=10, max_score=D(-1), score=D(1))) == D(0)
    assert weighted_contribution(M(1, weight=10, max_score=D(4), score=D(1))) == D("2.5")


def test_requirement_lines_and_missing_marks():
    # DOMAIN R-EN-3: bullets and blank lines are not requirements; DOMAIN R-RS-1: unmarked components.
    from enrolment.policies import ComponentMark as M
    from enrolment.policies import minimum_requirements, missing_marks

    assert minimum_requirements("-\n*\n X \nForm 5") == ("X", "Form 5")
    marks = [M(1, 10, D(10), None), M(2, 10, D(10), D(5)), M(3, 10, D(10), None)]
    assert missing_marks(marks) == [1, 3] and missing_marks([]) == []


def test_zero_marks_ties_reopening_and_full_progress():
    # DOMAIN R-AS-5: a mark of 0 or 0.5 is a mark; problems of equal count sort by code.
    from enrolment.policies import IllegalTransition, ImportProblem, moodle_problem_summary, progress, results_reopen

    preview = moodle_preview(
        moodle_parse("Email address,Quiz: A (Real)\na@x,0\na@x,0.5\n"),
        mapping={"Quiz: A (Real)": 1},
        enrolled_emails=["a@x"],
        max_scores={1: D(10)},
    )
    assert [g.score for g in preview.good] == [D("0"), D("0.5")] and preview.bad == ()
    problems = [ImportProblem(2, "a", "c", "b_code", "A message"), ImportProblem(3, "a", "c", "a_code", "Z message")]
    assert [c for c, _m, _n in moodle_problem_summary(problems)] == ["a_code", "b_code"]
    assert progress(1, 1) == 100
    # DOMAIN R-RS-2: results reopen to the instructor after a changed mark, never once the Senate approved.
    assert results_reopen("submitted") == "draft"
    with pytest.raises(IllegalTransition):
        results_reopen("senate_approved")


# --- Moodle columns to components (issue 17) ---------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "components", "remembered", "expected"),
    [
        # the title, whatever the case, punctuation or spacing, and with or without the item's kind
        (("Quiz: Regulations quiz (Real)",), [(1, "regulations  QUIZ!")], None, {"Quiz: Regulations quiz (Real)": 1}),
        (("Quiz: Regulations (Real)",), [(1, "Quiz regulations")], None, {"Quiz: Regulations (Real)": 1}),
        (("Quiz:Regulations quiz   (Real)",), [(1, "Regulations quiz")], None, {"Quiz:Regulations quiz   (Real)": 1}),
        # only Real columns; not a percentage or letter, not a column that is no grade item
        (
            ("Quiz: Regulations quiz (Percentage)", "Quiz: Regulations quiz (Letter)"),
            [(1, "Regulations quiz")],
            None,
            {},
        ),
        (("Regulations quiz",), [(1, "Regulations quiz")], None, {}),
        # exact names first for every column, then the closest (0.8 similar or more)
        (
            ("Quiz: Regulations quizz (Real)", "Quiz: Regulations quiz (Real)"),
            [(1, "Regulations quiz")],
            None,
            {"Quiz: Regulations quiz (Real)": 1},
        ),
        (
            ("Forum: Week 2 discussion forum (Real)",),
            [(1, "Week 2 discussion")],
            None,
            {"Forum: Week 2 discussion forum (Real)": 1},
        ),
        (("Quiz: abcde (Real)",), [(1, "abcdx")], None, {"Quiz: abcde (Real)": 1}),  # 0.8 exactly
        (("Quiz: abcd (Real)",), [(1, "abxy")], None, {}),  # 0.5
        # the closest of several; equally close: the smaller id
        (
            ("Quiz: Week one quiz (Real)",),
            [(1, "Week two quiz"), (2, "Week one quizz")],
            None,
            {"Quiz: Week one quiz (Real)": 2},
        ),
        (("Quiz: abcd (Real)",), [(2, "abcx"), (1, "abcy")], None, {}),
        (("Quiz: abcde (Real)",), [(2, "abcdx"), (1, "abcdy")], None, {"Quiz: abcde (Real)": 1}),
        # each component once; a column already mapped is not looked at again
        (
            ("Quiz: Quiz (Real)", "Assignment: Quiz (Real)"),
            [(1, "Quiz"), (2, "Essay")],
            None,
            {"Quiz: Quiz (Real)": 1},
        ),
        (
            ("Quiz: Quizz (Real)", "Quiz: Quizzz (Real)"),
            [(1, "Quiz"), (2, "Quizzz")],
            None,
            {"Quiz: Quizzz (Real)": 2, "Quiz: Quizz (Real)": 1},
        ),
        # the remembered mapping first, for columns still in the file and components still in the plan
        (
            ("Quiz: Week 1 (Real)", "Quiz: Regulations quiz (Real)"),
            [(1, "Regulations quiz"), (2, "Essay")],
            {"Quiz: Week 1 (Real)": 1, "Gone: x (Real)": 2},
            {"Quiz: Week 1 (Real)": 1},
        ),
        (
            ("Quiz: Regulations quiz (Real)",),
            [(1, "Regulations quiz")],
            {"Quiz: Regulations quiz (Real)": 9},
            {"Quiz: Regulations quiz (Real)": 1},
        ),
        (
            ("A: a (Real)", "B: b (Real)"),
            [(1, "zzz")],
            {"A: a (Real)": 1, "B: b (Real)": 1},
            {"A: a (Real)": 1},
        ),
        ((), [(1, "Quiz")], None, {}),
        (("Quiz: Quiz (Real)",), [], None, {}),
    ],
)
def test_moodle_columns_are_mapped_to_components(columns, components, remembered, expected):
    # DOMAIN R-RS-1 (component marks), issue 17: a suggestion the person confirms.
    from enrolment.policies import moodle_suggest_mapping

    assert moodle_suggest_mapping(columns, components, remembered) == expected


@pytest.mark.parametrize(
    ("end", "days", "opens"),
    [
        (date(2026, 12, 31), 1, date(2027, 1, 1)),
        (date(2026, 2, 27), 2, date(2026, 3, 1)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_results_open_days_after_the_assessment_ends(end, days, opens):
    # DOMAIN R-RS-4 (interpretation): the number of days is policy data.
    from enrolment.policies import results_open_on

    assert results_open_on(end, days) == opens


NRIC_FORMAT = "An NRIC has 12 digits in the form YYMMDD-PB-###G."
NRIC_DATE = "The first six digits of an NRIC must be a real date (YYMMDD)."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 900101 13 5677 ", NricCheck(normalised="900101-13-5677", birth_date=date(1990, 1, 1))),
        (None, NricCheck(problem=NRIC_FORMAT, code="nric_format")),
        ("", NricCheck(problem=NRIC_FORMAT, code="nric_format")),
        ("9001011356777", NricCheck(problem=NRIC_FORMAT, code="nric_format")),
        ("901301-13-5677", NricCheck(problem=NRIC_DATE, code="nric_date")),
        ("271123-13-5677", NricCheck(normalised="271123-13-5677", birth_date=date(1927, 11, 23))),
        (
            "900101-17-5677",
            NricCheck(problem="Digits 7-8 of an NRIC must be a valid place-of-birth code.", code="nric_place_of_birth"),
        ),
    ],
)
def test_nric_check_in_full(raw, expected):
    # DOMAIN R-EN (learner profile): spaces are ignored; the century puts the birth in the past.
    assert nric_check(raw, today=TODAY) == expected


def test_an_nric_dated_after_today_within_this_year_is_in_the_future():
    # DOMAIN R-EN: on 22 November 2026, 26-12-01 is a date later this year: refused, not read as 1926.
    assert nric_check("261201-13-5677", today=TODAY) == NricCheck(
        problem="The date in the NRIC is in the future.", code="nric_date"
    )


def test_moodle_parse_in_full():
    # Issue 17: a semicolon export with a byte-order mark; blank cells are "", the course total is
    # no grade item, every row keeps its line number in the file.
    text = "\ufeffEmail address;Quiz: Q1 (Real);Course total (Real)\r\na@example.com;7;7\r\nb@example.com;;\r\n"
    export = moodle_parse(text)
    assert export.grade_columns == ("Quiz: Q1 (Real)",)
    assert export.rows == (
        {"Email address": "a@example.com", "Quiz: Q1 (Real)": "7", "Course total (Real)": "7", "__line__": "2"},
        {"Email address": "b@example.com", "Quiz: Q1 (Real)": "", "Course total (Real)": "", "__line__": "3"},
    )
    # A short row: the missing cells are blank, not None.
    assert moodle_parse("Email address,Quiz: Q1 (Real)\na@example.com\n").rows == (
        {"Email address": "a@example.com", "Quiz: Q1 (Real)": "", "__line__": "2"},
    )
    # One column only: the sniffer has no delimiter to find; the file is read as plain CSV.
    with pytest.raises(MoodleFormatError) as exc:
        moodle_parse("Email address\na@example.com\n")
    assert (exc.value.code, exc.value.message) == (
        "csv_no_grade_columns",
        "The file has no grade columns such as 'Quiz: Week 1 (Real)'.",
    )


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("Email\x00", "csv_binary", "This is not a text CSV file."),
        (
            "First name,Last name\nA,B\n",
            "csv_no_email_column",
            "The file has no 'Email address' column: is it a Moodle gradebook export?",
        ),
    ],
)
def test_moodle_files_refused_say_why(text, code, message):
    with pytest.raises(MoodleFormatError) as exc:
        moodle_parse(text)
    assert (exc.value.code, exc.value.message, str(exc.value)) == (code, message, message)


# --- the learner dashboard (issue 17): time through the offering and the next thing to do -------
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 20), 0),
        (date(2026, 3, 1), 0),
        (date(2026, 3, 11), 25),
        (date(2026, 4, 6), 90),  # 36 of 40 days
        (date(2026, 4, 9), 97),  # 39 of 40 days = 97.5: whole percent, rounded down
        (date(2026, 4, 10), 100),
        (date(2026, 5, 1), 100),
    ],
)
def test_time_through_the_offering(today, expected):
    assert time_through(date(2026, 3, 1), date(2026, 4, 10), today=today) == expected


_COMPONENTS = [(11, "Quiz 1"), (12, "Project"), (13, "Final test")]


def _next(**overrides):
    values = {
        "status": "enrolled",
        "starts_on": date(2026, 3, 1),
        "today": date(2026, 3, 15),
        "components": _COMPONENTS,
        "marked": set(),
        "survey_open": False,
        "surveyed": False,
        "approved": False,
        "passed": False,
    }
    values.update(overrides)
    return next_step(**values)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"status": "withdrawn"}, NextStep("none")),
        ({"status": "deferred"}, NextStep("none")),
        ({"today": date(2026, 2, 1)}, NextStep("starts", on=date(2026, 3, 1))),
        ({"today": date(2026, 3, 1)}, NextStep("assessment", component_id=11, component_title="Quiz 1")),  # day one
        ({}, NextStep("assessment", component_id=11, component_title="Quiz 1")),
        ({"marked": {11, 13}}, NextStep("assessment", component_id=12, component_title="Project")),
        ({"marked": {11, 12, 13}, "survey_open": True}, NextStep("survey")),  # DOMAIN R-RS-3
        ({"marked": {11, 12, 13}, "survey_open": True, "surveyed": True}, NextStep("wait")),
        ({"marked": {11, 12, 13}}, NextStep("wait")),
        ({"marked": {11, 12, 13}, "approved": True, "passed": True, "status": "completed"}, NextStep("credential")),
        ({"marked": {11, 12, 13}, "approved": True, "passed": False, "status": "failed"}, NextStep("result")),
    ],
)
def test_next_step_in_the_order_a_learner_meets_it(overrides, expected):
    assert _next(**overrides) == expected


def test_a_component_out_of_one_counts_in_full():
    # DOMAIN R-RS-1: a pass/fail component scored out of 1 carries its whole weight when passed.
    from enrolment.policies import weighted_contribution

    assert weighted_contribution(ComponentMark(1, 20, D(1), D(1))) == D(20)
    assert weighted_contribution(ComponentMark(2, 20, D(0), D(5))) == D(0)  # no maximum: nothing


def test_moodle_blank_cells_and_columns_missing_from_the_file_are_no_mark():
    export = moodle_parse("Email address,Quiz: Q1 (Real)\na@example.com,\n")
    preview = moodle_preview(
        export,
        mapping={"Quiz: Q1 (Real)": 1, "Quiz: Gone (Real)": 2},
        enrolled_emails=["a@example.com"],
        max_scores={1: D(10), 2: D(10)},
    )
    assert [(b.column, b.code, b.message) for b in preview.bad] == [
        ("Quiz: Q1 (Real)", "blank", "No mark given."),
        ("Quiz: Gone (Real)", "blank", "No mark given."),
    ]


def test_moodle_a_file_whose_delimiter_cannot_be_sniffed_is_read_as_plain_csv():
    # one column only: csv.Sniffer gives up, the file is still read (and refused for what it lacks)
    with pytest.raises(MoodleFormatError) as exc:
        moodle_parse("Email address\na@example.com\n")
    assert exc.value.code == "csv_no_grade_columns"


def test_moodle_mapping_takes_real_columns_after_others_and_keeps_going_after_a_match():
    # issue 17: a Percentage column first does not stop the search; a column matched by its exact
    # name does not stop the close-title pass for the next one; the kind counts in a close match
    # ("Quiz: Regulations" is close to "Quiz on regulations" only with its kind).
    from enrolment.policies import moodle_suggest_mapping

    columns = [
        "Quiz: Safety quiz (Percentage)",
        "Quiz: Safety quiz (Real)",
        "Assignment: Drone flight plan (Real)",
        "Quiz: Regulations (Real)",
    ]
    components = [(1, "Safety quiz"), (2, "Drone flight plans"), (3, "Quiz on regulations")]
    assert moodle_suggest_mapping(columns, components) == {
        "Quiz: Safety quiz (Real)": 1,
        "Assignment: Drone flight plan (Real)": 2,
        "Quiz: Regulations (Real)": 3,
    }

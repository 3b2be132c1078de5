"""The course-design rules, table-driven, without a database. Each test cites its DOMAIN rule."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from courses.choices import AssessmentKind, AssessmentMethod, DeliveryMode, ProposalKind
from courses.policies import (
    ComponentData,
    IllegalTransition,
    LineData,
    Problem,
    UnitData,
    assessment_problems,
    assessment_split,
    code_problems,
    component_problems,
    credit_match,
    default_rate,
    field_set,
    format_hm,
    hours_shown,
    is_sbl,
    line_problems,
    next_status,
    part_credit_problems,
    proposal_readiness,
    qualification_name_problems,
    rate_problem,
    slt_totals,
    suggest_code,
    title_problems,
    whole_minutes,
)
from tests.courses.builders import CLOS, COMPONENTS, UNITS, ready_snapshot, with_data
from tests.courses.conftest import seed_policy_data

D = Decimal
CAT1, PART, SAMC, QVC = (
    ProposalKind.CAT1_WHOLE,
    ProposalKind.CAT1_PART,
    ProposalKind.CAT3_SAMC,
    ProposalKind.CAT3_QVC,
)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def minutes_unit(*lines: LineData) -> tuple[UnitData, ...]:
    return (UnitData("Week 1", lines),)


# --- Student learning time -------------------------------------------------------------------


def test_unit_of_slides_video_and_quiz_is_270_minutes(policy):
    # DOMAIN R-SLT-1, R-SLT-2: 20 slides x 7 + 30 min video x 3 + 10 MCQ x 4 = 270 min.
    units = minutes_unit(LineData("slide", 20, D(7)), LineData("video", 30, D(3)), LineData("quiz", 10, D(4)))
    totals = slt_totals(units, policy)
    assert totals.total_minutes == 270
    assert totals.units[0].delivery_minutes == 230
    assert totals.units[0].assessment_minutes == 40
    assert totals.delivery_minutes == 230 and totals.assessment_minutes == 40
    assert totals.total_hm == "4h 30m"


def test_totals_are_kept_per_unit(policy):
    # DOMAIN R-SLT-2: per unit, delivery vs assessment, and for the course.
    totals = slt_totals(UNITS, policy)
    assert [u.total_minutes for u in totals.units] == [3380, 3240]
    assert totals.total_minutes == 6620
    assert totals.total_hm == "110h 20m"
    assert totals.assessment_minutes == 80 + 300 + 90


@pytest.mark.parametrize(
    ("minutes", "credit_value"),
    [
        (D(7200), D("3.0")),  # DOMAIN R-SLT-3: 120 SLT hours = 3.0 credits
        (D(6620), D("2.8")),  # 110.33 h / 40 = 2.758
        (D(120), D("0.1")),  # 2 h / 40 = 0.05, rounded half up
        (D(114), D("0.0")),  # 1.9 h / 40 = 0.0475
        (D(0), D("0.0")),
        (D(4800), D("2.0")),
    ],
)
def test_credit_value_is_hours_over_40_to_one_decimal(policy, minutes, credit_value):
    # DOMAIN R-SLT-3
    totals = dataclasses.replace(slt_totals((), policy), delivery_minutes=minutes)
    assert totals.credit_value == credit_value


def test_credit_value_follows_the_policy_hours_per_credit():
    # DOMAIN R-SLT-3: the 40 is policy data.
    totals = slt_totals(minutes_unit(LineData("lecture", 2400, D(3))), seed_policy_data(hours_per_credit=30))
    assert totals.credit_value == D("4.0")


@pytest.mark.parametrize(
    ("minutes", "expected"), [(D(270), "4h 30m"), (D(59.5), "1h 0m"), (D(0), "0h 0m"), (D(6620), "110h 20m")]
)
def test_hours_and_minutes(minutes, expected):
    # DOMAIN R-SLT-2
    assert format_hm(minutes) == expected


@pytest.mark.parametrize(
    ("minutes", "whole", "hm", "hours"),
    [
        (D("637.5"), 638, "10h 38m", D("10.63")),  # the case: never "10.62 h"
        (D("29.5"), 30, "0h 30m", D("0.50")),  # hours from the whole minutes, not 0.49
        (D("0.49"), 0, "0h 0m", D("0.00")),
        (D("60"), 60, "1h 0m", D("1.00")),
        (D("90.5"), 91, "1h 31m", D("1.52")),  # 91 / 60 = 1.5166...
        (D("2.5"), 3, "0h 3m", D("0.05")),  # half up, not half to even
    ],
)
def test_hours_and_minutes_are_rounded_one_way(minutes, whole, hm, hours):
    # DOMAIN R-SLT-2: one rule for people: whole minutes half up, hours from those minutes half up.
    assert (whole_minutes(minutes), format_hm(minutes), hours_shown(minutes)) == (whole, hm, hours)
    totals = dataclasses.replace(slt_totals((), seed_policy_data()), delivery_minutes=minutes)
    assert (totals.total_hm, totals.total_hours_shown) == (hm, hours)


def test_a_line_without_a_rate_takes_the_midpoint():
    # DOMAIN R-SLT-2: slide 5-10 -> 7.5, quiz 3-5 -> 4; an unknown activity has none.
    policy = seed_policy_data()
    assert (default_rate("slide", policy), default_rate("quiz", policy)) == (D("7.5"), D("4"))
    assert default_rate("juggling", policy) is None


@pytest.mark.parametrize(
    ("activity", "rate", "refused"),
    [
        ("slide", D(11), True),  # DOMAIN R-SLT-2: 11 min per slide is refused
        ("slide", D(10), False),
        ("slide", D(5), False),
        ("slide", D("4.99"), True),
        ("forum", D("3.5"), False),
        ("quiz", D(6), True),
        ("assignment_essay", D(60), False),
        ("assignment_essay", D(61), True),
        ("presentation", D(10), False),
        ("exam_long", D(21), True),
        ("exam_short", D(0), True),
    ],
)
def test_rate_must_be_inside_the_policy_range(policy, activity, rate, refused):
    # DOMAIN R-SLT-1, R-SLT-2
    problem = rate_problem(activity, rate, policy)
    assert (problem is not None) == refused
    if refused:
        assert problem.rule_id == "R-SLT-2" and problem.code == "slt_rate_out_of_range"


def test_default_rate_is_the_midpoint(policy):
    # DOMAIN R-SLT-2
    assert policy.slt_rate("slide").midpoint == D("7.5")
    assert policy.slt_rate("quiz").midpoint == D(4)


@pytest.mark.parametrize(
    ("quantity", "refused"), [(-5, True), (0, True), (1, False), (10_000, False), (10_001, True), (10**12, True)]
)
def test_quantity_bounds(policy, quantity, refused):
    # DOMAIN R-SLT-2: negative or huge quantities are refused, with the field named.
    problems = line_problems(LineData("slide", quantity, D(7)), policy, "units[0].lines[3]")
    assert ("slt_quantity_out_of_range" in codes(problems)) == refused
    if refused:
        assert problems[0].field == "units[0].lines[3].quantity"


def test_unknown_activity_is_refused(policy):
    # DOMAIN R-SLT-1
    problems = line_problems(LineData("dance", 1, D(1)), policy, "lines[0]")
    assert codes(problems) == ["slt_activity_unknown"]
    assert problems[0].field == "lines[0].activity"


@pytest.mark.parametrize(
    ("hours", "within"),
    [(D(120), True), (D(108), True), (D("107.9"), False), (D(132), True), (D("132.1"), False), (D(60), False)],
)
def test_category1_whole_course_slt_matches_credits_within_tolerance(policy, hours, within):
    # DOMAIN R-SLT-3: 3 credits x 40 h = 120 h, within 10%.
    totals = dataclasses.replace(slt_totals((), policy), delivery_minutes=hours * 60)
    assert credit_match(totals, 3, policy).within == within


@pytest.mark.parametrize(
    ("mode", "share", "sbl"),
    [
        (DeliveryMode.CONVENTIONAL, D(29), False),
        (DeliveryMode.CONVENTIONAL, D(30), True),  # DOMAIN R-WF-6: 30-79% online is SBL
        (DeliveryMode.CONVENTIONAL, D(79), True),
        (DeliveryMode.CONVENTIONAL, D(80), False),
        (DeliveryMode.BLENDED, D(50), False),
        (DeliveryMode.ODL, D(100), False),
    ],
)
def test_sbl_classification(policy, mode, share, sbl):
    # DOMAIN R-WF-6, R-SLT-4
    assert is_sbl(mode, share, policy) == sbl


@pytest.mark.parametrize(("online", "share"), [(D("79.4"), D(79)), (D("79.5"), D(80)), (D(0), D(0)), (D(100), D(100))])
def test_online_share_is_a_whole_percentage(policy, online, share):
    # DOMAIN R-SLT-4: share = online SLT / total SLT.
    totals = dataclasses.replace(slt_totals((), policy), delivery_minutes=D(100), online_minutes=online)
    assert totals.online_share_pct == share


# --- Naming ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "origin", "part", "taken", "expected"),
    [
        (CAT1, "TMUI233", None, [], "TMUI233MC"),  # DOMAIN R-NM-2
        (PART, "TMN4033", 1, [], "TMN4031MCA"),  # DOMAIN R-NM-2, R-NM-3
        (PART, "TMN4033", 1, ["TMN4031MCA"], "TMN4031MCB"),
        (PART, "TMN4033", 2, ["TMN4031MCA", "tmn4031mcb"], "TMN4032MCC"),
        (PART, "TMN4033", None, [], ""),
        (CAT1, None, None, [], ""),
        (SAMC, None, None, [], "MC001"),
        (SAMC, None, None, ["MC001", "MC002", "MCV001"], "MC003"),
        (SAMC, None, None, ["MC001", "MC003"], "MC002"),
        (SAMC, None, None, ["mc001"], "MC002"),
        (QVC, None, None, ["MC001"], "MCV001"),
        (QVC, None, None, ["MCV001"], "MCV002"),
    ],
)
def test_code_suggestion(kind, origin, part, taken, expected):
    # DOMAIN R-NM-2, R-NM-3
    assert suggest_code(kind, origin, part, taken) == expected


@pytest.mark.parametrize(
    ("kind", "code", "origin", "part", "problem"),
    [
        (CAT1, "TMUI233MC", "TMUI233", None, None),  # DOMAIN R-NM-2
        (CAT1, "tmui233mc", "TMUI233", None, None),
        (CAT1, "TMUI233", "TMUI233", None, "code_format"),
        (CAT1, "TMUI233MCA", "TMUI233", None, "code_format"),
        (PART, "TMN4031MCA", "TMN4033", 1, None),  # DOMAIN R-NM-3: last digit = credits
        (PART, "TMN4032MCA", "TMN4033", 1, "code_format"),
        (PART, "TMN4031MC", "TMN4033", 1, "code_format"),
        (SAMC, "MC001", None, None, None),
        (SAMC, "MC000", None, None, "code_format"),
        (SAMC, "MCV001", None, None, "code_format"),
        (QVC, "MCV001", None, None, None),
        (QVC, "MC001", None, None, "code_format"),
        (SAMC, "", None, None, "code_required"),
    ],
)
def test_code_validation(kind, code, origin, part, problem):
    # DOMAIN R-NM-2
    found = code_problems(kind, code, origin, part)
    assert codes(found) == ([problem] if problem else [])
    assert all(p.rule_id == "R-NM-2" for p in found)


QUALIFICATIONS = ("Diploma in Computer Science", "Bachelor of Computer Science with Honours (Network Computing)")


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("Micro-Credential in IoT Fundamentals", None),  # DOMAIN R-NM-1
        ("micro-credential IN  iot fundamentals", None),
        ("IoT Fundamentals", "title_prefix"),
        ("Micro-Credential in ", "title_prefix"),
        ("Micro-Credential on IoT", "title_prefix"),
        ("", "title_required"),
    ],
)
def test_title_reads_micro_credential_in(title, problem):
    # DOMAIN R-NM-1
    assert codes(title_problems(title)) == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("title", "refused"),
    [
        ("Micro-Credential in Diploma in Computer Science", True),  # DOMAIN R-NM-1
        ("Diploma in Computer Science", True),
        ("diploma in  computer science", True),
        ("Micro-Credential in Computer Science", False),
        ("Micro-Credential in Diploma in Computer Science Basics", False),
    ],
)
def test_title_never_equals_a_qualification_name(title, refused):
    # DOMAIN R-NM-1
    assert (codes(qualification_name_problems(title, QUALIFICATIONS)) == ["title_is_qualification"]) == refused


@pytest.mark.parametrize(
    ("part", "origin_credits", "others", "code", "blocking"),
    [
        (1, 3, (), "parts_credits_mismatch", False),  # DOMAIN R-NM-3: a warning, not a refusal
        (1, 3, (1, 1), None, None),
        (2, 3, (1,), None, None),
        (1, 3, (1, 1, 1), "parts_credits_mismatch", False),
        (3, 3, (), "part_credits_too_large", True),
        (None, 3, (), "part_credits_required", True),
    ],
)
def test_divided_course_parts_add_up(part, origin_credits, others, code, blocking):
    # DOMAIN R-NM-3
    found = part_credit_problems(part, origin_credits, others)
    assert codes(found) == ([code] if code else [])
    if code:
        assert found[0].blocking == blocking and found[0].rule_id == "R-NM-3"


# --- Assessment ------------------------------------------------------------------------------

CONT, FINAL = AssessmentKind.CONTINUOUS, AssessmentKind.FINAL
QUIZ, FORUM, ESSAY = AssessmentMethod.QUIZ, AssessmentMethod.FORUM, AssessmentMethod.ASSIGNMENT_ESSAY


def comp(kind, weight, clos=(1,), unit=None, method=QUIZ, retake=False) -> ComponentData:
    return ComponentData(method, kind, weight, "", unit, clos, retake)


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        ((comp(CONT, 30), comp(CONT, 20), comp(FINAL, 50)), []),  # DOMAIN R-AS-1: the guideline's example
        ((comp(CONT, 30), comp(CONT, 20), comp(FINAL, 40)), ["assessment_weights_sum"]),
        ((comp(CONT, 60), comp(FINAL, 50)), ["assessment_weights_sum"]),
        ((comp(CONT, 50), comp(CONT, 50)), ["assessment_kinds_missing"]),
        ((comp(FINAL, 100),), ["assessment_kinds_missing"]),
        ((), ["assessment_empty"]),
    ],
)
def test_weights_sum_to_100_with_both_kinds(policy, components, expected):
    # DOMAIN R-AS-1
    units = (UnitData("Week 1", (LineData("quiz", 1, D(4)),)),)
    found = assessment_problems(CLOS[:1], units, components, policy)
    assert codes(found) == expected
    assert all(p.rule_id == "R-AS-1" for p in found)


def test_components_map_clos_and_every_clo_is_assessed(policy):
    # DOMAIN R-AS-2
    components = (comp(CONT, 50, clos=()), comp(FINAL, 50, clos=(1,)))
    found = assessment_problems(CLOS, UNITS, components, policy)
    assert codes(found) == ["component_without_clo", "clo_not_assessed"]
    assert found[0].field == "components[0].clos"
    assert found[1].field == "clos[1]" and "CLO2" in found[1].message


@pytest.mark.parametrize(
    ("lines", "component_unit", "assessed"),
    [
        ((LineData("slide", 10, D(7)),), None, False),  # DOMAIN R-AS-3
        ((LineData("slide", 10, D(7)), LineData("quiz", 5, D(4))), None, True),  # an ungraded quiz counts
        ((LineData("slide", 10, D(7)),), 1, True),  # a component set in the unit counts
    ],
)
def test_every_unit_has_an_assessment(policy, lines, component_unit, assessed):
    # DOMAIN R-AS-3
    units = (UnitData("Week 1", lines),)
    found = assessment_problems(CLOS[:1], units, (comp(CONT, 50, unit=component_unit), comp(FINAL, 50)), policy)
    assert ("unit_without_assessment" in codes(found)) == (not assessed)


@pytest.mark.parametrize(
    ("component", "expected"),
    [
        (comp(CONT, 30, method=QUIZ, retake=True), []),  # DOMAIN R-AS-4: quizzes may be retaken
        (comp(CONT, 30, method=ESSAY, retake=True), ["assessment_retake_not_quiz"]),
        (comp(CONT, 0), ["assessment_weight_range"]),
        (comp(CONT, 101), ["assessment_weight_range"]),
        (comp(CONT, -10), ["assessment_weight_range"]),
        (comp(CONT, 30, unit=3), ["assessment_unit_unknown"]),
        (comp(CONT, 30, clos=(5,)), ["assessment_clo_unknown"]),
        (comp(CONT, 30, clos=(1, 1)), ["assessment_clo_unknown"]),
        (ComponentData("juggling", CONT, 30), ["assessment_method_unknown"]),
    ],
)
def test_component_input(component, expected):
    # DOMAIN R-AS-1, R-AS-2, R-AS-4
    assert codes(component_problems(component, 0, clo_count=2, unit_count=2)) == expected


def test_formative_and_summative_split():
    # DOMAIN R-AS-5
    split = assessment_split(COMPONENTS)
    assert (split.continuous_pct, split.final_pct) == (50, 50)


# --- Readiness: every rule, one list ---------------------------------------------------------


@pytest.mark.parametrize("kind", [CAT1, SAMC, QVC])
def test_a_complete_proposal_has_no_problems(policy, kind):
    assert proposal_readiness(ready_snapshot(kind), policy) == []


def test_a_divided_part_only_warns(policy):
    # DOMAIN R-NM-3, R-SLT-3: 110 h for a 1-credit part warns; nothing blocks.
    problems = proposal_readiness(ready_snapshot(PART, other_part_credits=(1,)), policy)
    assert codes(problems) == ["parts_credits_mismatch", "slt_credit_mismatch"]
    assert not any(p.blocking for p in problems)


@pytest.mark.parametrize(
    ("kind", "changes", "facts", "rule", "code"),
    [
        (CAT1, {"justification": " "}, {}, "R-AF-1", "field_required"),  # DOMAIN R-AF-1
        (SAMC, {"justification": ""}, {}, "R-AF-2", "field_required"),  # DOMAIN R-AF-2
        (CAT1, {"lecturer_ids": ()}, {}, "R-AF-1", "lecturers_required"),
        (CAT1, {"fee": None}, {}, "R-AF-1", "field_required"),
        (SAMC, {"survey_respondents": 29}, {}, "R-AF-3", "survey_too_few_respondents"),  # DOMAIN R-AF-3
        (SAMC, {}, {"survey_file_present": False}, "R-AF-3", "survey_file_missing"),
        (CAT1, {"clos": ()}, {}, "R-AF-4", "clos_required"),  # DOMAIN R-AF-4
        (CAT1, {"title": "Introduction to Computer Technologies"}, {}, "R-NM-1", "title_prefix"),
        (CAT1, {"title": "Micro-Credential in Diploma in Computer Science"}, {}, "R-NM-1", "title_is_qualification"),
        (CAT1, {"code": "TMUI233"}, {}, "R-NM-2", "code_format"),
        (CAT1, {}, {"code_taken": True}, "R-NM-2", "code_taken"),
        (CAT1, {}, {"origin_course": None}, "R-CAT-1", "origin_required"),  # DOMAIN R-CAT-1
        (CAT1, {"units": ()}, {}, "R-SLT-1", "table4_empty"),
        (CAT1, {"units": (*UNITS, UnitData("Empty"))}, {}, "R-SLT-1", "unit_empty"),
        (CAT1, {"units": UNITS[:1]}, {}, "R-SLT-3", "slt_credit_mismatch"),  # DOMAIN R-SLT-3: 56 h for 3 credits
        (CAT1, {"delivery_mode": ""}, {}, "R-WF-6", "delivery_mode_required"),
        (CAT1, {"delivery_mode": DeliveryMode.CONVENTIONAL}, {}, "R-WF-6", "sbl_needs_ptg"),  # DOMAIN R-WF-6
        (CAT1, {"components": COMPONENTS[:2]}, {}, "R-AS-1", "assessment_weights_sum"),
    ],
)
def test_readiness_names_each_unmet_rule(policy, kind, changes, facts, rule, code):
    snapshot = with_data(ready_snapshot(kind, **facts), **changes)
    problems = [p for p in proposal_readiness(snapshot, policy) if p.blocking]
    assert (rule, code) in [(p.rule_id, p.code) for p in problems]


def test_readiness_flags_a_foundation_origin(policy):
    # DOMAIN R-CAT-5
    snapshot = ready_snapshot(CAT1)
    snapshot = dataclasses.replace(
        snapshot, origin_programme=dataclasses.replace(snapshot.origin_programme, is_foundation=True)
    )
    assert "origin_foundation" in codes(proposal_readiness(snapshot, policy))


def test_sbl_with_a_ptg_reference_is_ready(policy):
    # DOMAIN R-WF-6, R-SLT-4: 2630 of 6620 minutes online = 40%: SBL, and the reference is given.
    snapshot = with_data(ready_snapshot(CAT1), delivery_mode=DeliveryMode.CONVENTIONAL, ptg_reference="PTG/2026/17")
    assert proposal_readiness(snapshot, policy) == []


def test_conventional_above_the_sbl_share_is_refused(policy):
    # DOMAIN R-SLT-4 (interpretation): a conventional course may be at most 79% online.
    units = tuple(UnitData(u.title, tuple(dataclasses.replace(li, is_online=True) for li in u.lines)) for u in UNITS)
    snapshot = with_data(ready_snapshot(CAT1), delivery_mode=DeliveryMode.CONVENTIONAL, units=units)
    assert codes(proposal_readiness(snapshot, policy)) == ["online_share_above_sbl"]


def test_a_rate_outside_a_newer_policy_blocks_submission():
    # DOMAIN R-SLT-2: a draft saved under one policy is checked again under the one in force.
    stricter = seed_policy_data(
        slt_rates=tuple(
            dataclasses.replace(r, max_minutes=D(6)) if r.activity == "slide" else r
            for r in seed_policy_data().slt_rates
        )
    )
    found = [p for p in proposal_readiness(ready_snapshot(CAT1), stricter) if p.code == "slt_rate_out_of_range"]
    assert found and found[0].field == "units[0].lines[0].rate_minutes"


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        (CAT1, {"origin"}, {"market_survey", "objectives", "part_credits"}),  # DOMAIN R-AF-1
        (PART, {"origin", "part_credits"}, {"market_survey", "objectives"}),
        (SAMC, {"market_survey", "objectives"}, {"origin", "part_credits"}),  # DOMAIN R-AF-2
        (QVC, {"market_survey", "objectives"}, {"origin", "part_credits"}),
    ],
)
def test_each_type_has_its_field_set(kind, shown, hidden):
    fields = set(field_set(kind))
    assert shown <= fields and not hidden & fields
    assert {"justification", "synopsis", "lecturers", "clos", "units", "components", "fee"} <= fields


@pytest.mark.parametrize(
    ("field", "anchor"),
    [
        ("units[0].lines[2].rate_minutes", "f-units-0-lines-2-rate_minutes"),
        ("components", "f-components"),
        ("origin_course", "f-origin"),
        ("", "f-basics"),
    ],
)
def test_problems_link_to_their_field(field, anchor):
    assert Problem("R-X", "x", "x", field).anchor == anchor


def test_only_draft_to_submitted_is_implemented():
    # DOMAIN R-WF-1, R-WF-5: illegal moves raise.
    assert next_status("draft", "submit") == "submitted"
    with pytest.raises(IllegalTransition):
        next_status("submitted", "submit")


def test_totals_leave_out_lines_a_save_would_refuse(policy):
    # DOMAIN R-SLT-2: a negative quantity or a rate out of range never counts in the totals.
    from courses.policies import readiness_report

    units = (UnitData("W1", (LineData("slide", 20, D(7)), LineData("video", -3, D(3)), LineData("slide", 5, D(11)))),)
    report = readiness_report(with_data(ready_snapshot(CAT1), units=units), policy)
    assert report.totals.total_minutes == 140
    assert {"slt_quantity_out_of_range", "slt_rate_out_of_range"} <= {p.code for p in report.blocking}


def test_unit_totals_are_numbered_from_one_with_their_titles(policy):
    # DOMAIN R-SLT-2: the page and the MMS list "Unit 1, Unit 2" with each unit's title.
    units = (UnitData("Week 1", (LineData("slide", 10, D(7)),)), UnitData("Week 2", (LineData("quiz", 5, D(4)),)))
    totals = slt_totals(units, policy)
    assert [(u.number, u.title) for u in totals.units] == [(1, "Week 1"), (2, "Week 2")]


def test_a_draft_keeps_a_rate_outside_the_policy_range_but_not_a_silly_one(policy):
    # DOMAIN R-SLT-2 (issue 17): a rate outside the policy's range is kept in a saved draft (it
    # blocks submission); zero, and anything above 9,999.99 minutes, is refused on every save.
    from courses.policies import line_save_problems

    assert line_save_problems(LineData("slide", 10, D(60)), policy, "units[0].lines[0]") == []
    assert line_save_problems(LineData("slide", 10, D("9999.99")), policy, "units[0].lines[0]") == []
    for silly in (D(0), D("10000.00")):
        problems = line_save_problems(LineData("slide", 10, silly), policy, "units[0].lines[0]")
        assert [(p.code, p.field) for p in problems] == [("slt_rate_out_of_range", "units[0].lines[0].rate_minutes")]


def test_a_design_with_no_units_yet_totals_nothing(policy):
    # DOMAIN R-SLT-2: a new draft has no units; its totals read as nothing, in the same units.
    totals = slt_totals((), policy)
    assert (totals.total_hm, totals.delivery_hm, totals.assessment_hm) == ("0h 0m", "0h 0m", "0h 0m")
    assert (totals.total_hours_shown, totals.online_share_pct) == (D("0.00"), D(0))

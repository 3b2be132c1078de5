"""Delivery figures against the hand-worked world of conftest.py (DOMAIN R-QA-1, R-QA-2,
R-EN-5): offerings, enrolments, completion, attrition, pass rates, grades, marks, who enrols."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.policies import NO_VALUE as N
from reports.policies import Filters
from reports.selectors import delivery

pytestmark = pytest.mark.django_db

EVERYTHING = Filters(everything=True)


def rows(table):
    return table.text_rows()


def test_outcomes_by_ptj(world):
    # DOMAIN R-QA-2: completion 3/6, attrition (1 withdrawn + 1 deferred)/6, pass rate 3/(3+1)
    table = delivery.by_ptj(EVERYTHING)
    assert table.header == [
        "PTj", "Offerings", "Enrolments", "Studying", "Completed", "Failed", "Withdrawn", "Deferred",
        "Completion %", "Attrition %", "Pass rate %",
    ]  # fmt: skip
    assert rows(table) == [
        ["FCSIT", "1", "6", "0", "3", "1", "1", "1", "50.0", "33.3", "75.0"],
        ["FENG", "1", "2", "2", "0", "0", "0", "0", "0.0", "0.0", N],
        ["All PTjs", "2", "8", "2", "3", "1", "1", "1", "37.5", "25.0", "75.0"],
    ]


def test_outcomes_by_course_and_intake(world):
    a, b = world.course_a, world.course_b
    courses = sorted(
        [
            [a.code, a.title, "1", "6", "0", "3", "1", "1", "1", "50.0", "33.3", "75.0"],
            [b.code, b.title, "1", "2", "2", "0", "0", "0", "0", "0.0", "0.0", N],
        ]
    )
    assert rows(delivery.by_course(EVERYTHING)) == [
        *courses,
        ["All courses", N, "2", "8", "2", "3", "1", "1", "1", "37.5", "25.0", "75.0"],
    ]
    start_a, start_b = world.offering_a.starts_on.isoformat(), world.offering_b.starts_on.isoformat()
    assert rows(delivery.by_intake(EVERYTHING)) == [
        ["2026/2027 Semester 1", start_a, "1", "6", "0", "3", "1", "1", "1", "50.0", "33.3", "75.0"],
        ["2026/2027 Semester 2", start_b, "1", "2", "2", "0", "0", "0", "0", "0.0", "0.0", N],
        ["All intakes", N, "2", "8", "2", "3", "1", "1", "1", "37.5", "25.0", "75.0"],
    ]


def test_grades_and_marks_of_senate_approved_results(world):
    # DOMAIN R-RS-1, R-RS-2: 80 -> A, 65 -> B, 55 -> C+, 40 -> D+ (fails); grades by grade point
    table = delivery.grades(EVERYTHING)
    assert table.header == ["Course", "A", "B", "C+", "D+", "Graded"]
    assert rows(table) == [[world.course_a.code, "1", "1", "1", "1", "4"]]
    assert rows(delivery.grades(EVERYTHING, "grades-ptj")) == [["FCSIT", "1", "1", "1", "1", "4"]]
    assert rows(delivery.grades(EVERYTHING, "grades-intake")) == [["2026/2027 Semester 1", "1", "1", "1", "1", "4"]]
    marks = dict(rows(delivery.marks(EVERYTHING)))
    assert marks == {
        "0-9": "0", "10-19": "0", "20-29": "0", "30-39": "0", "40-49": "1",
        "50-59": "1", "60-69": "1", "70-79": "0", "80-89": "1", "90-100": "0",
    }  # fmt: skip


def test_who_enrols(world):
    # DOMAIN R-EN-2: Malaysian (NRIC) and international (passport); UNIMAS students have an ID
    assert rows(delivery.learners(EVERYTHING)) == [
        ["FCSIT", "6", "5", "1", "1", "5"],
        ["FENG", "2", "1", "1", "1", "1"],
        ["All PTjs", "8", "6", "2", "2", "6"],
    ]
    month = timezone.localdate().strftime("%Y-%m")
    assert rows(delivery.per_month(EVERYTHING)) == [[month, "8"]]


def test_a_dean_scope_and_the_filters_hide_other_data(world):
    # DOMAIN R-QA-2: a Dean sees their PTj only
    feng_only = Filters(ptj_ids=frozenset({world.feng.pk}))
    assert [r[0] for r in rows(delivery.by_ptj(feng_only))] == ["FENG", "All PTjs"]
    assert world.course_a.code not in str(rows(delivery.by_course(feng_only)))
    assert rows(delivery.grades(feng_only)) == []
    nobody = Filters()
    assert rows(delivery.by_ptj(nobody)) == []
    by_course = Filters(everything=True, course_id=world.course_b.pk)
    assert [r[0] for r in rows(delivery.by_course(by_course))] == [world.course_b.code, "All courses"]
    last_start = max(world.offering_a.starts_on, world.offering_b.starts_on)
    later = Filters(everything=True, date_from=last_start + timedelta(days=1))
    assert rows(delivery.by_ptj(later)) == []
    chosen = Filters(everything=True, chosen_ptj=world.fcsit.pk)
    assert [r[0] for r in rows(delivery.learners(chosen))] == ["FCSIT", "All PTjs"]

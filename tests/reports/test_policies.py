"""The pure bits of the reports: rates, medians, cell text, CSV safety, axis maxima, the viewer's
scope. No database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reports.policies import (
    NO_VALUE,
    Filters,
    Scope,
    cell_text,
    csv_safe,
    days,
    median,
    months_between,
    nice_ceiling,
    ordered,
    percent,
)

D = Decimal


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(3, 6, D("50.0")), (1, 3, D("33.3")), (2, 3, D("66.7")), (0, 4, D("0.0")), (1, 0, None)],
)
def test_percent_to_one_decimal_half_up(part, whole, expected):
    # DOMAIN R-QA-2: completion and attrition rates
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([5], D(5)), ([3, 1, 2], D(2)), ([4, 1, 3, 2], D("2.5")), ([D("30.5"), D("45")], D("37.75"))],
)
def test_median(values, expected):
    assert median(values) == expected


def test_days_from_seconds():
    assert days(86400 * 3) == D("3.0")
    assert days(86400 * 1.25) == D("1.3")  # half up
    assert days(None) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, NO_VALUE),
        ("", NO_VALUE),
        (3, "3"),
        (D("50.0"), "50.0"),
        (D("1E+1"), "10"),
        (date(2026, 3, 2), "2026-03-02"),
    ],
)
def test_cell_text_is_the_same_on_the_page_and_in_the_csv(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+60 12", "'+60 12"), ("@x", "'@x"), ("-5", "-5"), ("Great labs", "Great labs")],
)
def test_csv_cells_never_run_as_formulas(text, safe):
    assert csv_safe(text) == safe


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (0.4, 1), (1, 1), (3, 5), (7, 10), (12, 20), (23, 25), (60, 100)]
)
def test_nice_ceiling(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_months_between_fills_every_month():
    assert months_between(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_ordered_keeps_the_given_order_then_the_rest():
    assert ordered({"b", "z", "a"}, ["b", "a", "c"]) == ["b", "a", "z"]


def test_scope_of_each_kind_of_viewer():
    # DOMAIN R-QA-2: CFLEX sees all, a Dean their PTj; comments only for the right people
    assert Scope(everything=True).sees_dashboards and not Scope(everything=True).reads_comments
    dean = Scope(ptj_ids=frozenset({4}), comment_ptj_ids=frozenset({4}))
    assert dean.sees_dashboards and dean.reads_comments
    teacher = Scope(teacher_id=9)
    assert not teacher.sees_dashboards and teacher.sees_experience and teacher.reads_comments
    assert not Scope().sees_experience


def test_filters_end_is_the_day_after():
    assert Filters(date_to=date(2026, 12, 31)).end_exclusive == date(2027, 1, 1)
    assert Filters().end_exclusive is None


def test_average_and_every_nth():
    from reports.policies import average, every_nth

    assert average(None) is None
    assert average(2.345) == Decimal("2.35")  # half up, from the float's text
    assert average(Decimal("2.5"), "1") == Decimal("3")
    assert average(1.0) == Decimal("1.00")
    assert (every_nth(10, 5), every_nth(11, 5), every_nth(3, 5), every_nth(0, 5)) == (2, 3, 1, 1)


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(-3, 1.0), (1.5, 2.0), (2, 2.0), (2.2, 2.5), (2.5, 2.5), (4.9, 5.0), (5, 5.0), (9.5, 10.0), (10, 10.0),
     (101, 200.0), (250, 250.0), (251, 500.0), (999, 1000.0)],
)  # fmt: skip
def test_nice_ceiling_steps(value, ceiling):
    result = nice_ceiling(value)
    assert result == ceiling and isinstance(result, float)


def test_percent_and_months_edges():
    assert percent(1, 8) == D("12.5") and percent(1, 16) == D("6.3")  # 6.25 half up
    assert months_between(date(2026, 1, 31), date(2026, 1, 31)) == [date(2026, 1, 1)]
    assert months_between(date(2026, 3, 1), date(2026, 2, 28)) == []
    assert months_between(date(2025, 12, 31), date(2026, 3, 1)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]

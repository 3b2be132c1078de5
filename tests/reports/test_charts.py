"""The chart geometry and the table the page and the CSV share. No database."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from reports.charts import BAR_ROOM, MOST_BARS, PALETTE, bar_chart, histogram, line_chart, stacked_bar_chart
from reports.policies import NO_VALUE as N
from reports.tables import FOLD_AFTER, Column, Table, table_csv


def test_bar_chart_scales_to_the_axis_and_writes_every_number():
    chart = bar_chart("x", "Title", [("Submitted", 5), ("Returned", 10), ("Empty", 0)], markers=[7, None, None])
    assert [b.width_pct for b in chart.hbars] == [BAR_ROOM / 2, BAR_ROOM, 0]
    assert [b.value for b in chart.hbars] == ["5", "10", "0"]
    assert chart.hbars[2].segments == ()  # nothing drawn for 0
    assert chart.hbars[0].marker_pct == round(7 / 10 * BAR_ROOM, 2)
    assert chart.hbars[1].marker_pct is None


def test_stacked_bar_chart_has_a_segment_per_non_zero_value_and_the_total():
    chart = stacked_bar_chart("x", "T", ["FCSIT", "FENG"], ["Completed", "Failed"], [[3, 1], [0, 2]])
    fcsit, feng = chart.hbars
    assert [(s.start, s.length, s.color) for s in fcsit.segments] == [(0, 3, PALETTE[0]), (3, 1, PALETTE[1])]
    assert [(s.start, s.length, s.color) for s in feng.segments] == [(0, 2, PALETTE[1])]
    assert (fcsit.value, feng.value) == ("4", "2")
    assert feng.width_pct == fcsit.width_pct / 2  # axis 0..5: 4 -> 64%, 2 -> 32% of BAR_ROOM
    assert [item.label for item in chart.legend] == ["Completed", "Failed"]


def test_histogram_and_line_chart_draw_a_bar_or_point_per_value():
    bars = histogram("h", "T", [("0-9", 0), ("10-19", 4), ("20-29", 2)])
    assert [b.height_pct for b in bars.vbars] == [0, 80, 40]  # axis 0..5
    assert bars.y_labels == ("5", "2.5", "0")
    line = line_chart("l", "T", ["2026-01", "2026-02", "2026-03"], [("Enrolments", [1, 0, 3])])
    (drawn,) = line.lines
    ys = [y for _, y in drawn.dots]
    assert ys[1] > ys[0] > ys[2]  # higher values higher up
    assert [(x.text, round(x.at_pct)) for x in line.x_labels] == [("2026-01", 17), ("2026-02", 50), ("2026-03", 83)]


def test_long_labels_are_shortened_in_the_chart_only():
    title = "Micro-Credential in a Very Long Title That Would Not Fit On A Small Phone Screen At All, Really"
    chart = bar_chart("x", "T", [(title, 1)])
    assert chart.hbars[0].label.endswith("…") and len(chart.hbars[0].label) < len(title)


def test_many_x_labels_are_thinned():
    line = line_chart("l", "T", [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"] * 12, [("n", [1] * 24)])
    assert len(line.x_labels) <= 5


def test_csv_is_the_table_header_rows_and_totals():
    table = Table(
        "t",
        "T",
        (Column("name", "Name", numeric=False), Column("n", "Count"), Column("rate", "Rate %")),
        (("=cmd", 3, Decimal("50.0")), ("B", 0, None)),
        footer=("All", 3, None),
    )
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert rows == [["Name", "Count", "Rate %"], ["'=cmd", "3", "50.0"], ["B", "0", N], ["All", "3", N]]


def test_a_long_list_draws_only_the_largest_bars():
    # The table beside the chart has every row; the chart the twelve largest, largest first.
    items = [(f"C{i:02d}", i) for i in range(20)]
    chart = bar_chart("x", "T", items, most=MOST_BARS)
    assert [b.label for b in chart.hbars] == [f"C{i:02d}" for i in range(19, 7, -1)]
    assert (chart.shown, chart.of) == (12, 20)
    stacked = stacked_bar_chart("s", "T", [f"C{i}" for i in range(13)], ["a"], [[i] for i in range(13)], most=12)
    assert len(stacked.hbars) == 12 and stacked.hbars[0].label == "C12" and stacked.of == 13
    assert bar_chart("y", "T", items[:3], most=MOST_BARS).shown == 0
    # Ratings: the lowest, where attention is needed.
    assert [b.label for b in bar_chart("r", "T", items, most=3, lowest=True).hbars] == ["C00", "C01", "C02"]
    # Steps of a pipeline keep their order, however many.
    assert [b.label for b in bar_chart("p", "T", items).hbars] == [label for label, _ in items]


def _rendered(rows: int) -> str:
    from django.template.loader import render_to_string

    table = Table(
        "courses",
        "Per course",
        (Column("code", "Course", numeric=False), Column("n", "Enrolments")),
        tuple((f"TMX{i:04d}", i) for i in range(rows)),
    )
    return render_to_string("reports/_table.html", {"table": table})


def test_a_long_table_shows_its_first_rows_and_folds_the_rest_behind_one_control():
    html = _rendered(FOLD_AFTER + 5)
    assert 'class="show-all" id="all-courses"' in html
    assert f"Show all {FOLD_AFTER + 5} rows ({FOLD_AFTER} shown)" in html
    assert html.count('<tr class="more">') == 5
    # Every row is still on the page (and in the CSV): folded, not dropped.
    assert all(f"TMX{i:04d}" in html for i in range(FOLD_AFTER + 5))


def test_a_short_table_has_no_fold():
    html = _rendered(FOLD_AFTER)
    assert "show-all" not in html and 'class="more"' not in html

"""Server-rendered charts: horizontal bars (with an optional marker per bar, e.g. Table 3's
suggested duration), horizontal stacked bars, a histogram and a line over months.

The shapes are small inline SVGs; every word and number is HTML beside them, never inside an
SVG, so it stays legible on a 360-pixel phone and an accessibility checker can read its contrast.
The chart as a whole is an image with a name; the report table with the same numbers sits
beside it for screen readers. ``templates/reports/_chart.html`` draws what these functions
return. Pure: no ORM, no request, no JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise

from reports.policies import cell_text, every_nth, nice_ceiling

MARKER = "#a4161a"
# Each has at least 4.5:1 contrast with white and 3:1 with the page, and they differ in lightness
# as well as hue.
PALETTE = ("#0b4a8b", "#1d6b36", "#8a4500", "#6a3d9a", "#a4161a", "#00656e", "#4a5560", "#7a5c00")
BAR_ROOM = 82  # % of the row a full-length bar takes; the rest is for its number
MOST_BARS = 12  # a chart of courses or people draws the largest this many; the table has all
LABEL_CHARS = 60


def _num(value: object) -> float:
    if isinstance(value, int | float | Decimal):
        return float(value)
    return 0.0


def _r(value: float) -> float:
    return round(value, 2)


def _short(label: object, limit: int = LABEL_CHARS) -> str:
    text = cell_text(label)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Segment:
    start: float  # in the bar's own units (0 .. total)
    length: float
    color: str


@dataclass(frozen=True)
class HBar:
    label: str
    value: str
    width_pct: float  # of the row
    total: float
    segments: tuple[Segment, ...] = ()
    marker_pct: float | None = None


@dataclass(frozen=True)
class VBar:
    value: str
    height_pct: float


@dataclass(frozen=True)
class XLabel:
    text: str
    at_pct: float  # the centre of its bar or point, across the plot


@dataclass(frozen=True)
class LegendItem:
    label: str | Promise
    color: str
    marker: bool = False  # a dashed line, not a filled swatch


@dataclass(frozen=True)
class Line:
    points: str
    color: str
    dots: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Chart:
    uid: str
    title: str | Promise
    kind: str  # "hbar" | "vbar" | "line"
    hbars: tuple[HBar, ...] = ()
    vbars: tuple[VBar, ...] = ()
    lines: tuple[Line, ...] = ()
    x_labels: tuple[XLabel, ...] = ()
    y_labels: tuple[str, ...] = ()  # top, middle, bottom
    legend: tuple[LegendItem, ...] = field(default=())
    shown: int = 0  # when only the largest (or lowest) bars are drawn: how many, of ``of``
    of: int = 0
    lowest: bool = False

    @property
    def empty(self) -> bool:
        return not (self.hbars or self.vbars or self.lines)


def _largest(values: Sequence[float], most: int | None, lowest: bool = False) -> list[int]:
    """The positions of the bars to draw: all of them in order, or (a list of courses, people)
    the ``most`` largest, largest first (``lowest``: the smallest, smallest first)."""
    if most is None or len(values) <= most:
        return list(range(len(values)))
    return sorted(range(len(values)), key=lambda i: values[i] if lowest else -values[i])[:most]


def _shown(keep: list[int], count: int) -> tuple[int, int]:
    """(bars drawn, bars there are) when not all are drawn, else (0, 0)."""
    return (len(keep), count) if len(keep) < count else (0, 0)


def bar_chart(
    uid: str,
    title: str | Promise,
    items: Sequence[tuple[object, object]],
    *,
    markers: Sequence[object | None] = (),
    marker_label: str | Promise = "",
    color: str = PALETTE[0],
    most: int | None = None,
    lowest: bool = False,
) -> Chart:
    """One horizontal bar per (label, value), its number after it; ``markers`` (one per item,
    or None) draw a dashed line across the row at that value."""
    marks = list(markers) + [None] * (len(items) - len(markers))
    keep = _largest([_num(v) for _, v in items], most, lowest)
    count = len(items)
    items, marks = [items[i] for i in keep], [marks[i] for i in keep]
    top = nice_ceiling(max([_num(v) for _, v in items] + [_num(m) for m in marks if m is not None] + [0]))
    bars = tuple(
        HBar(
            label=_short(label),
            value=cell_text(value),
            width_pct=_r(_num(value) / top * BAR_ROOM),
            total=_num(value),
            segments=(Segment(0, _num(value), color),) if _num(value) > 0 else (),
            marker_pct=None if mark is None else _r(_num(mark) / top * BAR_ROOM),
        )
        for (label, value), mark in zip(items, marks, strict=True)
    )
    legend = (
        (LegendItem(marker_label, MARKER, marker=True),) if marker_label and any(m is not None for m in marks) else ()
    )
    shown, of = _shown(keep, count)
    return Chart(uid, title, "hbar", hbars=bars, legend=legend, shown=shown, of=of, lowest=lowest)


def stacked_bar_chart(
    uid: str,
    title: str | Promise,
    categories: Sequence[object],
    series: Sequence[str | Promise],
    values: Sequence[Sequence[object]],
    *,
    most: int | None = None,
) -> Chart:
    """One horizontal bar per category, split into one segment per series (``values[c][s]``),
    the total after it."""
    totals = [sum(_num(v) for v in row) for row in values]
    keep = _largest(totals, most)
    count = len(totals)
    categories, values, totals = [categories[i] for i in keep], [values[i] for i in keep], [totals[i] for i in keep]
    top = nice_ceiling(max([*totals, 0]))
    bars = []
    for label, row, total in zip(categories, values, totals, strict=True):
        segments, start = [], 0.0
        for index, value in enumerate(row):
            if _num(value) > 0:
                segments.append(Segment(start, _num(value), PALETTE[index % len(PALETTE)]))
                start += _num(value)
        text = cell_text(int(total) if float(total).is_integer() else Decimal(str(total)))
        bars.append(HBar(_short(label), text, _r(total / top * BAR_ROOM), total, tuple(segments)))
    legend = tuple(LegendItem(s, PALETTE[i % len(PALETTE)]) for i, s in enumerate(series))
    shown, of = _shown(keep, count)
    return Chart(uid, title, "hbar", hbars=tuple(bars), legend=legend, shown=shown, of=of)


def _y_labels(top: float) -> tuple[str, ...]:
    def text(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else str(value)

    return (text(top), text(top / 2), "0")


def _x_labels(labels: Sequence[object], most: int, chars: int) -> tuple[XLabel, ...]:
    """Every n-th label, at most ``most`` of them, each centred under its bar or point."""
    nth = every_nth(len(labels), most)
    return tuple(
        XLabel(_short(label, chars), _r((i + 0.5) / len(labels) * 100))
        for i, label in enumerate(labels)
        if i % nth == 0
    )


def histogram(uid: str, title: str | Promise, bins: Sequence[tuple[object, object]]) -> Chart:
    """Vertical bars side by side, one per bin (label, count), the count above each bar."""
    top = nice_ceiling(max([_num(v) for _, v in bins] + [0]))
    bars = tuple(VBar(cell_text(value), _r(_num(value) / top * 100)) for _, value in bins)
    return Chart(
        uid, title, "vbar", vbars=bars, x_labels=_x_labels([b[0] for b in bins], 5, 12), y_labels=_y_labels(top)
    )


# The line chart's SVG: a fixed drawing size (it scales with the page, keeping its shape).
LINE_W = 360
LINE_H = 150
PAD = 6


def line_chart(
    uid: str,
    title: str | Promise,
    labels: Sequence[object],
    series: Sequence[tuple[str | Promise, Sequence[object]]],
) -> Chart:
    """One line per series over evenly spaced points (months), a dot at each point; the labels
    of the x axis under it (at most five) and of the y axis beside it."""
    top = nice_ceiling(max([_num(v) for _, values in series for v in values] + [0]))
    count = max(len(labels), 1)
    step = LINE_W / count
    lines = []
    for number, (_, values) in enumerate(series):
        points = tuple(
            (_r(step * (i + 0.5)), _r(LINE_H - PAD - _num(v) / top * (LINE_H - 2 * PAD))) for i, v in enumerate(values)
        )
        lines.append(Line(" ".join(f"{x},{y}" for x, y in points), PALETTE[number % len(PALETTE)], points))
    x_labels = _x_labels(labels, 5, 8)
    legend = tuple(LegendItem(name, PALETTE[i % len(PALETTE)]) for i, (name, _) in enumerate(series))
    return Chart(
        uid,
        title,
        "line",
        lines=tuple(lines),
        x_labels=x_labels,
        y_labels=_y_labels(top),
        legend=legend if len(series) > 1 else (),
    )

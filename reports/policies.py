"""The pure bits of the reports (R-QA-1, R-QA-2): who sees which PTjs, the filters as plain
values, rates, medians and how a figure is written in a table cell (the same text on the page
and in the CSV). No ORM, no request."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

SECONDS_PER_DAY = Decimal(86400)
NO_VALUE = "\u2013"  # an en dash
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Scope:
    """What one viewer may see. ``everything``: every PTj (CFLEX, BJKA, the Senate secretary).
    Otherwise the PTjs of ``ptj_ids`` (a Dean, a Head of PTj) and, for the learner-experience
    report only, the offerings ``teacher_id`` teaches. ``comments_*``: whose free-text survey
    comments the viewer may read (docs/decisions/0060)."""

    everything: bool = False
    ptj_ids: frozenset[int] = frozenset()
    teacher_id: int | None = None
    comments_everywhere: bool = False
    comment_ptj_ids: frozenset[int] = frozenset()

    @property
    def sees_dashboards(self) -> bool:
        return self.everything or bool(self.ptj_ids)

    @property
    def sees_experience(self) -> bool:
        return self.sees_dashboards or self.teacher_id is not None

    @property
    def reads_comments(self) -> bool:
        return self.comments_everywhere or bool(self.comment_ptj_ids) or self.teacher_id is not None


@dataclass(frozen=True)
class Filters:
    """A dashboard's filters, validated, with the viewer's scope folded in: ``everything`` or
    ``ptj_ids`` (and, for the learner-experience report, the offerings ``teacher_id`` teaches),
    narrowed by the PTj and course chosen. Dates are inclusive."""

    date_from: date | None = None
    date_to: date | None = None
    everything: bool = False
    ptj_ids: frozenset[int] = frozenset()
    teacher_id: int | None = None
    chosen_ptj: int | None = None
    course_id: int | None = None
    course_code: str = ""
    query: tuple[tuple[str, str], ...] = field(default=())  # the GET parameters, for CSV links

    @property
    def end_exclusive(self) -> date | None:
        return self.date_to + timedelta(days=1) if self.date_to else None


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal (half up); None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def days(seconds: float | Decimal | None) -> Decimal | None:
    """Seconds as days to one decimal."""
    if seconds is None:
        return None
    return (Decimal(str(seconds)) / SECONDS_PER_DAY).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median(values: Iterable[Decimal | int | float]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    ordered = sorted(Decimal(str(v)) for v in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def average(value: float | Decimal | None, places: str = "0.01") -> Decimal | None:
    """A database average (float on SQLite, Decimal on PostgreSQL) to a fixed number of places."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def cell_text(value: object) -> str:
    """How a value is written in a report cell: the page and the CSV show exactly this."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_safe(text: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula. Numbers are left alone."""
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k at or above ``value`` (an axis maximum); 1 for 0."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


def every_nth(count: int, most: int) -> int:
    """Label every n-th of ``count`` ticks so that at most ``most`` are labelled."""
    return max(1, -(-count // most))


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s, so a line has no gaps."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def ordered(keys: Iterable[str], order: Sequence[str]) -> list[str]:
    """``keys`` in the order of ``order``, then any others alphabetically."""
    present = set(keys)
    return [k for k in order if k in present] + sorted(present - set(order))

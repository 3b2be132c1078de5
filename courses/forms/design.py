"""The nested part of the editor (CLOs, Table 4, assessment plan) as rows of typed text.

Inputs are named by position (``units-0-lines-2-rate_minutes``); the page's script renumbers them
after a row is added, removed or moved. Units and CLOs also carry a ``key`` that components refer
to, so a reference survives renumbering. Rows keep the raw text, so nothing typed is lost when a
save is refused; ``parse`` turns them into plain values and errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from courses.policies import CLOData, ComponentData, LineData, Problem, ProposalData, UnitData, plain
from courses.policies.outcomes import OutcomeSentence, outcome_sentence


@dataclass
class Row:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    prefix: str = ""  # the inputs' name prefix, e.g. "units-0-lines-2"
    number: int = 1  # as the page shows it: CLO1, Unit 1

    def __getitem__(self, name: str) -> str:
        # KeyError for other names, so templates fall back to attributes (``row.errors``).
        return self.values[name]

    def checked(self, name: str) -> bool:
        return self.values.get(name, "") in {"on", "true", "1"}


@dataclass
class CLORow(Row):
    @property
    def sentence(self) -> OutcomeSentence:
        """How the outcome will read on the course page, the MMS and the badge (R-AF-4)."""
        v = self.values
        return outcome_sentence(
            verb=v.get("verb", ""),
            content=v.get("outcome", ""),
            criteria=v.get("criteria", ""),
            conditions=v.get("conditions", ""),
        )


@dataclass
class UnitRow(Row):
    lines: list[Row] = field(default_factory=list)


@dataclass
class ComponentRow(Row):
    clos: list[str] = field(default_factory=list)  # CLO keys


@dataclass
class DesignRows:
    clos: list[CLORow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    components: list[ComponentRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # problems that belong to no single field

    def unit_choices(self) -> list[tuple[str, str]]:
        return [(u["key"], unit_label(n, u["title"])) for n, u in enumerate(self.units, start=1)]

    def clo_choices(self) -> list[tuple[str, str]]:
        return [(c["key"], f"CLO{n}") for n, c in enumerate(self.clos, start=1)]


def number_rows(rows: DesignRows) -> DesignRows:
    """Give every row its position: the prefix of its inputs' names and its number."""
    for i, clo in enumerate(rows.clos):
        clo.prefix, clo.number = f"clos-{i}", i + 1
    for u, unit in enumerate(rows.units):
        unit.prefix, unit.number = f"units-{u}", u + 1
        for n, line in enumerate(unit.lines):
            line.prefix, line.number = f"units-{u}-lines-{n}", n + 1
    for i, component in enumerate(rows.components):
        component.prefix, component.number = f"components-{i}", i + 1
    return rows


def blank_rows() -> dict[str, Row]:
    """Empty rows: the prototypes the page's script copies when a row is added."""
    return {
        "clo": CLORow(dict.fromkeys(CLO_FIELDS, ""), prefix="clos-0"),
        "unit": UnitRow(dict.fromkeys(UNIT_FIELDS, ""), prefix="units-0"),
        "line": Row(dict.fromkeys(LINE_FIELDS, ""), prefix="units-0-lines-0"),
        "component": ComponentRow(dict.fromkeys(COMPONENT_FIELDS, ""), prefix="components-0"),
    }


def unit_label(number: int, title: str) -> str:
    return f"{_('Unit')} {number}" + (f": {title}" if title else "")


CLO_FIELDS = ("key", "verb", "outcome", "criteria", "conditions", "mqf_level", "effort_hours")
UNIT_FIELDS = ("key", "title")
LINE_FIELDS = ("activity", "quantity", "rate_minutes", "is_online")
COMPONENT_FIELDS = ("title", "method", "kind", "weight", "unit", "retake_allowed")


_ROW_KEY = re.compile(r"(clos|units|components)-(\d+)-(?:lines-(\d+)-)?(key|activity|method)")


def rows_from_post(post: QueryDict) -> DesignRows:
    """The rows in the posted order. One pass over the names finds which rows exist: a CLO or a
    unit by its key, a line by its activity, a component by its method."""
    clos, units, components = set(), set(), set()
    lines: dict[int, set[int]] = {}
    for name in post:
        match = _ROW_KEY.fullmatch(name)
        if not match:
            continue
        group, index, line, field_name = match.group(1), int(match.group(2)), match.group(3), match.group(4)
        if group == "clos" and field_name == "key":
            clos.add(index)
        elif group == "units" and line is None and field_name == "key":
            units.add(index)
        elif group == "units" and line is not None and field_name == "activity":
            lines.setdefault(index, set()).add(int(line))
        elif group == "components" and field_name == "method":
            components.add(index)
    rows = DesignRows()
    for i in sorted(clos):
        rows.clos.append(CLORow({f: post.get(f"clos-{i}-{f}", "") for f in CLO_FIELDS}))
    for u in sorted(units):
        unit = UnitRow({f: post.get(f"units-{u}-{f}", "") for f in UNIT_FIELDS})
        for n in sorted(lines.get(u, ())):
            unit.lines.append(Row({f: post.get(f"units-{u}-lines-{n}-{f}", "") for f in LINE_FIELDS}))
        rows.units.append(unit)
    for i in sorted(components):
        rows.components.append(
            ComponentRow(
                {f: post.get(f"components-{i}-{f}", "") for f in COMPONENT_FIELDS},
                clos=post.getlist(f"components-{i}-clos"),
            )
        )
    return rows


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def rows_from_data(data: ProposalData) -> DesignRows:
    """Rows for a saved proposal; keys are positions (``c1``, ``u2``)."""
    return DesignRows(
        clos=[
            CLORow({"key": f"c{n}", **{f: _text(getattr(c, f)) for f in CLO_FIELDS[1:]}})
            for n, c in enumerate(data.clos, start=1)
        ],
        units=[
            UnitRow(
                {"key": f"u{n}", "title": u.title},
                lines=[
                    Row(
                        {
                            "activity": li.activity,
                            "quantity": str(li.quantity),
                            "rate_minutes": plain(li.rate_minutes),
                            "is_online": "on" if li.is_online else "",
                        }
                    )
                    for li in u.lines
                ],
            )
            for n, u in enumerate(data.units, start=1)
        ],
        components=[
            ComponentRow(
                {
                    "title": c.title,
                    "method": c.method,
                    "kind": c.kind,
                    "weight": str(c.weight),
                    "unit": f"u{c.unit}" if c.unit else "",
                    "retake_allowed": "on" if c.retake_allowed else "",
                },
                clos=[f"c{n}" for n in c.clos],
            )
            for c in data.components
        ],
    )


def _int(row: Row, name: str, *, required: bool) -> int | None:
    raw = row[name].strip()
    if not raw:
        if required:
            row.errors[name] = _("Enter a whole number.")
        return None
    try:
        return int(raw)
    except ValueError:
        row.errors[name] = _("Enter a whole number.")
        return None


def _decimal(row: Row, name: str) -> Decimal | None:
    raw = row[name].strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        row.errors[name] = _("Enter a number of minutes.")
        return None
    return value


@dataclass(frozen=True)
class ParsedDesign:
    clos: tuple[CLOData, ...]
    units: tuple[UnitData, ...]
    components: tuple[ComponentData, ...]
    valid: bool


def parse(rows: DesignRows) -> ParsedDesign:
    """Plain values from the rows. A row whose numbers do not parse is left out (and marked), so the
    live totals still show the rest."""
    clo_number = {c["key"]: n for n, c in enumerate(rows.clos, start=1)}
    unit_number = {u["key"]: n for n, u in enumerate(rows.units, start=1)}
    clos = []
    for clo in rows.clos:
        level = _int(clo, "mqf_level", required=False)
        effort = _int(clo, "effort_hours", required=False)
        clos.append(CLOData(clo["verb"], clo["outcome"], clo["criteria"], clo["conditions"], level, effort))
    units = []
    for unit in rows.units:
        lines = []
        for line in unit.lines:
            quantity = _int(line, "quantity", required=True)
            rate = _decimal(line, "rate_minutes")
            if quantity is not None and rate is not None:
                lines.append(LineData(line["activity"], quantity, rate, line.checked("is_online")))
        units.append(UnitData(unit["title"], tuple(lines)))
    components = []
    for row in rows.components:
        weight = _int(row, "weight", required=True)
        if weight is None:
            continue
        components.append(
            ComponentData(
                method=row["method"],
                kind=row["kind"],
                weight=weight,
                title=row["title"],
                unit=unit_number.get(row["unit"]),
                clos=tuple(clo_number[key] for key in row.clos if key in clo_number),
                retake_allowed=row.checked("retake_allowed"),
            )
        )
    valid = not any(r.errors for r in [*rows.clos, *rows.components, *(li for u in rows.units for li in u.lines)])
    return ParsedDesign(tuple(clos), tuple(units), tuple(components), valid)


_NESTED = re.compile(r"(clos|units|components)\[(\d+)\](?:\.lines\[(\d+)\])?(?:\.(\w+))?")


def attach_problems(rows: DesignRows, problems: list[Problem]) -> list[Problem]:
    """Put each problem about a row on that row; return the ones that are not about a row."""
    rest = []
    for problem in problems:
        match = _NESTED.fullmatch(problem.field)
        row: Row | None = None
        if match:
            group, index, line, name = match.group(1), int(match.group(2)), match.group(3), match.group(4) or ""
            items: list[Any] = getattr(rows, group)
            if index < len(items):
                row = items[index]
                if line is not None and isinstance(row, UnitRow):
                    row = row.lines[int(line)] if int(line) < len(row.lines) else None
            if row is not None:
                row.errors[name or "row"] = problem.message
                continue
        rest.append(problem)
    return rest

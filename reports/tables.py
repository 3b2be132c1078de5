"""A report table: the one thing the page, the chart beside it and the CSV export all read, so
the CSV is the table by construction. Pure."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.functional import Promise

from reports.policies import cell_text, csv_safe

# A long table (a row per course, at a thousand courses) shows this many rows; the rest are one
# click away on the page and always in the CSV.
FOLD_AFTER = 25


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    slug: str  # unique on its dashboard; names the CSV
    title: str | Promise
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]
    note: str | Promise = ""
    empty: str | Promise = ""
    footer: tuple[object, ...] | None = None  # a totals row, exported too

    @property
    def header(self) -> list[str]:
        return [str(c.label) for c in self.columns]

    def text_rows(self) -> list[list[str]]:
        """Every row as the page shows it (the totals row last)."""
        rows = [[cell_text(v) for v in row] for row in self.rows]
        if self.footer is not None:
            rows.append([cell_text(v) for v in self.footer])
        return rows

    @property
    def fold_after(self) -> int:
        return FOLD_AFTER

    @property
    def folds(self) -> bool:
        return len(self.rows) > FOLD_AFTER

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def values(self, key: str) -> list[object]:
        index = self.column(key)
        return [row[index] for row in self.rows]

    def html_rows(self) -> list[list[tuple[str, bool]]]:
        """Each body row as (text, numeric) cells."""
        numeric = [c.numeric for c in self.columns]
        return [list(zip([cell_text(v) for v in row], numeric, strict=True)) for row in self.rows]

    def html_footer(self) -> list[tuple[str, bool]] | None:
        if self.footer is None:
            return None
        return list(zip([cell_text(v) for v in self.footer], [c.numeric for c in self.columns], strict=True))


def table_csv(table: Table) -> str:
    """The table as CSV: its header, then exactly the cells the page shows (text cells that a
    spreadsheet would run as a formula are prefixed with an apostrophe)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    for row in table.text_rows():
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()

"""Read a report table back from a page, as a person (or a screen reader) would see its cells."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser


class _TableReader(HTMLParser):
    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.in_caption = False
        self.cell: list[str] | None = None
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "caption":
            self.in_caption = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.inside:
            self.inside = False
        elif tag == "caption":
            self.in_caption = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.in_caption:
            self.cell.append(data)


def page_table(html: str, slug: str) -> list[list[str]]:
    """The header row, body rows and totals row of ``<table id="table-<slug>">``."""
    reader = _TableReader(f"table-{slug}")
    reader.feed(html)
    return reader.rows


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))

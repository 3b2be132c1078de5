"""The only writes of the reports app: the audit event of each eSP export (R-QA-3)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from reports.esp import LayoutError, esp_layout, esp_table
from reports.policies import csv_safe
from reports.selectors.esp import EspData, esp_course, esp_data

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class EspExport:
    filename: str
    content_type: str
    content: bytes
    took: int
    passed: int


def esp_forbidden() -> ApplicationError:
    return ApplicationError("esp_forbidden", _("The eSP export is for CFLEX and BJKA."), kind=ErrorKind.FORBIDDEN)


@transaction.atomic(durable=True)
def esp_export(*, actor: User, proposal_id: int, date_from: date, date_to: date, fmt: str) -> EspExport:
    """R-QA-3: the learners who took one micro-credential in offerings that ended in the period,
    and whether they passed, for MQA's eSP form; CSV or XLSX in the configured layout
    (docs/esp-export.md). Nothing MQA needs is masked (the identity number is whole), so only
    CFLEX and BJKA may run it, and every export is audited."""
    if not actor.has_perm("reports.esp_export"):
        raise esp_forbidden()
    if fmt not in FORMATS:
        raise ApplicationError("format_invalid", _("Choose CSV or XLSX."), field="format")
    if date_to < date_from:
        raise ApplicationError("period_order", _("The period ends before it starts."), field="date_to")
    proposal = esp_course(proposal_id)
    if proposal is None:
        raise ApplicationError("course_invalid", _("Choose a micro-credential from the list."), field="course")
    data = esp_data(proposal_id=proposal.pk, date_from=date_from, date_to=date_to)
    try:
        columns = esp_layout(getattr(settings, "ESP_EXPORT_COLUMNS", None))
    except LayoutError as error:
        raise ApplicationError("esp_layout_invalid", str(error), kind=ErrorKind.CONFLICT) from None
    table = esp_table(columns, data.rows)
    content = _csv(table) if fmt == "csv" else _xlsx(table, data, date_from, date_to)
    audit_record(
        actor=actor,
        action="report.esp_export",
        obj=proposal,
        data={
            "format": fmt,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "took": data.took,
            "passed": data.passed,
            "columns": [c.key for c in columns],
        },
    )
    filename = f"esp-{data.course_code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    return EspExport(filename, FORMATS[fmt], content, data.took, data.passed)


def _csv(table: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table[0])
    for row in table[1:]:
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")  # a BOM, so spreadsheets read the names as UTF-8


def _xlsx(table: list[list[str]], data: EspData, date_from: date, date_to: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    book = Workbook()
    learners = book.active
    assert learners is not None
    learners.title = "Learners"
    for r, row in enumerate(table, start=1):
        for c, text in enumerate(row, start=1):
            cell = learners.cell(row=r, column=c, value=text)
            cell.data_type = TYPE_STRING  # text, never a formula, whatever it starts with
    summary = book.create_sheet("Summary")
    lines: list[list[object]] = [
        ["Micro-credential", f"{data.course_code} {data.course_title}"],
        ["Period (offerings ending)", f"{date_from.isoformat()} to {date_to.isoformat()}"],
        ["Took", data.took],
        ["Passed", data.passed],
        [],
        ["Session", "Start date", "End date", "Took", "Passed"],
        *[[o.session, o.starts_on.isoformat(), o.ends_on.isoformat(), o.took, o.passed] for o in data.offerings],
    ]
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            cell = summary.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = TYPE_STRING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

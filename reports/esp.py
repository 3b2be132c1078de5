"""R-QA-3: the learners of one micro-credential for MQA's eSP form, as pure layout rules.

MQA has not published the eSP form's columns, so the layout is data: ``ESP_FIELDS`` lists every
field the portal can fill, and ``settings.ESP_EXPORT_COLUMNS`` (environment ``ESP_EXPORT_COLUMNS``,
comma-separated ``key`` or ``key=Header``) picks, orders and renames them. docs/esp-export.md
lists the fields (docs/decisions/0182)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class EspField:
    key: str
    header: str  # default column header
    description: str


ESP_FIELDS: dict[str, EspField] = {
    f.key: f
    for f in (
        EspField("institution", "Institution", "Awarding institution (CREDENTIAL_INSTITUTION)."),
        EspField("mc_code", "Micro-credential code", "Course code of the micro-credential (R-NM-2)."),
        EspField("mc_title", "Micro-credential title", "Title of the micro-credential."),
        EspField("category", "Category", "1 (from an accredited programme) or 3 (stand-alone)."),
        EspField("programme", "Programme (course origin)", "Accredited programme and course it is unbundled from."),
        EspField("quality_reference", "MQR / QVC reference", "Current MQR reference or QVC verification."),
        EspField("quality_valid_until", "Reference valid until", "End of the reference's validity (ISO date)."),
        EspField("mqf_level", "MQF level", "Course level on the MQF."),
        EspField("credits", "Credits", "MQF credits of the micro-credential."),
        EspField("session", "Session", "Offering session (intake)."),
        EspField("start_date", "Start date", "First day of the offering (ISO date)."),
        EspField("end_date", "End date", "Last day of the offering (ISO date)."),
        EspField("learner_name", "Learner name", "Name as on the identity document."),
        EspField("identity_type", "Identity document", "NRIC or Passport."),
        EspField("identity_number", "Identity number", "Full NRIC or passport number (not masked)."),
        EspField("nationality", "Nationality", "Malaysia for NRIC holders."),
        EspField("birth_date", "Date of birth", "ISO date."),
        EspField("email", "Email", "Learner's email address."),
        EspField("phone", "Phone", "Learner's phone number."),
        EspField("enrolled_on", "Enrolled on", "Date of enrolment (ISO date)."),
        EspField("status", "Enrolment status", "Enrolled, completed or failed."),
        EspField("passed", "Passed", "Yes when the learner passed (Senate-approved results), else No."),
        EspField("final_mark", "Final mark (%)", "Weighted final mark (R-RS-1), empty before grading."),
        EspField("grade", "Grade", "Grade from the policy's bands."),
        EspField("certificate_serial", "Certificate serial no.", "Serial of the credential in force."),
        EspField("issued_on", "Date of award", "Issue date of that credential (ISO date)."),
    )
}

DEFAULT_COLUMNS: tuple[str, ...] = tuple(ESP_FIELDS)


class LayoutError(ValueError):
    """A configured column names no known field."""


@dataclass(frozen=True)
class EspColumn:
    key: str
    header: str


def esp_layout(configured: Sequence[str] | str | None) -> tuple[EspColumn, ...]:
    """The columns of the export, in order: ``configured`` entries are ``key`` or ``key=Header``
    (a comma-separated string or a list); empty means every field, default headers."""
    if isinstance(configured, str):
        configured = list(configured.split(","))
    entries = [c.strip() for c in (configured or []) if c and c.strip()]
    if not entries:
        return tuple(EspColumn(k, ESP_FIELDS[k].header) for k in DEFAULT_COLUMNS)
    columns = []
    for entry in entries:
        key, _, header = entry.partition("=")
        key = key.strip()
        if key not in ESP_FIELDS:
            raise LayoutError(f"ESP_EXPORT_COLUMNS: unknown field {key!r}; see docs/esp-export.md")
        columns.append(EspColumn(key, header.strip() or ESP_FIELDS[key].header))
    return tuple(columns)


def esp_table(columns: Iterable[EspColumn], rows: Iterable[Mapping[str, object]]) -> list[list[str]]:
    """Header then one row of text per learner, in the layout's order."""
    columns = list(columns)
    table = [[c.header for c in columns]]
    for row in rows:
        table.append(["" if row.get(c.key) is None else str(row.get(c.key)) for c in columns])
    return table

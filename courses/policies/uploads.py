"""What an uploaded market-survey analysis is, judged by its content (R-AF-3): PDF, XLSX or CSV.
The file name's extension must agree with the content. Pure: works on any binary stream."""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext as _

from courses.choices import UploadKind
from courses.policies.data import Problem

_EXTENSIONS = {UploadKind.PDF: ".pdf", UploadKind.XLSX: ".xlsx", UploadKind.CSV: ".csv"}
_CSV_SAMPLE = 64 * 1024
_CSV_DELIMITERS = (",", ";", "\t")
_FIELD = "survey_file"


class UploadRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _refuse(code: str, message: str) -> UploadRefused:
    return UploadRefused(Problem("R-AF-3", code, message, _FIELD))


def _is_xlsx(stream: BinaryIO) -> bool:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    has_sheet = "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
    # A workbook with macros is not an .xlsx, whatever it is called.
    return has_sheet and "xl/vbaProject.bin" not in names


def _is_csv(sample: bytes, complete: bool) -> bool:
    if b"\x00" in sample:
        return False
    if not complete:
        # Cut at the last line break so a multi-byte character is not split.
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        return False
    first = text.splitlines()[0] if text.strip() else ""
    return any(d in first for d in _CSV_DELIMITERS)


def sniff_upload(stream: BinaryIO, *, name: str, size: int, max_bytes: int) -> str:
    """The ``UploadKind`` of the file, or ``UploadRefused`` naming why."""
    if size > max_bytes:
        raise _refuse(
            "upload_too_large",
            _("The file is %(size)s MB; the limit is %(max)s MB.")
            % {"size": round(size / 1_048_576, 1), "max": round(max_bytes / 1_048_576, 1)},
        )
    if size == 0:
        raise _refuse("upload_empty", _("The file is empty."))
    stream.seek(0)
    head = stream.read(_CSV_SAMPLE)
    if head.startswith(b"%PDF-"):
        kind = UploadKind.PDF
    elif head.startswith(b"PK\x03\x04") and _is_xlsx(stream):
        kind = UploadKind.XLSX
    elif _is_csv(head, complete=size <= _CSV_SAMPLE):
        kind = UploadKind.CSV
    else:
        raise _refuse("upload_type", _("Only PDF, XLSX or CSV files are accepted; this file is none of them."))
    stream.seek(0)
    if PurePath(name).suffix.lower() != _EXTENSIONS[kind]:
        raise _refuse(
            "upload_type_mismatch",
            _("The file's content is %(kind)s but its name ends in %(suffix)s.")
            % {"kind": kind.label, "suffix": PurePath(name).suffix or _("nothing")},
        )
    return kind.value

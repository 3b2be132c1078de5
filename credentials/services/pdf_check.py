"""A certificate or MMS PDF checked on its own (issue 16): the signed credential embedded in it
(``credential.json``, a PDF/A-3 associated file) is taken out, verified like any uploaded
credential (``credential_verify_document``, so the one verdict), and the facts printed on the
page (the learner's name, the course and the date of issue) are compared with the signed ones.
A PDF whose visible name was edited, or whose embedded credential was changed, is not valid.

The PDF comes from anyone, so it is read with bounds: its size (``PDF_MAX_BYTES``), pypdf's
decompression limits lowered for the read, the embedded file's size, read through the bounded
JSON reader (core.safejson), and the text of the first pages only."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from datetime import datetime
from typing import Any

from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import safejson
from credentials.data import VerificationData

log = logging.getLogger(__name__)

PDF_MAX_BYTES = 4 * 1024 * 1024  # an issued certificate is ~40 KB, an MMS ~60 KB
EMBEDDED_MAX_BYTES = 512 * 1024  # a credential is a few kilobytes
TEXT_PAGES = 2  # the certificate is one page; the MMS prints the facts on its first
EMBEDDED_NAME = "credential.json"
_DECOMPRESSED_MAX = 16 * 1024 * 1024


class PdfInputError(ValueError):
    """A PDF that cannot be checked, with a stable code and a plain message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(b"%PDF-")


def credential_from_pdf(raw: bytes) -> tuple[dict[str, Any], str]:
    """The embedded credential and the text printed on the first pages. Raises PdfInputError."""
    import pypdf

    if len(raw) > PDF_MAX_BYTES:
        raise PdfInputError("pdf_too_large", _("The PDF is larger than 4 MB; a certificate is under 100 KB."))
    limits = {
        "zlib_maximum_output_length": _DECOMPRESSED_MAX,
        "lzw_maximum_output_length": _DECOMPRESSED_MAX,
        "run_length_maximum_output_length": _DECOMPRESSED_MAX,
        "brotli_maximum_output_length": _DECOMPRESSED_MAX,
        "maximum_declared_stream_length": _DECOMPRESSED_MAX,
        "xmp_maximum_input_length": 1024 * 1024,
    }
    try:
        with pypdf.apply_configuration(None, **limits):
            reader = pypdf.PdfReader(io.BytesIO(raw), strict=False)
            found = [f for f in reader.attachment_list if f.name == EMBEDDED_NAME]
            if not found:
                raise PdfInputError(
                    "pdf_no_credential",
                    _(
                        "This PDF carries no signed credential inside it. Certificates issued before "
                        "this check existed do not: scan their QR code instead."
                    ),
                )
            if len(found) > 1:
                raise PdfInputError("pdf_two_credentials", _("This PDF carries more than one credential.json."))
            size = found[0].size
            if size is not None and size > EMBEDDED_MAX_BYTES:
                raise PdfInputError("pdf_credential_too_large", _("The credential inside the PDF is too large."))
            data = found[0].content
            text = "\n".join(page.extract_text() or "" for page in reader.pages[:TEXT_PAGES])
    except PdfInputError:
        raise
    except Exception as error:  # a third-party parser of untrusted bytes: any failure means unreadable
        log.info("unreadable PDF upload: %s", type(error).__name__)
        raise PdfInputError("pdf_unreadable", _("This PDF could not be read.")) from None
    try:
        document = safejson.loads(data, max_bytes=EMBEDDED_MAX_BYTES)
    except safejson.JsonInputError:
        raise PdfInputError("pdf_credential_invalid", _("The credential inside the PDF is not JSON.")) from None
    if not isinstance(document, dict):
        raise PdfInputError("pdf_credential_invalid", _("The credential inside the PDF is not a JSON object."))
    return document, text


def _squeeze(text: str) -> str:
    """Text compared without spacing, line breaks or case (a name may wrap or be set in capitals)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _printed_date(valid_from: Any) -> str | None:
    if not isinstance(valid_from, str):
        return None
    try:
        moment = datetime.fromisoformat(valid_from.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    with translation.override("en"):
        return str(format_date(timezone.localtime(moment).date(), "j F Y"))


def printed_facts_problem(document: dict[str, Any], text: str) -> str:
    """Why the page does not show what the signed credential says ("" when it does): the learner's
    name, the course (code and title) and the date of issue must all be printed."""
    subject = document.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    names = [
        str(i.get("identityHash", ""))
        for i in subject.get("identifier") or []
        if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")
    ]
    printed = _squeeze(text)
    wrong = []
    if not names or _squeeze(names[0]) not in printed:
        wrong.append(_("the learner's name"))
    course = f"{achievement.get('humanCode', '')} {achievement.get('name', '')}"
    if not course.strip() or _squeeze(course) not in printed:
        wrong.append(_("the course"))
    day = _printed_date(document.get("validFrom"))
    if day is None or _squeeze(day) not in printed:
        wrong.append(_("the date of issue"))
    if not wrong:
        return ""
    return _(
        "The PDF's printed %(facts)s differ from its signed credential: the visible page was edited, "
        "or the credential inside it was swapped."
    ) % {"facts": ", ".join(wrong)}


def credential_verify_pdf(raw: bytes) -> VerificationData:
    """The verdict on a certificate or MMS PDF: its embedded credential checked in full, and the
    printed facts compared with it. Raises PdfInputError when there is nothing to check."""
    from dataclasses import replace

    from credentials.services.verification import credential_verify_document

    document, text = credential_from_pdf(raw)
    problem = printed_facts_problem(document, text)
    result = credential_verify_document(document, printed_problem=problem)
    if problem and result.reason == problem:  # the verdict is the mismatch, not the signature
        result = replace(result, printed_mismatch=True)
    return result

"""The certificate and the Malaysian Micro-credential Statement (MMS) as PDF bytes.

R-CR-1: the certificate carries a QR code that opens the public verification page (its text is
exactly ``facts.verification_url``). R-CR-2 / Appendix 1: the MMS prints every field of the
guideline's statement under the guideline's own labels. R-CR-4: identity numbers arrive
masked and are refused here if they are not.

Both documents are fixed bilingual text (English, then Bahasa Malaysia), rendered with the
English locale whatever the request's language; the Malay dates come from Django's ``ms``
locale. Rendering goes through ``core.pdf.render_pdf``, which fetches only the project's static
files and data: URIs and uses the fonts shipped in ``static/fonts`` (Latin, Jawi, Tamil, Chinese).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from django.template.defaultfilters import date as format_date
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import PdfAttachment, render_pdf
from credentials.data import CredentialFacts
from credentials.qr import qr_data_uri

# Characters that mask an identity number ("******-**-1234", "•••••1234", "XXXXXX-XX-1234").
_MASK_CHARS = frozenset("*•xX#")
# The most digits a masked identity number may still show (the last four).
MAX_VISIBLE_IDENTITY_DIGITS = 4


def identity_is_masked(value: str) -> bool:
    """True when ``value`` hides all but at most four digits behind mask characters."""
    digits = sum(ch.isdigit() for ch in value)
    return any(ch in _MASK_CHARS for ch in value) and digits <= MAX_VISIBLE_IDENTITY_DIGITS


def _check_masked(facts: CredentialFacts) -> None:
    # DOMAIN R-CR-4: a document must never carry a full NRIC / passport number. An empty value
    # (no number on record) prints as a dash.
    if facts.identity_masked and not identity_is_masked(facts.identity_masked):
        raise ValueError("identity_masked must be a masked number (R-CR-4); refusing to print it")


def _size(text: str, steps: tuple[int, ...]) -> str:
    """A CSS class that steps the type down for long text, so that the certificate's name and
    title take no more height than one line at full size and never reach the seal:
    ``size-l`` up to ``steps[0]`` characters, then ``size-m``, ``size-s``, ``size-xs``."""
    length = len(re.sub(r"\s+", " ", text.strip()))
    classes = ("size-l", "size-m", "size-s", "size-xs")
    for limit, css_class in zip(steps, classes, strict=False):
        if length <= limit:
            return css_class
    return classes[len(steps)]


def _dates(day: date) -> tuple[str, str]:
    with translation.override("en"):
        english = format_date(day, "j F Y")
    with translation.override("ms"):
        malay = format_date(day, "j F Y")
    return english, malay


def _context(facts: CredentialFacts) -> dict[str, Any]:
    _check_masked(facts)
    issued_en, issued_ms = _dates(facts.issued_on)
    seal_en, seal_ms = _dates(facts.seal_date)
    return {
        "facts": facts,
        "qr": qr_data_uri(facts.verification_url),
        "issued_en": issued_en,
        "issued_ms": issued_ms,
        "seal_en": seal_en,
        "seal_ms": seal_ms,
        "clos": [
            {
                "outcome": clo.outcome,
                "attainment": clo.attainment,
                "bar": 0 if clo.attainment is None else max(0, min(100, round(clo.attainment))),
            }
            for clo in sorted(facts.clos, key=lambda clo: clo.position)
        ],
        "name_size": _size(facts.learner_name, (34, 48, 66)),
        "title_size": _size(f"{facts.course_code} {facts.course_title}", (68, 86)),
    }


def certificate_html(facts: CredentialFacts) -> str:
    """The certificate as the HTML WeasyPrint renders (autoescaped by Django)."""
    with translation.override("en"):
        return render_to_string("credentials/certificate.html", _context(facts))


def mms_html(facts: CredentialFacts) -> str:
    """The MMS as the HTML WeasyPrint renders (autoescaped by Django)."""
    with translation.override("en"):
        return render_to_string("credentials/mms.html", _context(facts))


# The name of the signed credential inside a certificate or MMS PDF (``pdfdetach -list`` shows it).
EMBEDDED_NAME = "credential.json"


def _embedded(document: dict[str, Any] | None) -> tuple[PdfAttachment, ...]:
    if document is None:
        return ()
    data = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return (
        PdfAttachment(
            name=EMBEDDED_NAME,
            data=data,
            description="Signed Open Badges 3.0 credential (W3C Verifiable Credential, eddsa-rdfc-2022)",
        ),
    )


def certificate_pdf(facts: CredentialFacts, *, document: dict[str, Any] | None = None, fetcher: Any = None) -> bytes:
    """The certificate: A4 landscape, exactly one page, PDF/A-3b and tagged, with the signed
    credential ``document`` embedded as ``credential.json`` (so the file proves itself offline).
    ``fetcher`` (a ``core.pdf.locked_fetcher()``) may be passed to inspect what was fetched."""
    return render_pdf(certificate_html(facts), fetcher=fetcher, archival=True, attachments=_embedded(document))


def mms_pdf(facts: CredentialFacts, *, document: dict[str, Any] | None = None, fetcher: Any = None) -> bytes:
    """The Malaysian Micro-credential Statement: A4 portrait, one page when it fits (issue 17); PDF/A-3b and
    tagged, with the signed credential embedded like the certificate's."""
    return render_pdf(mms_html(facts), fetcher=fetcher, archival=True, attachments=_embedded(document))


def _warm_up_facts() -> CredentialFacts:
    """Made-up facts for the warm-up render (never kept, never shown)."""
    from decimal import Decimal

    from credentials.data import CloResult

    day = date(2026, 1, 1)
    return CredentialFacts(
        serial="UNIMAS-MC-2026-000000",
        verification_id="00000000-0000-4000-8000-000000000000",
        verification_url="https://pdf.mcportal.invalid/verify/00000000-0000-4000-8000-000000000000/",
        issued_on=day,
        learner_name="Warm-up \u062c\u0627\u0648\u064a \u0ba4\u0bae\u0bbf\u0bb4\u0bcd \u4e2d\u6587",
        identity_label="NRIC",
        identity_masked="******-**-0000",
        course_code="WARM000",
        course_title="Warm-up",
        programme="Stand-alone micro-credential",
        institution="Universiti Malaysia Sarawak (UNIMAS)",
        institution_status="Public university",
        language="English",
        delivery="Online",
        mode_of_study="Part-time",
        course_level="Not levelled",
        credits=Decimal(1),
        slt_hours=Decimal(40),
        duration="1 week",
        enrolment_requirements="Open to all learners",
        clos=(CloResult(1, "Warm up.", Decimal(100)),),
        formative_percent=50,
        summative_percent=50,
        grade="A",
        final_mark=Decimal(90),
        quality_assurance="Approved by the UNIMAS Senate",
        seal_date=day,
        signatory_name="Warm-up",
        signatory_title="Warm-up",
        contact="Warm-up",
    )


def warm_up() -> None:
    """Render a certificate and an MMS once and throw them away: this thread's font
    configuration then holds every shipped font (Latin, Jawi, Tamil, Chinese), and the
    templates are compiled. Celery worker processes call it as they start (credentials.tasks)."""
    facts = _warm_up_facts()
    certificate_pdf(facts)
    mms_pdf(facts)

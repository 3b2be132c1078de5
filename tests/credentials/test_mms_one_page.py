"""The MMS is one A4 page when it fits (issue 17): the demo course's, and a typical course's with
six outcomes and a few lines of entry requirements, rendered by the real renderer and counted
with pypdf. A longer one still flows onto a second page with its footer (test_pdf)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader

from courses.demo import _CLOS as DEMO_CLOS
from courses.policies.outcomes import outcome_sentence
from credentials.data import CloResult
from credentials.pdf import mms_pdf
from tests.credentials.test_pdf import facts


def _pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def _clos(parts) -> tuple[CloResult, ...]:
    return tuple(
        CloResult(n, outcome_sentence(verb=v, content=o, criteria=cr, conditions=co).text, Decimal(70 + n))
        for n, (v, o, cr, co) in enumerate(parts, start=1)
    )


def test_the_demo_courses_mms_is_one_page():
    demo = facts(
        clos=_clos((c.verb, c.outcome, c.criteria, c.conditions) for c in DEMO_CLOS),
        enrolment_requirements="SPM or equivalent; no programme entry requirement is needed.",
    )
    assert _pages(mms_pdf(demo)) == 1


def test_a_typical_courses_mms_is_one_page():
    parts = [
        (
            "Produce",
            f"a farm plot flight plan for survey block {n}",
            "that meets CAAM rules and gives at least 75% image overlap",
            "given a farm boundary and a drone specification",
        )
        for n in range(1, 7)
    ]
    typical = facts(
        clos=_clos(parts),
        enrolment_requirements=(
            "SPM or equivalent, with a credit in Mathematics.\n"
            "At least one year of work in agriculture or surveying.\n"
            "Basic digital literacy: a laptop and a stable internet connection."
        ),
    )
    assert _pages(mms_pdf(typical)) == 1

"""The MQA-style register (DOMAIN R-QA-1, R-WF-1, R-SLT-3): every course Senate approved, with
code, title, category, level, credits, SLT, delivery, status and the MQA reference."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.choices import ProposalKind
from reports.policies import NO_VALUE as N
from reports.policies import Filters
from reports.selectors import register
from tests.enrolment import builders
from tests.reports.conftest import proposal_in

pytestmark = pytest.mark.django_db


def test_register_lists_approved_courses_with_what_mqa_asks_for(fcsit, feng):
    accredited = builders.ready_course(ptj=fcsit)
    builders.offering(accredited)
    standalone = builders.ready_course(ptj=feng, kind=ProposalKind.CAT3_SAMC, title="Micro-Credential in Drones")
    proposal_in(fcsit)  # submitted, not approved: not on the register
    table = register.register(Filters(everything=True))
    assert table.header == [
        "Code", "Title", "Category", "Level", "Credits", "SLT", "Delivery", "Status",
        "MQA registration reference", "UNIMAS registration reference", "PTj", "Senate approved", "Offerings",
    ]  # fmt: skip
    today = timezone.localdate().isoformat()
    # Table 4 of the builders: 6620 SLT minutes = 110h 20m = 2.8 credits at 40 h a credit.
    assert sorted(table.text_rows()) == sorted(
        [
            [
                accredited.code, accredited.title, "Category 1: a whole accredited course", "MQF level 6 (Bachelor)",
                "2.8", "110h 20m", "Open and distance learning (ODL)", "Ready to offer", "MQA/MC/2026/0117",
                "UNIMAS/CFLEX/MC/2026/031", "FCSIT", today, "1",
            ],
            [
                standalone.code, standalone.title, "Category 3: stand-alone micro-credential (SAMC)",
                "MQF level 6 (Bachelor)", "2.8", "110h 20m", "Open and distance learning (ODL)", "Ready to offer",
                N, "UNIMAS/CFLEX/MC/2026/031", "FENG", today, "0",
            ],
        ]
    )  # fmt: skip
    assert [r[0] for r in register.register(Filters(ptj_ids=frozenset({feng.pk}))).text_rows()] == [standalone.code]
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert register.register(Filters(everything=True, date_from=tomorrow)).text_rows() == []

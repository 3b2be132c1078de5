"""Credit transfer, built through the transfer services (DOMAIN R-CT-4, R-CT-6, R-QA-1): three
applications to SK99 (FCSIT): one approved with two Category 2 claims of 3 credits each, one not
supported by the coordinator, one still with the coordinator."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import PTj
from reports.policies import Filters
from reports.selectors import transfer

pytestmark = pytest.mark.django_db

EVERYTHING = Filters(everything=True)


def test_applications_approval_rate_and_credits(transfers):
    # DOMAIN R-CT-6: approval rate = approved / decided = 1 / 2
    assert transfer.by_ptj(EVERYTHING).text_rows() == [
        ["FCSIT", "3", "1", "1", "0", "1", "0", "50.0", "6"],
        ["All PTjs", "3", "1", "1", "0", "1", "0", "50.0", "6"],
    ]
    programme = transfers.programme
    assert transfer.by_programme(EVERYTHING).text_rows()[0] == [
        programme.code, programme.name, "3", "1", "1", "0", "1", "0", "50.0", "6",
    ]  # fmt: skip
    month = timezone.localdate().strftime("%Y-%m")
    assert transfer.per_month(EVERYTHING).text_rows() == [[month, "3"]]


def test_credits_transferred_by_rule(transfers):
    # DOMAIN R-CT-4: two Category 2 claims of 3 credits each, both counted
    assert transfer.by_rule(EVERYTHING).text_rows() == [
        ["R-CT-4: Category 2, another institution (up to 70%)", "2", "2", "6"],
        ["All rules", "2", "2", "6"],
    ]


def test_rule_labels_quote_the_caps_of_the_policy():
    # DOMAIN R-CT-1..4: "up to 100% / 30% / 70% / 70%" are the policy's numbers, not the code's.
    from dataclasses import asdict

    from tests.transfer.policy_data import policy_data

    seeded = asdict(policy_data())
    assert [transfer.rule_label(kind, seeded) for kind in transfer.RULES] == [
        "R-CT-1: Category 1 micro-credential of UNIMAS (up to 100%)",
        "R-CT-2: stand-alone, via APEL.C (up to 30%)",
        "R-CT-3: QVC-verified stand-alone (up to 70%)",
        "R-CT-4: Category 2, another institution (up to 70%)",
    ]
    changed = asdict(
        policy_data(ct_category1_max_pct=90, ct_samc_apelc_max_pct=25, ct_samc_all_max_pct=60, ct_outside_max_pct=65)
    )
    assert [transfer.rule_label(kind, changed).rsplit("(", 1)[1] for kind in transfer.RULES] == [
        "up to 90%)",
        "up to 25%)",
        "up to 60%)",
        "up to 65%)",
    ]


def test_scope_and_course_filter(transfers):
    # DOMAIN R-QA-2: a Dean of another PTj sees nothing; a course narrows to its claims
    feng, _ = PTj.objects.get_or_create(code="FENG", defaults={"name": "Faculty of Engineering"})
    assert transfer.by_ptj(Filters(ptj_ids=frozenset({feng.pk}))).text_rows() == []
    claimed = Filters(everything=True, course_code="CSC3013")
    assert transfer.by_ptj(claimed).text_rows()[0][1] == "2"

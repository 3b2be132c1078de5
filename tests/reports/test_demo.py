"""The demo history for the reports: made through the services, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from courses.choices import ProposalStatus
from courses.models import Proposal
from enrolment.models import CourseSurvey, Enrolment, Offering

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (Proposal.objects.count(), Offering.objects.count(), Enrolment.objects.count(), CourseSurvey.objects.count())


def test_history_has_past_intakes_a_second_ptj_and_a_return_and_runs_once(capsys):
    call_command("seed_demo_history")
    assert "/reports/" in capsys.readouterr().out
    assert Proposal.objects.get(code="KNS2153MC").ptj.code == "FENG"
    assert Proposal.objects.get(code="TMN4033MC").status == ProposalStatus.RETURNED
    statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert {"completed", "failed", "withdrawn", "deferred"} <= statuses
    assert CourseSurvey.objects.exclude(comment="").exists()
    before = _counts()
    call_command("seed_demo_history")
    assert _counts() == before

"""SME appointment is a "set", not a transition (issue 12): it takes the row lock and refuses a
stale change with 409 ``stale_change`` and the current SME, instead of losing it. The permission
check comes before the input is read. (The two-writers race on PostgreSQL: test_postgres.py.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from courses.choices import ProposalStatus
from tests.workflow.conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(new_proposal, walker):
    """CFLEX approved, with ``people.sme`` appointed."""
    return walker.to(new_proposal(), ProposalStatus.CFLEX_APPROVED)


def _url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/sme/"


def test_appointing_with_the_sme_one_saw_changes_it(api, people, proposal):
    response = api(people.cflex).post(
        _url(proposal), {"sme": people.other_sme.pk, "expected_sme": people.sme.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert fresh(proposal).sme_id == people.other_sme.pk


def test_a_stale_appointment_is_409_with_the_current_sme_and_changes_nothing(api, people, proposal):
    events = AuditEvent.objects.count()
    response = api(people.cflex).post(_url(proposal), {"sme": people.other_sme.pk, "expected_sme": None}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("stale_change", "expected_sme")
    assert error["current"] == {"sme": people.sme.pk, "name": people.sme.full_name}
    assert people.sme.full_name in error["message"]
    assert fresh(proposal).sme_id == people.sme.pk and AuditEvent.objects.count() == events


def test_expected_sme_is_required(api, people, proposal):
    response = api(people.cflex).post(_url(proposal), {"sme": people.other_sme.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "expected_sme"


@pytest.mark.parametrize("body", [{"sme": "x"}, {}, {"sme": [[[]]]}])
def test_who_may_not_appoint_is_refused_before_the_input_is_read(api, people, proposal, body):
    # A developer may see the proposal but not appoint (403); a learner may not see it (404).
    assert api(people.developer).post(_url(proposal), body, format="json").status_code == 403
    assert api(people.other_developer).post(_url(proposal), body, format="json").status_code == 404


def test_the_page_shows_the_current_sme_in_plain_words_when_the_change_is_stale(client, people, proposal):
    client.force_login(people.cflex)
    page = client.get(reverse("proposal-workflow", args=[proposal.pk])).content.decode()
    assert f'name="expected_sme" value="{people.sme.pk}"' in page
    response = client.post(
        reverse("proposal-sme", args=[proposal.pk]), {"sme": people.other_sme.pk, "expected_sme": ""}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else appointed" in html and people.sme.full_name in html
    assert fresh(proposal).sme_id == people.sme.pk

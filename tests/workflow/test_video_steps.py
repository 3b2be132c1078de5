"""Marking the video steps not applicable is a "set", not a transition (issue 12): the API's
``expected_not_applicable`` and the page's hidden field carry what the reviewer saw; a change made
meanwhile is refused with 409 ``stale_change`` and the current value, never silently lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from courses.choices import DeliveryMode, ProposalKind, ProposalStatus
from courses.services import proposal_video_not_applicable
from tests.workflow.conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(new_proposal, walker):
    """A face-to-face course, Table 4 approved: its video steps may still be skipped."""
    made = new_proposal(ProposalKind.CAT3_SAMC, delivery_mode=DeliveryMode.CONVENTIONAL, ptg_reference="PTG/2026/7")
    return walker.to(made, ProposalStatus.TABLE4_APPROVED)


def _url(proposal) -> str:
    return reverse("api-proposal-video", args=[proposal.pk])


def test_a_stale_video_choice_is_409_with_the_current_value_and_changes_nothing(api, people, proposal):
    proposal_video_not_applicable(
        actor=people.cflex, proposal=proposal, not_applicable=True, expected_not_applicable=False
    )
    events = AuditEvent.objects.count()
    # The second reviewer still saw "needed" and asks for "not applicable" again: refused, not re-done.
    response = api(people.cflex).post(
        _url(proposal), {"not_applicable": False, "expected_not_applicable": False}, format="json"
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["field"], error["current"]) == (
        "stale_change",
        "expected_not_applicable",
        {"not_applicable": True},
    )
    assert fresh(proposal).video_not_applicable is True and AuditEvent.objects.count() == events
    missing = api(people.cflex).post(_url(proposal), {"not_applicable": False}, format="json")
    assert (missing.status_code, missing.json()["error"]["field"]) == (400, "expected_not_applicable")
    done = api(people.cflex).post(
        _url(proposal), {"not_applicable": False, "expected_not_applicable": True}, format="json"
    )
    assert done.status_code == 200 and fresh(proposal).video_not_applicable is False


def test_the_page_says_in_words_what_was_chosen_meanwhile(client, people, proposal):
    client.force_login(people.cflex)
    page = client.get(reverse("proposal-workflow", args=[proposal.pk])).content.decode()
    assert 'name="expected_not_applicable" value="0"' in page
    proposal_video_not_applicable(
        actor=people.cflex, proposal=proposal, not_applicable=True, expected_not_applicable=False
    )
    response = client.post(
        reverse("proposal-video", args=[proposal.pk]), {"not_applicable": "1", "expected_not_applicable": "0"}
    )
    assert response.status_code == 409
    assert "marked the video steps not applicable" in response.content.decode()


@pytest.mark.parametrize("body", [{}, {"not_applicable": [[[]]], "expected_not_applicable": "x"}])
def test_who_may_not_decide_is_refused_before_the_input_is_read(api, client, people, proposal, body):
    # A developer sees the proposal but does not decide (403); another developer does not see it (404).
    for who, code in ((people.developer, 403), (people.other_developer, 404)):
        assert api(who).post(_url(proposal), body, format="json").status_code == code
        client.force_login(who)
        assert client.post(reverse("proposal-video", args=[proposal.pk]), body).status_code == code
    assert fresh(proposal).video_not_applicable is False

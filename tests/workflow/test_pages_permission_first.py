"""The proposal and meeting pages check the permission before reading the form (issue 12): a
caller without permission gets the exact 403 / 404 (or the 409 a reviewer meets on a submitted
proposal) whatever the body holds, never a 400 about the form and never a 500, and nothing changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from courses.choices import ProposalStatus
from courses.models import AgendaItem, Meeting
from courses.services import meeting_create
from tests.workflow.conftest import fresh, secretary_for

pytestmark = pytest.mark.django_db

GARBAGE = [
    {},
    {"action": "no_such_step", "date": "soon", "body": "nowhere", "proposal": "x", "meeting": "y", "decision": "z"},
    {"title": "x" * 5000, "units-TOTAL_FORMS": "many", "expected_state": "?", "survey_file": "not a file"},
]


def _post(client, user, url, body):
    client.force_login(user)
    return client.post(url, body)


@pytest.mark.parametrize("body", GARBAGE)
def test_proposal_pages_answer_the_permission_first(client, new_proposal, walker, people, body):
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    events = AuditEvent.objects.count()
    for name, who, status in (
        # A reviewer who sees a submitted proposal may not edit it: the page says so (409).
        ("proposal-edit", people.cflex, 409),
        ("proposal-submit", people.cflex, 409),
        ("proposal-survey-upload", people.cflex, 409),
        ("proposal-edit", people.other_developer, 404),
        ("proposal-submit", people.other_developer, 404),
        ("proposal-survey-upload", people.other_developer, 404),
        # CFLEX administration sees it but takes no step of the workflow (403).
        ("proposal-transition", people.cflex_admin, 403),
        ("proposal-transition", people.other_developer, 404),
    ):
        response = _post(client, who, reverse(name, args=[proposal.pk]), body)
        assert response.status_code == status, (name, who.full_name)
    assert fresh(proposal).status == ProposalStatus.SUBMITTED and AuditEvent.objects.count() == events


@pytest.mark.parametrize("body", GARBAGE)
def test_meeting_pages_answer_the_permission_first(client, new_proposal, walker, people, body):
    proposal = walker.to(new_proposal(), ProposalStatus.SME_VETTED)
    keeper = secretary_for(people, proposal)
    meeting = meeting_create(actor=keeper, body=proposal.committee, date=date(2026, 12, 5))
    _post(client, people.cflex, reverse("agenda-add"), {"proposal": proposal.pk, "meeting": meeting.pk})
    item = AgendaItem.objects.get(meeting=meeting, proposal=proposal)
    events, meetings = AuditEvent.objects.count(), Meeting.objects.count()
    # A CFLEX reviewer keeps no meeting body; a developer sees no meetings at all.
    assert _post(client, people.cflex, reverse("meeting-list"), body).status_code == 403
    assert _post(client, people.developer, reverse("meeting-list"), body).status_code == 403
    # Only a CFLEX reviewer puts proposals on an agenda, whatever ids the form names.
    assert _post(client, keeper, reverse("agenda-add"), body).status_code == 403
    # Only the meeting's secretary decides; to anyone else the item is not there.
    assert _post(client, people.cflex, reverse("agenda-decide", args=[item.pk]), body).status_code == 404
    assert Meeting.objects.count() == meetings and AuditEvent.objects.count() == events
    assert fresh(proposal).status == ProposalStatus.PRESENTED

"""Diffs, milestones (Table 3), meetings, registration, queues with pinned query counts,
notifications after commit, and the overdue digest."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from core.models import Notification
from courses.choices import Decision, DeliveryMode, ProposalKind, ProposalStatus
from courses.models import Proposal
from courses.policies.outcomes import outcome_sentence
from courses.policies.workflow import progress_of, version_diff
from courses.selectors import proposal_data
from courses.selectors.workflow import proposal_queue, queue_count
from courses.services import (
    agenda_decide,
    overdue_digest_send,
    proposal_transition,
    proposal_update,
    proposal_video_not_applicable,
)
from policy.api import workflow_plan
from tests.workflow.conftest import fresh

pytestmark = pytest.mark.django_db


# --- the diff (R-WF-3), pure ---------------------------------------------------------------------

BASE = {
    "title": "Micro-Credential in A",
    "synopsis": "Old",
    "clos": [
        {"verb": "Explain", "outcome": "x", "criteria": "c", "conditions": "d", "mqf_level": 6, "effort_hours": 4}
    ],
    "units": [
        {"title": "U1", "lines": [{"activity": "slide", "quantity": 10, "rate_minutes": "7.5", "is_online": True}]}
    ],
    "components": [{"method": "quiz", "kind": "continuous", "weight": 100, "title": "Q", "unit": 1, "clos": [1]}],
    "lecturers": [{"name": "A"}],
    "market_survey": None,
    "slt": {"total_hm": "1h 15m"},
}


def test_diff_names_each_changed_field_clo_unit_and_component():
    after = {
        **BASE,
        "synopsis": "New",
        "clos": [*BASE["clos"], {**BASE["clos"][0], "verb": "Compare"}],
        "units": [{"title": "U1", "lines": [{**BASE["units"][0]["lines"][0], "quantity": 20}]}],
        "components": [{**BASE["components"][0], "weight": 60}],
    }
    changes = {c.field: c for c in version_diff(BASE, after)}
    assert set(changes) == {"synopsis", "clos[1]", "units[0]", "components[0]"}
    assert (changes["synopsis"].before, changes["synopsis"].after) == ("Old", "New")
    assert changes["clos[1]"].kind == "added" and changes["clos[1]"].after == "D, compare x, c. (MQF 6, 4 h)"
    assert "x 10" in changes["units[0]"].before and "x 20" in changes["units[0]"].after
    assert "60%" in changes["components[0]"].after
    assert version_diff(BASE, BASE) == []


def test_reviewer_sees_the_diff_against_the_version_they_last_acted_on(new_proposal, walker, people, api):
    # DOMAIN R-WF-3
    proposal = walker.to(new_proposal(), ProposalStatus.HEAD_APPROVED)
    proposal_transition(
        actor=people.cflex, proposal=proposal, action="return", comment="Sharpen CLO1 and the synopsis."
    )
    data = proposal_data(Proposal.objects.get(pk=proposal.pk))
    clos = (dataclasses.replace(data.clos[0], outcome="the parts of a modern computer"), *data.clos[1:])
    proposal_update(
        actor=people.developer, proposal=fresh(proposal), data=dataclasses.replace(data, synopsis="Sharper.", clos=clos)
    )
    response = api(people.developer).post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert response.json()["version"] == 2
    workflow = api(people.cflex).get(f"/api/v1/proposals/{proposal.pk}/workflow/").json()
    assert workflow["status"] == ProposalStatus.HEAD_APPROVED
    assert (workflow["diff"]["base"], workflow["diff"]["latest"], workflow["diff"]["own_base"]) == (1, 2, True)
    assert {c["field"] for c in workflow["diff"]["changes"]} == {"synopsis", "clos[0]"}
    assert any(e["comment"] == "Sharpen CLO1 and the synopsis." for e in workflow["history"])
    assert [a["action"] for a in workflow["actions"]] == ["cflex_approve", "return"]
    page = Client()
    page.force_login(people.cflex)
    html = page.get(f"/proposals/{proposal.pk}/review/").content.decode()
    # Issue 17: the new word is marked inside the field; the full stop both versions share is not.
    assert 'added: “</span>Sharper<span class="visually-hidden">”</span></ins>.' in html
    assert "Sharpen CLO1" in html and 'value="cflex_approve"' in html


# --- milestones (R-WF-4, Table 3) ----------------------------------------------------------------


def test_milestones_are_marked_by_the_developer_and_confirmed_or_returned_by_cflex(new_proposal, walker, people):
    proposal = walker.to(new_proposal(), ProposalStatus.CFLEX_APPROVED)
    assert progress_of(proposal.status, "", workflow_plan().progress) == 15
    with pytest.raises(ApplicationError) as refused:
        proposal_transition(actor=people.cflex, proposal=proposal, action="milestone_confirm")
    assert refused.value.code == "milestone_not_done"
    proposal_transition(actor=people.developer, proposal=proposal, action="milestone_done")
    proposal_transition(
        actor=people.cflex, proposal=proposal, action="milestone_return", comment="Table 4 lacks unit 3."
    )
    assert fresh(proposal).status == ProposalStatus.CFLEX_APPROVED and fresh(proposal).milestone_done_at is None
    proposal_transition(actor=people.developer, proposal=proposal, action="milestone_done")
    proposal_transition(actor=people.cflex, proposal=proposal, action="milestone_confirm")
    assert (
        fresh(proposal).status == ProposalStatus.TABLE4_APPROVED
        and progress_of(ProposalStatus.TABLE4_APPROVED, "", workflow_plan().progress) == 20
    )


def test_video_steps_not_applicable_for_a_face_to_face_course_are_skipped(new_proposal, walker, people):
    # DOMAIN R-WF-4 (interpretation)
    online = walker.to(new_proposal(), ProposalStatus.CFLEX_APPROVED)
    with pytest.raises(ApplicationError) as refused:
        proposal_video_not_applicable(actor=people.cflex, proposal=online, not_applicable=True)
    assert refused.value.code == "video_required"
    proposal = new_proposal(ProposalKind.CAT3_SAMC, delivery_mode=DeliveryMode.CONVENTIONAL, ptg_reference="PTG/2026/7")
    proposal = walker.to(proposal, ProposalStatus.TABLE4_APPROVED)
    with pytest.raises(ApplicationError):
        proposal_video_not_applicable(actor=people.developer, proposal=proposal, not_applicable=True)
    proposal_video_not_applicable(actor=people.cflex, proposal=proposal, not_applicable=True)
    walker.step(proposal)  # content confirmed
    assert fresh(proposal).status == ProposalStatus.CONTENT_DEVELOPED
    walker.step(proposal)  # upload comes next: video and promo video skipped
    assert fresh(proposal).status == ProposalStatus.UPLOADED


# --- meetings and registration ---------------------------------------------------------------------


def test_a_deferred_item_waits_for_another_agenda(new_proposal, walker, people):
    proposal = walker.to(new_proposal(), ProposalStatus.PRESENTED)
    item = walker.pending_item(proposal)
    agenda_decide(actor=people.jtsppa, item=item, decision=Decision.DEFERRED, minute_reference="M3/2026")
    assert fresh(proposal).status == ProposalStatus.PRESENTED
    assert AuditEvent.objects.for_object(proposal).filter(action="proposal.defer").count() == 1
    assert proposal in proposal_queue(people.cflex)  # to be put on another agenda
    with pytest.raises(ApplicationError) as refused:
        agenda_decide(actor=people.jtsppa, item=item, decision=Decision.APPROVED)
    assert refused.value.code == "proposal_already_decided"
    walker.step(proposal)
    assert fresh(proposal).status == ProposalStatus.COMMITTEE_APPROVED


def test_a_wrong_committee_cannot_decide(new_proposal, walker, people):
    proposal = walker.to(new_proposal(), ProposalStatus.PRESENTED)
    with pytest.raises(ApplicationError) as refused:
        agenda_decide(actor=people.jppeu, item=walker.pending_item(proposal), decision=Decision.APPROVED)
    assert refused.value.code == "meeting_not_found"


@pytest.mark.parametrize("kind", [ProposalKind.CAT1_WHOLE, ProposalKind.CAT3_SAMC])
def test_registration_makes_the_course_ready_to_offer(kind, new_proposal, walker, people):
    # DOMAIN R-WF-1: BJKA registers MQA courses with MQA; CFLEX registers all in the UNIMAS system.
    proposal = walker.to(new_proposal(kind), ProposalStatus.SENATE_APPROVED)
    if kind == ProposalKind.CAT3_SAMC:
        with pytest.raises(ApplicationError) as refused:
            proposal_transition(actor=people.bjka, proposal=proposal, action="record_mqa_registration", reference="X")
        assert refused.value.code in ("proposal_not_found", "workflow_forbidden")
    else:
        proposal_transition(actor=people.cflex, proposal=proposal, action="record_unimas_registration", reference="U/9")
        assert fresh(proposal).status == ProposalStatus.SENATE_APPROVED  # MQA registration still missing
        proposal_transition(actor=people.bjka, proposal=proposal, action="record_mqa_registration", reference="MQA/9")
    if kind == ProposalKind.CAT3_SAMC:
        proposal_transition(actor=people.cflex, proposal=proposal, action="record_unimas_registration", reference="U/9")
    assert fresh(proposal).status == ProposalStatus.READY_TO_OFFER
    events = list(AuditEvent.objects.for_object(proposal).values_list("action", flat=True))
    assert "proposal.register" in events and "proposal.offer_ready" in events


# --- queues ---------------------------------------------------------------------------------------


def test_queues_are_scoped(new_proposal, walker, people):
    mqa = walker.to(new_proposal(ProposalKind.CAT1_WHOLE), ProposalStatus.SUBMITTED)
    samc = walker.to(new_proposal(ProposalKind.CAT3_SAMC), ProposalStatus.SUBMITTED)
    assert list(proposal_queue(people.head_mqa)) == [mqa]
    assert list(proposal_queue(people.head_nonmqa)) == [samc]
    assert not proposal_queue(people.head_mqa_other).exists()
    assert not proposal_queue(people.cflex).exists()
    walker.to(mqa, ProposalStatus.PRESENTED)
    walker.to(samc, ProposalStatus.PRESENTED)
    assert list(proposal_queue(people.jtsppa)) == [fresh(mqa)]
    assert list(proposal_queue(people.jppeu)) == [fresh(samc)]
    assert not proposal_queue(people.jtsps).exists()
    assert not proposal_queue(people.other_sme).exists()
    assert queue_count(people.jtsppa) == 1


def _grow(new_proposal, walker, n):
    for i in range(n):
        proposal = new_proposal(ProposalKind.CAT1_PART if i % 2 else ProposalKind.CAT3_SAMC)
        walker.to(proposal, [ProposalStatus.SUBMITTED, ProposalStatus.HEAD_APPROVED][i % 2])


# session, user, roles, the nav's count, the rows; the queue adds the PTj filter's list. (The one
# navigation reads roles, not model permissions: two look-ups fewer than before issue 17.)
@pytest.mark.parametrize(
    ("url", "queries"),
    [("/proposals/queue/", 7), ("/proposals/board/", 6), ("/proposals/queue/?sort=-progress&overdue=1", 7)],
)
def test_queue_and_board_keep_a_constant_number_of_queries(
    url, queries, new_proposal, walker, people, django_assert_num_queries
):
    client = Client()
    client.force_login(people.cflex)
    _grow(new_proposal, walker, 2)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _grow(new_proposal, walker, 8)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert Proposal.objects.exclude(status="draft").count() == 10


def test_overdue_items_are_flagged_and_filtered(new_proposal, walker, people):
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    Proposal.objects.filter(pk=proposal.pk).update(state_entered_at=timezone.now() - timedelta(days=9))
    assert list(proposal_queue(people.head_mqa, overdue=True)) == [fresh(proposal)]
    client = Client()
    client.force_login(people.head_mqa)
    html = client.get("/proposals/queue/").content.decode()
    assert "flag-overdue" in html and "9 days in this step (suggested 7)" in html


# --- notifications --------------------------------------------------------------------------------


def test_notifications_go_to_the_next_actor_and_the_developer_after_commit(
    new_proposal, walker, people, django_capture_on_commit_callbacks, mailoutbox
):
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposal_transition(actor=people.head_mqa, proposal=proposal, action="head_approve", comment="Good.")
    recipients = set(
        Notification.objects.filter(template="proposal_transition", context__action="head_approve").values_list(
            "recipient__email", flat=True
        )
    )
    assert recipients == {people.cflex.email, people.developer.email}
    assert len(callbacks) == 2 and mailoutbox == []  # nothing is sent before commit


def test_no_mail_for_a_rolled_back_transition(new_proposal, walker, people, django_capture_on_commit_callbacks):
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    before = Notification.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        proposal_transition(actor=people.head_mqa, proposal=proposal, action="head_approve")
        raise RuntimeError("something after the transition failed")
    assert callbacks == [] and Notification.objects.count() == before
    assert fresh(proposal).status == ProposalStatus.SUBMITTED


def test_notification_renders_in_both_languages(new_proposal, walker, people):
    from core.services import notification_render

    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    proposal_transition(actor=people.head_mqa, proposal=proposal, action="return", comment="Fix CLO2.")
    note = Notification.objects.get(
        template="proposal_transition", recipient=people.developer, context__action="return"
    )
    subject, body, _html = notification_render(note)
    assert proposal.code in subject and "Fix CLO2." in body
    people.developer.preferred_language = "ms"
    people.developer.save()
    subject, body, _html = notification_render(Notification.objects.get(pk=note.pk))
    assert proposal.code in subject


def test_daily_digest_lists_overdue_items_once_a_day(new_proposal, walker, people):
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    Proposal.objects.filter(pk=proposal.pk).update(state_entered_at=timezone.now() - timedelta(days=30))
    assert overdue_digest_send() == 1
    digest = Notification.objects.get(template="overdue_digest")
    assert digest.recipient == people.head_mqa and digest.context["items"][0]["code"] == proposal.code
    assert overdue_digest_send() == 0  # same day: not again


def test_the_agenda_prints_as_a_pdf(new_proposal, walker, people):
    proposal = walker.to(new_proposal(), ProposalStatus.PRESENTED)
    item = walker.pending_item(proposal)
    client = Client()
    client.force_login(people.jtsppa)
    response = client.get(f"/proposals/meetings/{item.meeting_id}/agenda.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(people.jppeu)  # another committee's meeting: not found
    assert client.get(f"/proposals/meetings/{item.meeting_id}/agenda.pdf").status_code == 404


def test_resubmitting_says_it_goes_back_to_the_reviewer_who_returned_it(new_proposal, walker, people):
    # DOMAIN R-WF-3 (issue 17): not "It now goes to the Head of PTj" when CFLEX returned it.
    from tests.courses.test_views import editor_post

    proposal = walker.to(new_proposal(), ProposalStatus.HEAD_APPROVED)
    proposal_transition(actor=people.cflex, proposal=proposal, action="return", comment="Fix CLO2.")
    browser = Client()
    browser.force_login(people.developer)
    proposal = Proposal.objects.get(pk=proposal.pk)
    response = browser.post(f"/proposals/{proposal.pk}/submit/", editor_post(proposal), follow=True)
    page = response.content.decode()
    assert f"sent back to {people.cflex.full_name}" in page
    assert "It now goes to the Head of PTj" not in page


def test_the_review_page_reads_the_outcomes_as_sentences(new_proposal, walker, people):
    # DOMAIN R-AF-4 (issue 17): the reviewer reads each outcome as the sentence learners will.
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    client = Client()
    client.force_login(people.developer)
    response = client.get(f"/proposals/{proposal.pk}/review/")
    assert response.status_code == 200
    html = response.content.decode()
    clo = proposal.clos.order_by("position").first()
    sentence = outcome_sentence(verb=clo.verb, content=clo.outcome, criteria=clo.criteria, conditions=clo.conditions)
    assert 'id="h-outcomes"' in html
    assert '<span class="clo-verb">' + sentence.verb + "</span>" in html
    assert sentence.text.startswith(sentence.conditions) and sentence.conditions in html

"""Every row of the transition table (R-WF-1..5), through the API: the allowed actor succeeds, every
other role gets exactly 404 when the proposal (or the meeting) is not theirs to see and exactly 403
when it is, and changes nothing, and the same move again is refused with 409 and a
named error. Plus R-WF-2 routing, separation of duties, comments and returns (R-WF-3)."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Role
from accounts.services import role_assign
from audit.models import AuditEvent
from courses.choices import Decision, MeetingBody, ProposalKind, ProposalStatus
from courses.models import AgendaItem, Meeting
from courses.policies.workflow import TABLE, Actor, Door, Guard, Transition, target_of
from courses.selectors.meetings import meetings_visible_to
from courses.selectors.workflow import proposal_facts
from courses.services import agenda_decide, meeting_create, proposal_transition
from courses.services.meetings import may_keep_meeting
from tests.workflow.conftest import fresh, head_for, secretary_for

pytestmark = pytest.mark.django_db

ROWS = [row for row in TABLE if row.door != Door.AUTO]
ROUTING_ROW = next(row for row in ROWS if row.action == "head_approve")


def row_id(row: Transition) -> str:
    return f"{row.source}-{row.action}-{row.actor}"


def allowed_user(people, row: Transition, proposal):
    return {
        Actor.DEVELOPER: people.developer,
        Actor.HEAD_OF_PTJ: head_for(people, proposal),
        Actor.CFLEX: people.cflex,
        Actor.SME: people.sme,
        Actor.COMMITTEE: secretary_for(people, proposal) if proposal.committee else people.jtsppa,
        Actor.SENATE: people.senate,
        Actor.BJKA: people.bjka,
    }[row.actor]


def prepare(row: Transition, new_proposal, walker, people):
    """A proposal waiting on ``row``: in its source state, its guard met."""
    proposal = new_proposal(ProposalKind.CAT1_WHOLE)
    if row.source == ProposalStatus.RETURNED:
        proposal = walker.to(proposal, ProposalStatus.SUBMITTED)
        proposal_transition(actor=people.head_mqa, proposal=proposal, action="return", comment="Fix CLO2.")
        return fresh(proposal)
    proposal = walker.to(proposal, row.source)
    if row.guard == Guard.MILESTONE_DONE:
        proposal_transition(actor=people.developer, proposal=proposal, action="milestone_done")
    if row.guard == Guard.ON_AGENDA and not AgendaItem.objects.filter(proposal=proposal, decision="").exists():
        walker.add_to_agenda(proposal)
    if row.guard == Guard.NOT_ON_AGENDA and row.source == ProposalStatus.PRESENTED:
        item = walker.pending_item(proposal)
        agenda_decide(actor=secretary_for(people, proposal), item=item, decision=Decision.DEFERRED)
    return fresh(proposal)


def refusal_for(user, row: Transition, proposal) -> int:
    """Other people's records are 404 (the team rule): 404 for someone who may not see the
    proposal or, through a meeting door, the meeting; 403 only for someone who may see them."""
    if not user.has_perm("courses.view_proposal", proposal):
        return 404
    if row.door == Door.TRANSITION:
        return 403
    if row.door == Door.AGENDA:
        senate = proposal.status == ProposalStatus.COMMITTEE_APPROVED
        body = MeetingBody.SENATE if senate else proposal.committee
        meeting = Meeting.objects.filter(body=body).exclude(items__proposal=proposal).order_by("-id").first()
        assert meeting is not None
        return 403 if meetings_visible_to(user).filter(pk=meeting.pk).exists() else 404
    item = AgendaItem.objects.filter(proposal=proposal).order_by("-id").first()
    assert item is not None
    visible = meetings_visible_to(user).filter(pk=item.meeting_id).exists()
    return 403 if visible and may_keep_meeting(user, item.body) else 404


def perform(api, user, row: Transition, proposal, people):
    client = api(user)
    if row.door == Door.TRANSITION:
        return client.post(
            f"/api/v1/proposals/{proposal.pk}/transition/",
            {"action": row.action, "comment": "Please see my note.", "reference": "REF/2026/1"},
            format="json",
        )
    if row.door == Door.AGENDA:
        senate = proposal.status == ProposalStatus.COMMITTEE_APPROVED
        body = MeetingBody.SENATE if senate else proposal.committee
        meeting = Meeting.objects.filter(body=body).exclude(items__proposal=proposal).order_by("-id").first()
        if meeting is None:
            keeper = people.senate if senate else secretary_for(people, proposal)
            meeting = meeting_create(actor=keeper, body=body, date=date(2026, 12, 5))
        return client.post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"proposal": proposal.pk}, format="json")
    item = AgendaItem.objects.filter(proposal=proposal).order_by("-id").first()
    assert item is not None
    decision = Decision.RETURNED if row.action == "return" else Decision.APPROVED
    return client.post(
        f"/api/v1/agenda-items/{item.pk}/decision/",
        {"decision": decision, "minute_reference": "M2/2026", "comment": "Needs work."},
        format="json",
    )


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_every_row_of_the_table(row, new_proposal, walker, people, api):
    # DOMAIN R-WF-5: one transition by one authorised role; illegal moves refused with a name.
    proposal = prepare(row, new_proposal, walker, people)
    before = proposal.status
    expected = target_of(row, proposal_facts(proposal))
    allowed = allowed_user(people, row, proposal)
    others = [u for name, u in vars(people).items() if u.pk != allowed.pk]
    events = AuditEvent.objects.for_object(proposal).count()
    for other in others:
        response = perform(api, other, row, proposal, people)
        expected_code = refusal_for(other, row, proposal)
        assert response.status_code == expected_code, (other.full_name, response.status_code, response.content)
    assert fresh(proposal).status == before and AuditEvent.objects.for_object(proposal).count() == events

    response = perform(api, allowed, row, proposal, people)
    assert response.status_code in (200, 201), response.content
    assert fresh(proposal).status == expected
    event = AuditEvent.objects.for_object(proposal).order_by("-id").first()
    assert event.actor == allowed and event.action == f"proposal.{row.action}"

    again = perform(api, allowed, row, fresh(proposal), people)
    assert again.status_code == 409, again.content
    assert again.json()["error"]["code"] in {
        "illegal_transition",
        "proposal_already_decided",
        "milestone_already_done",
        "milestone_not_done",
        "registration_recorded",
        "already_on_agenda",
        "not_on_agenda",
    }


def test_a_skipped_step_is_an_illegal_move(new_proposal, walker, people, api):
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    response = api(people.cflex).post(
        f"/api/v1/proposals/{proposal.pk}/transition/", {"action": "cflex_approve"}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "illegal_transition")


def test_a_stale_page_is_told_the_step_was_already_decided(new_proposal, walker, people, api):
    proposal = walker.to(new_proposal(), ProposalStatus.HEAD_APPROVED)
    response = api(people.head_mqa).post(
        f"/api/v1/proposals/{proposal.pk}/transition/",
        {"action": "head_approve", "expected_state": "submitted"},
        format="json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "proposal_already_decided")


@pytest.mark.parametrize(
    ("kind", "approver", "refused"),
    [
        (ProposalKind.CAT1_WHOLE, "head_mqa", ["head_nonmqa", "head_mqa_other"]),
        (ProposalKind.CAT1_PART, "head_mqa", ["head_nonmqa", "head_mqa_other"]),
        (ProposalKind.CAT3_SAMC, "head_nonmqa", ["head_mqa", "head_nonmqa_other"]),
        (ProposalKind.CAT3_QVC, "head_nonmqa", ["head_mqa", "head_nonmqa_other"]),
    ],
)
def test_head_of_ptj_routing(kind, approver, refused, new_proposal, walker, people, api):
    # DOMAIN R-WF-2: Dean / Deputy Dean UG for MQA courses, Deputy Dean ICE for non-MQA, same PTj.
    proposal = walker.to(new_proposal(kind), ProposalStatus.SUBMITTED)
    for name in refused:
        response = api(getattr(people, name)).post(
            f"/api/v1/proposals/{proposal.pk}/transition/", {"action": "head_approve"}, format="json"
        )
        assert response.status_code == refusal_for(getattr(people, name), ROUTING_ROW, proposal), name
    response = api(getattr(people, approver)).post(
        f"/api/v1/proposals/{proposal.pk}/transition/", {"action": "head_approve"}, format="json"
    )
    assert response.status_code == 200 and fresh(proposal).status == ProposalStatus.HEAD_APPROVED


@pytest.mark.parametrize(
    ("kind", "level", "committee"),
    [
        (ProposalKind.CAT1_WHOLE, 6, "JTSPPA"),
        (ProposalKind.CAT1_WHOLE, 7, "JTSPS"),
        (ProposalKind.CAT3_SAMC, 7, "JPPEU"),
        (ProposalKind.CAT3_QVC, 4, "JPPEU"),
    ],
)
def test_committee_routing(kind, level, committee, new_proposal, walker):
    # DOMAIN R-WF-1: JTSPPA / JTSPS for MQA courses by level, JPPEU for non-MQA.
    proposal = walker.to(new_proposal(kind, course_level=level), ProposalStatus.SUBMITTED)
    assert proposal.committee == committee


def test_nobody_approves_their_own_proposal(new_proposal, walker, people, ptj, api):
    # Separation of duties: the developer also holds the Head-of-PTj role of the same PTj.
    role_assign(user=people.developer, role=Role.HEAD_OF_PTJ_MQA, ptj=ptj)
    role_assign(user=people.other_developer, role=Role.CFLEX_REVIEWER)
    proposal = new_proposal()
    fresh(proposal).co_developers.add(people.other_developer)
    proposal = walker.to(proposal, ProposalStatus.SUBMITTED)
    response = api(people.developer).post(
        f"/api/v1/proposals/{proposal.pk}/transition/", {"action": "head_approve"}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (403, "workflow_forbidden")
    walker.step(proposal)
    response = api(people.other_developer).post(
        f"/api/v1/proposals/{proposal.pk}/transition/", {"action": "cflex_approve"}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (403, "workflow_forbidden")


def test_a_return_needs_a_comment(new_proposal, walker, people, api):
    # DOMAIN R-WF-3: written feedback.
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    response = api(people.head_mqa).post(
        f"/api/v1/proposals/{proposal.pk}/transition/", {"action": "return", "comment": "  "}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "comment_required")


@pytest.mark.parametrize(
    "source",
    [
        ProposalStatus.SUBMITTED,
        ProposalStatus.HEAD_APPROVED,
        ProposalStatus.UPLOADED,
        ProposalStatus.PRESENTED,
        ProposalStatus.COMMITTEE_APPROVED,
    ],
)
def test_resubmission_goes_back_to_the_step_that_returned_it(source, new_proposal, walker, people, api):
    # DOMAIN R-WF-3: the developer revises and resubmits; every version is kept.
    row = next(r for r in TABLE if r.source == source and r.action == "return")
    proposal = prepare(row, new_proposal, walker, people)
    versions = proposal.versions.count()
    response = perform(api, allowed_user(people, row, proposal), row, proposal, people)
    assert response.status_code == 200, response.content
    returned = fresh(proposal)
    assert (returned.status, returned.returned_from) == (ProposalStatus.RETURNED, source)
    response = api(people.developer).patch(
        f"/api/v1/proposals/{proposal.pk}/update/", {"synopsis": "Revised synopsis."}, format="json"
    )
    assert response.status_code == 200, response.content
    response = api(people.developer).post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert response.status_code == 200, response.content
    back = fresh(proposal)
    assert back.status == source and back.returned_from == ""
    assert back.versions.count() == versions + 1


def test_only_a_returned_or_draft_proposal_is_editable(new_proposal, walker, people, api):
    proposal = walker.to(new_proposal(), ProposalStatus.HEAD_APPROVED)
    response = api(people.developer).patch(
        f"/api/v1/proposals/{proposal.pk}/update/", {"synopsis": "Sneaky."}, format="json"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "proposal_not_draft")


def test_transition_table_is_published(api, people):
    response = api(people.cflex).get("/api/v1/workflow/transitions/")
    assert response.status_code == 200 and len(response.json()) == len(TABLE)


@pytest.mark.parametrize("body", [{}, {"action": "no_such_action"}, {"action": "return", "expected_state": "nope"}])
def test_the_permission_is_checked_before_the_input_is_read(body, new_proposal, walker, people, api):
    """Issue 12: an outsider with a bad body gets the permission answer (404 when the proposal is
    not theirs to see, 403 when it is but they take no step of it), never a 400 about the body.
    A caller who takes a step still gets the 400 naming the field."""
    proposal = walker.to(new_proposal(), ProposalStatus.SUBMITTED)
    url = f"/api/v1/proposals/{proposal.pk}/transition/"
    response = api(people.other_developer).post(url, body, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "proposal_not_found")
    response = api(people.cflex_admin).post(url, body, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "workflow_forbidden")
    response = api(people.head_mqa).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] in ("action", "expected_state")
    assert fresh(proposal).status == ProposalStatus.SUBMITTED


def test_agenda_apis_check_the_permission_before_the_input_is_read(new_proposal, walker, people, api):
    """Issue 12: on the agenda APIs an outsider with a bad body gets the permission answer (404:
    a meeting not theirs to see or keep; 403: a secretary who sees the meeting but is no CFLEX
    reviewer), never a 400 about the body; the permitted caller still gets the 400 naming the field."""
    proposal = walker.to(new_proposal(), ProposalStatus.SME_VETTED)
    keeper = secretary_for(people, proposal)
    stranger = people.jppeu if keeper != people.jppeu else people.jtsppa
    meeting = meeting_create(actor=keeper, body=proposal.committee, date=date(2026, 12, 5))
    url = f"/api/v1/meetings/{meeting.pk}/agenda/"
    bad = {"proposal": "not-a-number"}
    for user, status, code in ((stranger, 404, "meeting_not_found"), (keeper, 403, "workflow_forbidden")):
        response = api(user).post(url, bad, format="json")
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    response = api(people.cflex).post(url, bad, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "proposal"
    assert api(people.cflex).post(url, {"proposal": proposal.pk}, format="json").status_code == 201
    item = AgendaItem.objects.get(meeting=meeting, proposal=proposal)
    url = f"/api/v1/agenda-items/{item.pk}/decision/"
    bad = {"decision": "maybe"}
    for user in (stranger, people.cflex):
        response = api(user).post(url, bad, format="json")
        assert (response.status_code, response.json()["error"]["code"]) == (404, "meeting_not_found")
    response = api(keeper).post(url, bad, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "decision"
    assert fresh(proposal).status == ProposalStatus.PRESENTED


def test_meeting_create_api_checks_the_permission_before_the_input_is_read(people, api):
    """Issue 12: whoever keeps no meeting body gets 403 even with a bad body; a secretary's bad
    body is still a 400 naming the field."""
    bad = {"body": "nowhere", "date": "soon"}
    for user in (people.cflex, people.developer):
        response = api(user).post("/api/v1/meetings/", bad, format="json")
        assert (response.status_code, response.json()["error"]["code"]) == (403, "meeting_forbidden")
    response = api(people.jtsppa).post("/api/v1/meetings/", bad, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] in ("body", "date")
    assert not Meeting.objects.exists()

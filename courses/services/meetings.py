"""Committee and Senate meetings (R-WF-1): the secretary creates a meeting, CFLEX puts proposals on
its agenda (the table's ``agenda`` rows), the secretary records a decision per item (the
``meeting`` rows). Every state change goes through ``proposal_transition``."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import committees_for, is_cflex_reviewer, is_senate_secretary
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from courses.choices import Decision, MeetingBody, ProposalStatus
from courses.models import AgendaItem, Meeting, Proposal
from courses.policies.workflow import Actor, Door
from courses.services.workflow import proposal_transition


def may_keep_meeting(user: User, body: str) -> bool:
    """The secretary of the body: a committee's secretary, or the Senate secretary."""
    if body == MeetingBody.SENATE:
        return bool(is_senate_secretary(user))
    return body in committees_for(user)


def meeting_not_found() -> ApplicationError:
    return ApplicationError("meeting_not_found", _("No such meeting."), kind=ErrorKind.NOT_FOUND)


def meeting_create_may(*, actor: User) -> None:
    """403 to whoever keeps no meeting body (no committee or Senate secretary); checked before the
    API reads its input; the service checks the chosen body."""
    if not (committees_for(actor) or is_senate_secretary(actor)):
        raise ApplicationError(
            "meeting_forbidden", _("Only the secretary of that body creates its meetings."), kind=ErrorKind.FORBIDDEN
        )


def agenda_add_may(*, actor: User) -> None:
    """403 to whoever is not a CFLEX reviewer (the API has shown the meeting is visible, else 404);
    checked before the API reads its input; the transition checks the proposal under its lock."""
    if not is_cflex_reviewer(actor):
        raise ApplicationError(
            "workflow_forbidden", _("Only a CFLEX reviewer puts proposals on an agenda."), kind=ErrorKind.FORBIDDEN
        )


def agenda_decide_may(*, actor: User, item: AgendaItem) -> None:
    """404 to whoever does not keep the item's meeting; checked before the API reads its input
    and again by the service under the row lock."""
    if not may_keep_meeting(actor, item.body):
        raise meeting_not_found()


@transaction.atomic
def meeting_create(*, actor: User, body: str, date: date, title: str = "", minute_reference: str = "") -> Meeting:
    if body not in MeetingBody.values:
        raise ApplicationError("meeting_body_unknown", _("Choose a committee or the Senate."), field="body")
    if not may_keep_meeting(actor, body):
        raise ApplicationError(
            "meeting_forbidden", _("Only the secretary of that body creates its meetings."), kind=ErrorKind.FORBIDDEN
        )
    meeting = Meeting.objects.create(
        body=body, date=date, title=title.strip(), minute_reference=minute_reference.strip(), created_by=actor
    )
    audit_record(actor=actor, action="meeting.create", obj=meeting, data={"body": body, "date": date.isoformat()})
    return meeting


_AGENDA_ACTIONS = {
    ProposalStatus.SME_VETTED: "present",
    ProposalStatus.PRESENTED: "present_again",
    ProposalStatus.COMMITTEE_APPROVED: "senate_schedule",
}


@transaction.atomic
def agenda_add(*, actor: User, meeting: Meeting, proposal: Proposal) -> AgendaItem:
    """CFLEX puts a vetted proposal on its committee's agenda, or a committee-approved one on the
    Senate's. The meeting must not have been decided in full already."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fresh = Proposal.objects.select_for_update().get(pk=proposal.pk)
    action = _AGENDA_ACTIONS.get(ProposalStatus(fresh.status)) if fresh.status in _AGENDA_ACTIONS else None
    wanted = MeetingBody.SENATE if fresh.status == ProposalStatus.COMMITTEE_APPROVED else fresh.committee
    if action is not None and meeting.body != wanted:
        raise ApplicationError(
            "wrong_meeting",
            _("This proposal goes to %(body)s, not to this meeting.") % {"body": wanted},
            field="meeting",
            kind=ErrorKind.CONFLICT,
        )
    if meeting.items.filter(proposal=fresh).exists():
        raise ApplicationError(
            "already_on_agenda", _("This proposal is already on this meeting's agenda."), kind=ErrorKind.CONFLICT
        )
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    proposal_transition(
        actor=actor,
        proposal=fresh,
        action=action or "present",
        door=Door.AGENDA,
        data={"meeting": meeting.pk, "body": meeting.body, "meeting_date": meeting.date.isoformat()},
    )
    return AgendaItem.objects.create(
        meeting=meeting, proposal=fresh, body=meeting.body, position=position, added_by=actor
    )


@transaction.atomic
def agenda_decide(
    *, actor: User, item: AgendaItem, decision: str, minute_reference: str = "", comment: str = ""
) -> AgendaItem:
    """The secretary records the decision on one item: approved and returned move the proposal
    (``proposal_transition``); deferred leaves it waiting for another agenda."""
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    agenda_decide_may(actor=actor, item=item)
    if item.decision:
        raise ApplicationError(
            "proposal_already_decided",
            _("This item was already decided: %(decision)s.") % {"decision": item.get_decision_display()},
            kind=ErrorKind.CONFLICT,
        )
    if decision not in Decision.values:
        raise ApplicationError("decision_unknown", _("Choose approved, returned or deferred."), field="decision")
    senate = item.body == MeetingBody.SENATE
    data = {"meeting": item.meeting_id, "item": item.pk, "decision": decision, "minute_reference": minute_reference}
    if decision == Decision.DEFERRED:
        # Not a transition: checked as the same actor who may decide, and recorded on the proposal.
        proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
        perm = f"courses.act_as_{Actor.SENATE if senate else Actor.COMMITTEE}"
        if not actor.has_perm(perm, proposal):
            raise ApplicationError(
                "workflow_forbidden", _("A developer of this proposal may not decide on it."), kind=ErrorKind.FORBIDDEN
            )
        audit_record(
            actor=actor,
            action="proposal.defer",
            obj=proposal,
            from_state=proposal.status,
            to_state=proposal.status,
            comment=comment.strip(),
            data=data,
        )
    else:
        action = "return" if decision == Decision.RETURNED else ("senate_approve" if senate else "committee_approve")
        proposal_transition(
            actor=actor, proposal=item.proposal, action=action, comment=comment, door=Door.MEETING, data=data
        )
    item.decision = decision
    item.minute_reference = minute_reference.strip()
    item.comment = comment.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save()
    return item

"""Reads of meetings: who sees which, and what can go on an agenda."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.rules import committees_for, is_cflex_reviewer, is_senate_secretary
from core.errors import ApplicationError, ErrorKind
from courses.choices import MeetingBody, ProposalStatus
from courses.models import AgendaItem, Meeting, Proposal


def meeting_bodies_kept_by(user: Any) -> list[str]:
    """The bodies whose meetings this user creates and decides (their secretary)."""
    bodies = sorted(committees_for(user))
    if is_senate_secretary(user):
        bodies.append(MeetingBody.SENATE.value)
    return bodies


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    if not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    if is_cflex_reviewer(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(body__in=meeting_bodies_kept_by(user))


def meeting_get(user: Any, pk: Any) -> Meeting:
    """A meeting the user may see, with its agenda; anyone else's is "not found"."""
    items = AgendaItem.objects.select_related("proposal", "proposal__ptj", "decided_by").order_by("position", "id")
    meeting = meetings_visible_to(user).prefetch_related(Prefetch("items", queryset=items)).filter(pk=int(pk)).first()
    if meeting is None:
        raise ApplicationError("meeting_not_found", _("No such meeting."), kind=ErrorKind.NOT_FOUND)
    return meeting


def agenda_candidates(meeting: Meeting) -> QuerySet[Proposal]:
    """What CFLEX may put on this meeting's agenda: vetted (or deferred / resubmitted) proposals of
    the meeting's committee, or committee-approved ones for the Senate, not waiting on an agenda."""
    pending = Exists(AgendaItem.objects.filter(proposal=OuterRef("pk"), body=meeting.body, decision=""))
    if meeting.body == MeetingBody.SENATE:
        wanted = Q(status=ProposalStatus.COMMITTEE_APPROVED)
    else:
        wanted = Q(committee=meeting.body, status__in=[ProposalStatus.SME_VETTED, ProposalStatus.PRESENTED])
    return Proposal.objects.filter(wanted).exclude(pending).select_related("ptj").order_by("state_entered_at", "id")

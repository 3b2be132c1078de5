"""The one way a proposal changes state (R-WF-1..5): ``proposal_transition`` reads the table
(``courses.policies.workflow.TABLE``), locks the row, re-checks the state, checks the actor
(``courses.rules``), the guard and the comment, writes one audit event and queues the
notifications, which are sent after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.errors import RULE_ID, UNCHECKED, ApplicationError, ErrorKind, Unchecked, stale_check
from core.services import notification_queue
from courses.api import committee_for
from courses.choices import DeliveryMode, ProposalStatus, RegistrationKind
from courses.models import Proposal, ProposalVersion, Registration
from courses.policies import readiness_report
from courses.policies.workflow import (
    ACTION_LABELS,
    ACTOR_LABELS,
    MACHINE,
    VIDEO_STATES,
    Actor,
    Door,
    Transition,
    open_rows,
)
from courses.selectors import not_found, proposal_document, proposal_snapshot
from courses.selectors.workflow import proposal_facts, users_for_actor
from courses.services._access import locked
from policy.api import policy_in_force

_REGISTRATION_ACTIONS = {
    "record_mqa_registration": RegistrationKind.MQA,
    "record_unimas_registration": RegistrationKind.UNIMAS,
}

_GUARD_MESSAGES = {
    "milestone_already_done": gettext_lazy("This milestone is already marked done; CFLEX confirms or returns it."),
    "milestone_not_done": gettext_lazy("The developer has not marked this milestone done yet."),
    "registration_not_needed": gettext_lazy("Only MQA courses are registered with MQA."),
    "registration_recorded": gettext_lazy("That registration is already recorded."),
    "registration_incomplete": gettext_lazy("Not every required registration is recorded yet."),
    "not_on_agenda": gettext_lazy("This proposal is not on an undecided agenda item of that body."),
    "already_on_agenda": gettext_lazy("This proposal is already on an agenda waiting for a decision."),
}


def already_decided(proposal: Proposal) -> ApplicationError:
    return ApplicationError(
        "proposal_already_decided",
        _("Someone has already decided this step: the proposal is now %(state)s. Reload to see it.")
        % {"state": proposal.get_status_display()},
        kind=ErrorKind.CONFLICT,
    )


def _status_label(status: str) -> str:
    return str(ProposalStatus(status).label) if status in ProposalStatus.values else status


def _choose_row(actor: User, proposal: Proposal, action: str, expected_state: str | None) -> Transition:
    if expected_state and expected_state != proposal.status:
        raise already_decided(proposal)
    if action not in MACHINE.actions():
        raise ApplicationError(
            "unknown_action", _("There is no action %(action)s.") % {"action": action}, field="action"
        )
    rows = MACHINE.rows_for(proposal.status, action)
    if not rows:
        last = AuditEvent.objects.for_object(proposal).order_by("-created_at", "-id").first()
        if last is not None and last.action == f"proposal.{action}" and last.to_state == proposal.status:
            raise already_decided(proposal)  # the same step was just taken by someone else
        raise ApplicationError(
            "illegal_transition",
            _("'%(action)s' is not possible while the proposal is %(state)s.")
            % {"action": ACTION_LABELS.get(action, action), "state": proposal.get_status_display()},
            kind=ErrorKind.CONFLICT,
        )
    for row in rows:
        if actor.has_perm(f"courses.act_as_{row.actor}", proposal):
            return row
    if all(row.actor == Actor.SYSTEM for row in rows):
        raise ApplicationError(
            "automatic_step", _("This step happens by itself when its condition is met."), kind=ErrorKind.CONFLICT
        )
    who = ", ".join(str(ACTOR_LABELS[row.actor]) for row in rows)
    raise ApplicationError(
        "workflow_forbidden",
        _("Only the %(who)s of this proposal may do that (and never one of its developers).") % {"who": who},
        kind=ErrorKind.FORBIDDEN,
    )


def _freeze_version(actor: User, proposal: Proposal) -> ProposalVersion:
    """Run every submission rule again (issue 3's readiness) and freeze an immutable version."""
    from courses.services.proposals import not_ready_message

    policy = policy_in_force()
    snapshot = proposal_snapshot(proposal)
    report = readiness_report(snapshot, policy)
    if report.blocking:
        raise ApplicationError(
            "proposal_not_ready",
            not_ready_message(list(report.blocking)),
            field=report.blocking[0].field,
            rule=next((p.rule_id for p in report.blocking if RULE_ID.fullmatch(p.rule_id)), ""),
        )
    now = timezone.now()
    version = ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.versions.count() + 1,
        snapshot=proposal_document(proposal, snapshot, report.totals),
        policy_version_id=policy.id,
        submitted_by=actor,
        submitted_at=now,
    )
    proposal.submitted_at = now
    proposal.policy_version_id = policy.id
    proposal.committee = committee_for(proposal.kind, proposal.course_level)
    return version


def _perform(
    *,
    actor: User | None,
    proposal: Proposal,
    row: Transition,
    comment: str,
    reference: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Apply one row to a locked proposal: state, bookkeeping, one audit event, notifications."""
    facts = proposal_facts(proposal)
    problem = MACHINE.guard_problem(row, facts)
    if problem:
        raise ApplicationError(problem, str(_GUARD_MESSAGES[problem]), kind=ErrorKind.CONFLICT)
    comment = comment.strip()
    if row.comment_required and not comment:
        raise ApplicationError("comment_required", _("Say what must change: a comment is required."), field="comment")
    extra: dict[str, Any] = dict(data or {})
    if row.action in ("submit", "resubmit"):
        assert actor is not None
        version = _freeze_version(actor, proposal)
        extra.update(version=version.number, policy_version=version.policy_version_id)
    else:
        extra["version"] = proposal.versions.count()
    if row.action in _REGISTRATION_ACTIONS:
        reference = reference.strip()
        if not reference:
            raise ApplicationError("reference_required", _("Give the registration reference."), field="reference")
        assert actor is not None
        Registration.objects.create(
            proposal=proposal, kind=_REGISTRATION_ACTIONS[row.action], reference=reference, recorded_by=actor
        )
        extra["reference"] = reference
    previous = proposal.status
    target = MACHINE.target_of(row, facts)
    now = timezone.now()
    if row.action == "milestone_done":
        proposal.milestone_done_at = now
    elif row.action in ("milestone_confirm", "milestone_return"):
        proposal.milestone_done_at = None
    if target != previous:
        proposal.status = target
        proposal.state_entered_at = now
        proposal.milestone_done_at = None
        proposal.returned_from = previous if target == ProposalStatus.RETURNED else ""
        if target == ProposalStatus.RETURNED:
            extra["returned_from"] = previous
    extra["actor_role"] = row.actor
    proposal.updated_at = now
    proposal.save()
    event = audit_record(
        actor=actor,
        action=f"proposal.{row.action}",
        obj=proposal,
        from_state=previous,
        to_state=target,
        comment=comment,
        data=extra,
    )
    _notify(proposal=proposal, row=row, event=event, previous=previous)
    return event


def _auto_steps(proposal: Proposal) -> None:
    """Take the automatic rows whose condition now holds (registered, then ready to offer)."""
    while True:
        facts = proposal_facts(proposal)
        auto = [r for r in MACHINE.rows_from(proposal.status) if r.door == Door.AUTO]
        ready = [r for r in auto if MACHINE.guard_problem(r, facts) is None]
        if not ready:
            return
        _perform(actor=None, proposal=proposal, row=ready[0], comment="")


@transaction.atomic
def proposal_transition(
    *,
    actor: User,
    proposal: Proposal,
    action: str,
    comment: str = "",
    expected_state: str | None = None,
    reference: str = "",
    door: str = Door.TRANSITION,
    data: dict[str, Any] | None = None,
) -> Proposal:
    """Take one row of the table. Refusals are named: ``proposal_not_found`` (404: may not see it),
    ``workflow_forbidden`` (403), ``illegal_transition`` / ``proposal_already_decided`` / a guard
    (409), ``comment_required`` (400). Meetings and agendas pass their own ``door``."""
    proposal = locked(proposal)
    if not actor.has_perm("courses.view_proposal", proposal):
        raise not_found()
    row = _choose_row(actor, proposal, action, expected_state)
    if row.door != door:
        raise ApplicationError(
            "use_meeting_agenda",
            _("This step is taken on a meeting's agenda, not here."),
            kind=ErrorKind.CONFLICT,
        )
    _perform(actor=actor, proposal=proposal, row=row, comment=comment, reference=reference, data=data)
    _auto_steps(proposal)
    return proposal


def proposal_transition_may(*, actor: User, proposal: Proposal) -> None:
    """404 to whoever may not see the proposal, 403 to whoever acts in no role of the table on
    it. The service decides the row under the lock; the API checks this first, before its input."""
    if not actor.has_perm("courses.view_proposal", proposal):
        raise not_found()
    if not any(actor.has_perm(f"courses.act_as_{who}", proposal) for who in Actor.ALL if who != Actor.SYSTEM):
        raise ApplicationError(
            "workflow_forbidden", _("You take no step of this proposal's workflow."), kind=ErrorKind.FORBIDDEN
        )


def proposal_sme_may(*, actor: User, proposal: Proposal) -> None:
    """404 to whoever may not see the proposal, 403 to whoever may not appoint its SME. The
    service checks it under the row lock; the API and the page check it first too, before
    reading their input."""
    if not actor.has_perm("courses.view_proposal", proposal):
        raise not_found()
    if not actor.has_perm("courses.appoint_sme", proposal):
        raise ApplicationError(
            "workflow_forbidden", _("Only a CFLEX reviewer appoints SMEs."), kind=ErrorKind.FORBIDDEN
        )


@transaction.atomic
def proposal_sme_appoint(*, actor: User, proposal: Proposal, sme: User, expected_sme_id: int | None) -> Proposal:
    """CFLEX appoints the SME who vets this course (before SME vetting). ``expected_sme_id`` is
    the SME the reviewer saw appointed (None: none); if someone appointed another since, the
    change is refused with 409 ``stale_change`` and the current SME, never silently lost."""
    from accounts.rules import is_sme

    proposal = locked(proposal)
    proposal_sme_may(actor=actor, proposal=proposal)
    if proposal.status not in _SME_STATES:
        raise ApplicationError(
            "illegal_transition",
            _("An SME is appointed between CFLEX approval and SME vetting."),
            kind=ErrorKind.CONFLICT,
        )
    if proposal.sme_id != expected_sme_id:
        current = proposal.sme
        message = (
            _("Someone else appointed %(name)s as the SME while you were choosing. Check, then choose again.")
            % {"name": current.full_name}
            if current is not None
            else _("Someone else removed the SME while you were choosing. Check, then choose again.")
        )
        raise ApplicationError(
            "stale_change",
            message,
            field="expected_sme",
            kind=ErrorKind.CONFLICT,
            current={"sme": proposal.sme_id, "name": current.full_name if current is not None else None},
        )
    authors = {proposal.created_by_id, *proposal.co_developers.values_list("pk", flat=True)}
    if not is_sme(sme) or sme.pk in authors:
        raise ApplicationError(
            "sme_invalid", _("Choose a subject matter expert who is not a developer of it."), field="sme"
        )
    previous = proposal.sme_id
    proposal.sme = sme
    proposal.save(update_fields=["sme"])
    audit_record(
        actor=actor,
        action="proposal.sme_appoint",
        obj=proposal,
        data={"sme": sme.pk, "previous": previous, "name": sme.full_name, "version": proposal.versions.count()},
    )
    notification_queue(
        recipients=[sme],
        template="proposal_sme_appointed",
        context=_context(proposal),
        event_key=f"proposal:{proposal.pk}:sme:{sme.pk}",
        url=reverse("proposal-workflow", args=[proposal.pk]),
    )
    return proposal


_SME_STATES = {
    ProposalStatus.CFLEX_APPROVED,
    ProposalStatus.TABLE4_APPROVED,
    ProposalStatus.CONTENT_DEVELOPED,
    ProposalStatus.VIDEO_MATERIALS,
    ProposalStatus.PROMO_VIDEO,
    ProposalStatus.UPLOADED,
}
_VIDEO_NA_STATES = {ProposalStatus.CFLEX_APPROVED, ProposalStatus.TABLE4_APPROVED, ProposalStatus.CONTENT_DEVELOPED}


@transaction.atomic(durable=True)
def proposal_video_not_applicable(
    *, actor: User, proposal: Proposal, not_applicable: bool, expected_not_applicable: bool | Unchecked = UNCHECKED
) -> Proposal:
    """R-WF-4 (interpretation): CFLEX marks the video steps not applicable for a face-to-face
    (conventional) course, before they are reached; confirming the content then skips them.
    ``expected_not_applicable`` is what the reviewer saw; if another reviewer changed it since,
    409 ``stale_change`` with the current value (issue 12)."""
    proposal = locked(proposal)
    if not actor.has_perm("courses.view_proposal", proposal):
        raise not_found()
    if not actor.has_perm("courses.appoint_sme", proposal):
        raise ApplicationError("workflow_forbidden", _("Only a CFLEX reviewer decides this."), kind=ErrorKind.FORBIDDEN)
    stale_check(
        expected_not_applicable,
        proposal.video_not_applicable,
        field="expected_not_applicable",
        current={"not_applicable": proposal.video_not_applicable},
        message=(
            _("Someone else marked the video steps not applicable while you were reading. Check, then choose again.")
            if proposal.video_not_applicable
            else _("Someone else marked the video steps as needed while you were reading. Check, then choose again.")
        ),
    )
    if proposal.status not in _VIDEO_NA_STATES:
        raise ApplicationError(
            "illegal_transition",
            _("The video steps can be changed only before they are reached."),
            kind=ErrorKind.CONFLICT,
        )
    if not_applicable and proposal.delivery_mode != DeliveryMode.CONVENTIONAL:
        raise ApplicationError(
            "video_required",
            _("Only face-to-face (conventional) courses may skip the video steps."),
            field="delivery_mode",
        )
    if proposal.video_not_applicable != not_applicable:
        proposal.video_not_applicable = not_applicable
        proposal.save(update_fields=["video_not_applicable"])
        audit_record(
            actor=actor,
            action="proposal.video_not_applicable",
            obj=proposal,
            data={"not_applicable": not_applicable, "steps": sorted(VIDEO_STATES)},
        )
    return proposal


# --- notifications ------------------------------------------------------------------------------


def _context(proposal: Proposal) -> dict[str, Any]:
    return {"proposal_id": proposal.pk, "code": proposal.code, "title": proposal.title}


def _notify(*, proposal: Proposal, row: Transition, event: AuditEvent, previous: str) -> None:
    """To whoever must act next and to the developers; sent by Celery after commit, once."""
    facts = proposal_facts(proposal)
    next_actors = {r.actor for r in open_rows(proposal.status, facts)}
    recipients: dict[int, User] = {}
    for actor in sorted(next_actors | {Actor.DEVELOPER}):
        for user in users_for_actor(actor, proposal):
            recipients[user.pk] = user
    if event.actor_id is not None:
        recipients.pop(event.actor_id, None)
    notification_queue(
        recipients=recipients.values(),
        template="proposal_transition",
        context={
            **_context(proposal),
            "action": row.action,
            "from_state": previous,
            "to_state": proposal.status,
            "comment": event.comment,
            "actor_name": event.actor.full_name if event.actor else "",
        },
        event_key=f"proposal:{proposal.pk}:event:{event.pk}",
        url=reverse("proposal-workflow", args=[proposal.pk]),
    )

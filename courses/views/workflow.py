"""The workflow pages: a proposal's review page (buttons from the table, the diff, the thread),
the role queues and CFLEX's pipeline board. Thin: they call ``proposal_transition`` and friends."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import PTj, Role, User
from core.errors import UNCHECKED, ApplicationError, ErrorKind
from courses.choices import DeliveryMode, MeetingBody, ProposalStatus
from courses.models import AgendaItem, Meeting, Proposal
from courses.policies.workflow import (
    ACTION_LABELS,
    ACTOR_LABELS,
    MILESTONE_LABELS,
    MILESTONE_STATES,
    PIPELINE,
    VIDEO_STATES,
    Door,
    Transition,
    open_rows,
)
from courses.selectors import proposal_get, proposal_outcomes
from courses.selectors.workflow import (
    QUEUE_SORTS,
    pipeline_board,
    proposal_facts,
    proposal_history,
    proposal_queue,
    reviewer_diff,
    step_info,
)
from courses.services import (
    proposal_sme_appoint,
    proposal_sme_may,
    proposal_transition,
    proposal_transition_may,
    proposal_video_not_applicable,
)
from policy.api import workflow_plan


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def available_rows(user: User, proposal: Proposal) -> list[Transition]:
    """The rows of the table this user may take now on this proposal: the buttons."""
    facts = proposal_facts(proposal)
    return [row for row in open_rows(proposal.status, facts) if user.has_perm(f"courses.act_as_{row.actor}", proposal)]


def _milestones(proposal: Proposal) -> list[dict[str, Any]]:
    """Table 3's development milestones, each done, current or to come (R-WF-4)."""
    reached = proposal.status if proposal.status != ProposalStatus.RETURNED else proposal.returned_from
    index = PIPELINE.index(reached) if reached in PIPELINE else 0
    items = []
    for state in MILESTONE_STATES[1:]:
        position = PIPELINE.index(state)
        skipped = state in VIDEO_STATES and proposal.video_not_applicable
        items.append(
            {
                "state": state,
                "label": MILESTONE_LABELS[state],
                "done": position <= index and not skipped,
                "current": position == index + 1 and not skipped,
                "skipped": skipped,
                "claimed": position == index + 1 and proposal.milestone_done_at is not None,
            }
        )
    return items


def _page(
    request: HttpRequest, proposal: Proposal, *, error: ApplicationError | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    history = proposal_history(proposal)
    rows = available_rows(user, proposal)
    agenda_rows = [r for r in rows if r.door == Door.AGENDA]
    body = MeetingBody.SENATE if proposal.status == ProposalStatus.COMMITTEE_APPROVED else proposal.committee
    context = {
        "proposal": proposal,
        "step": step_info(proposal),
        "buttons": [
            {
                "row": r,
                "label": ACTION_LABELS.get(r.action, r.action),
                "danger": r.action in ("return", "milestone_return"),
            }
            for r in rows
            if r.door == Door.TRANSITION and r.action not in ("submit", "resubmit")
        ],
        "can_resubmit": any(r.action in ("submit", "resubmit") for r in rows),
        "agenda_meetings": list(Meeting.objects.filter(body=body).order_by("-date")[:20]) if agenda_rows else [],
        "pending_items": list(AgendaItem.objects.filter(proposal=proposal, decision="").select_related("meeting")),
        "diff": reviewer_diff(user, proposal, history) if user.pk != proposal.created_by_id else None,
        "history": history,
        "comments": [e for e in history if e.comment],
        "milestones": _milestones(proposal)
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
        else [],
        "can_appoint": user.has_perm("courses.appoint_sme", proposal) and proposal.status in set(MILESTONE_STATES),
        "can_video_na": user.has_perm("courses.appoint_sme", proposal)
        and proposal.status
        in (ProposalStatus.CFLEX_APPROVED, ProposalStatus.TABLE4_APPROVED, ProposalStatus.CONTENT_DEVELOPED)
        and proposal.delivery_mode == DeliveryMode.CONVENTIONAL,
        "smes": list(
            User.objects.filter(role_assignments__role=Role.SME, role_assignments__revoked_at__isnull=True).distinct()
        )
        if user.has_perm("courses.appoint_sme", proposal)
        else [],
        "registrations": list(proposal.registrations.select_related("recorded_by")),
        "outcomes": proposal_outcomes(proposal),
        "actor_labels": ACTOR_LABELS,
        "action_labels": ACTION_LABELS,
        "error": error,
        "editable": user.has_perm("courses.change_proposal", proposal),
    }
    return render(request, "courses/proposal_workflow.html", context, status=status)


@login_required
@require_GET
def proposal_workflow(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, proposal_get(request.user, pk, design=False))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _refused(request: HttpRequest, pk: int, exc: ApplicationError) -> HttpResponse:
    if exc.kind in (ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN):
        raise exc
    return _page(request, proposal_get(request.user, pk, design=False), error=exc, status=exc.status)


@login_required
@require_POST
def proposal_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(request.user, pk, design=False)
    proposal_transition_may(actor=_user(request), proposal=proposal)  # before the input is read
    action = request.POST.get("action", "")
    try:
        proposal_transition(
            actor=_user(request),
            proposal=proposal,
            action=action,
            comment=request.POST.get("comment", ""),
            expected_state=request.POST.get("expected_state") or None,
            reference=request.POST.get("reference", ""),
        )
    except ApplicationError as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS.get(action, action)})
    return redirect("proposal-workflow", pk=pk)


@login_required
@require_POST
def proposal_sme_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(request.user, pk, design=False)
    proposal_sme_may(actor=_user(request), proposal=proposal)  # before the input is read
    sme = User.objects.filter(pk=_int(request.POST.get("sme")) or 0).first()
    try:
        if sme is None:
            raise ApplicationError("sme_invalid", _("Choose a subject matter expert."), field="sme")
        # The SME the page showed (a hidden field): a change made meanwhile is refused, not lost.
        expected = _int(request.POST.get("expected_sme"))
        proposal_sme_appoint(actor=_user(request), proposal=proposal, sme=sme, expected_sme_id=expected)
    except ApplicationError as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("%(name)s is appointed as the SME.") % {"name": sme.full_name})
    return redirect("proposal-workflow", pk=pk)


@login_required
@require_POST
def proposal_video_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(request.user, pk, design=False)
    proposal_sme_may(actor=_user(request), proposal=proposal)  # the same CFLEX permission, before the input
    value = request.POST.get("not_applicable") == "1"
    # What the page showed (a hidden field): a change made meanwhile is refused, not lost.
    expected = {"1": True, "0": False}.get(request.POST.get("expected_not_applicable", ""), UNCHECKED)
    try:
        if expected is UNCHECKED:
            raise ApplicationError(
                "expected_missing", _("The page was out of date. Reload it, then choose again."), field="expected"
            )
        proposal_video_not_applicable(
            actor=_user(request), proposal=proposal, not_applicable=value, expected_not_applicable=expected
        )
    except ApplicationError as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("Video steps marked not applicable.") if value else _("Video steps are required."))
    return redirect("proposal-workflow", pk=pk)


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    """ "Waiting for me": the items of every role the user holds, scoped, with filters and sorting."""
    status = request.GET.get("status", "")
    status = status if status in ProposalStatus.values else ""
    ptj = request.GET.get("ptj", "")
    sort = request.GET.get("sort", "age")
    sort = sort if sort in QUEUE_SORTS else "age"
    overdue = request.GET.get("overdue") == "1"
    plan = workflow_plan()
    proposals = list(proposal_queue(request.user, status=status, ptj=ptj, overdue=overdue, sort=sort, plan=plan))
    return render(
        request,
        "courses/queue.html",
        {
            "items": [(p, step_info(p, plan)) for p in proposals],
            "statuses": [(s, ProposalStatus(s).label) for s in PIPELINE if s != ProposalStatus.DRAFT],
            "ptjs": list(PTj.objects.filter(is_active=True).values_list("code", flat=True)),
            "filters": {"status": status, "ptj": ptj, "overdue": overdue, "sort": sort},
            "sorts": [
                ("age", _("Longest waiting first")),
                ("-age", _("Newest first")),
                ("progress", _("Least progress first")),
                ("-progress", _("Most progress first")),
            ],
        },
    )


@login_required
@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    """CFLEX's pipeline board: every submitted proposal by state, in R-WF-1 order."""
    if not request.user.has_perm("courses.view_pipeline"):
        raise ApplicationError("pipeline_forbidden", _("The pipeline board is for CFLEX."), kind=ErrorKind.FORBIDDEN)
    columns = pipeline_board()
    plan = workflow_plan()
    return render(
        request,
        "courses/board.html",
        {"columns": [(c, [(p, step_info(p, plan)) for p in c.proposals]) for c in columns]},
    )

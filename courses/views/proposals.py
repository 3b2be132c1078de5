"""The proposal pages: "My proposals", a new proposal, the editor, submit and delete. Thin: they
bind forms and call the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.errors import ApplicationError, ErrorKind
from courses.choices import ProposalKind, ProposalStatus
from courses.forms import BasicsForm
from courses.models import Proposal
from courses.policies import FIRST_STEP, REVIEW_STEP, STEP_KEYS, ProposalData, page_field
from courses.selectors import proposal_get, proposals_authored_by
from courses.selectors.workflow import proposal_returned_by
from courses.services import (
    ProposalInputError,
    proposal_create,
    proposal_delete,
    proposal_may,
    proposal_submit,
    proposal_update,
)
from courses.views.editor import Editor, editor_for, editor_from_post, field_sets_json, page_context, show_problems


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = proposals_authored_by(request.user).order_by("-updated_at", "-id")
    return render(
        request,
        "courses/proposal_list.html",
        {"proposals": proposals, "can_add": request.user.has_perm("courses.add_proposal")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("courses.add_proposal"):
        raise ApplicationError(
            "proposal_forbidden", _("Only course developers propose micro-credentials."), kind=ErrorKind.FORBIDDEN
        )
    form = BasicsForm(request.POST or None, initial={"kind": ProposalKind.CAT1_WHOLE})
    if request.method == "POST" and form.is_valid():
        programme_id, course_id = form.origin_ids()
        data = ProposalData(
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            code=form.cleaned_data["code"],
            part_credits=form.cleaned_data["part_credits"],
            origin_programme_id=programme_id,
            origin_course_id=course_id,
        )
        try:
            proposal = proposal_create(actor=_user(request), data=data)
        except ProposalInputError as exc:
            for problem in exc.problems:
                name = page_field(problem.field)
                form.add_error(name if name in form.fields else None, f"{problem.rule_id}: {problem.message}")
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Draft created. Fill in the rest; the readiness list shows what is missing."))
            return redirect("proposal-edit", pk=proposal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/proposal_new.html", {"form": form, "field_sets": field_sets_json()}, status=status)


def _render_editor(
    request: HttpRequest, editor: Editor, *, step: str, status: int = 200, error: object = None
) -> HttpResponse:
    context = page_context(request, editor, step=step, error=error)
    return render(request, "courses/proposal_edit.html", context, status=status)


def _may_change(request: HttpRequest, proposal: Proposal, *, step: str) -> HttpResponse | None:
    """The edit permission, checked before the typed form is read (issue 12): whoever may see the
    proposal but not change it gets the page with the refusal (409 once submitted, 403), whatever
    was posted; whoever may not see it, 404."""
    try:
        proposal_may(_user(request), "courses.change_proposal", proposal)
    except ApplicationError as exc:
        if exc.kind == ErrorKind.NOT_FOUND:
            raise
        return _render_editor(request, editor_for(proposal), step=step, status=exc.status, error=exc)
    return None


def _posted_step(request: HttpRequest, name: str) -> str | None:
    """A step named in the form (the one shown, or the one asked for); unknown names are ignored."""
    value = request.POST.get(name, "")
    return value if value in STEP_KEYS else None


def _step_url(pk: int, step: str) -> str:
    url = reverse("proposal-edit", args=[pk])
    return url if step == FIRST_STEP else f"{url}?step={step}"


def _save(request: HttpRequest, editor: Editor, *, step: str) -> HttpResponse | None:
    """Save the typed draft; a response when it was refused (the step again, nothing lost)."""
    if not editor.valid:
        return _render_editor(request, editor, step=step, status=400)
    try:
        proposal_update(
            actor=_user(request), proposal=editor.proposal, data=editor.data, expected_saved_at=editor.expected_saved_at
        )
    except ProposalInputError as exc:
        show_problems(editor, exc.problems)
        return _render_editor(request, editor, step=step, status=exc.status, error=exc)
    except ApplicationError as exc:
        if exc.kind == ErrorKind.NOT_FOUND:
            raise
        if exc.code == "stale_change":  # the form comes back with what was typed and the newer save's time
            editor.proposal.refresh_from_db(fields=["updated_at"])
        return _render_editor(request, editor, step=step, status=exc.status, error=exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor, one step at a time (``?step=``; issue 17). Every step posts the whole proposal
    to the same save; "save and go to a step" is the same save followed by that step."""
    proposal = proposal_get(request.user, pk)
    if request.method == "GET":
        step = request.GET.get("step", FIRST_STEP)
        if step not in STEP_KEYS:
            raise Http404(_("There is no such step in the editor."))
        return _render_editor(request, editor_for(proposal), step=step)
    refused = _may_change(request, proposal, step=FIRST_STEP)  # before the form is read
    if refused is not None:
        return refused
    shown = _posted_step(request, "step") or FIRST_STEP
    refused = _save(request, editor_from_post(proposal, request.POST), step=shown)
    if refused is not None:
        return refused
    messages.success(request, _("Draft saved."))
    return redirect(_step_url(proposal.pk, _posted_step(request, "goto") or shown))


@login_required
@require_POST
def proposal_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what is typed, then submit: the server runs every rule again and refuses with the list."""
    proposal = proposal_get(request.user, pk)
    refused = _may_change(request, proposal, step=REVIEW_STEP) or _save(
        request, editor_from_post(proposal, request.POST), step=REVIEW_STEP
    )
    if refused is not None:
        return refused
    proposal = proposal_get(request.user, pk)
    returned = proposal_returned_by(proposal) if proposal.status == ProposalStatus.RETURNED else None
    try:
        version = proposal_submit(actor=_user(request), proposal=proposal)
    except ApplicationError as exc:
        if exc.kind == ErrorKind.NOT_FOUND:
            raise
        return _render_editor(request, editor_for(proposal), step=REVIEW_STEP, status=exc.status, error=exc)
    if returned is not None:
        # A resubmission goes back to the step, and the reviewer, that returned it (R-WF-3).
        who = returned.actor.full_name if returned.actor is not None else _("the reviewer")
        text = _("Resubmitted as version %(number)s and sent back to %(who)s, who returned it.") % {
            "number": version.number,
            "who": who,
        }
    else:
        text = _("Submitted as version %(number)s. It now goes to the Head of PTj for approval.") % {
            "number": version.number
        }
    messages.success(request, text)
    return redirect(_step_url(proposal.pk, REVIEW_STEP))


@login_required
@require_POST
def proposal_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(request.user, pk, design=False)
    proposal_delete(actor=_user(request), proposal=proposal)
    messages.success(request, _("Draft deleted."))
    return redirect("proposal-list")

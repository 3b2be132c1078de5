"""R-CR-7 pages: the learner's name change request, CFLEX's queue and decision, and the
evidence, handed out only to its owner and CFLEX (others get 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.errors import ApplicationError, not_found
from enrolment import services
from enrolment.choices import NameChangeStatus
from enrolment.models import NameChangeRequest
from enrolment.name_forms import NameChangeForm, NameDecisionForm

_CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def name_change(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    if not actor.has_perm("enrolment.enrol"):
        raise not_found("name_change")
    form = NameChangeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.name_change_request(
                    actor=actor,
                    new_name=form.cleaned_data["new_name"],
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data["evidence"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Your request is sent to CFLEX. We will email you their decision."))
                return redirect("name-change")
        else:
            status = 400
    mine = NameChangeRequest.objects.filter(user=actor)
    return render(request, "enrolment/name_change.html", {"form": form, "requests": mine}, status=status)


def _cflex(request: HttpRequest) -> User:
    actor = _user(request)
    if not actor.has_perm("enrolment.decide_name_change"):
        raise not_found("name_change")
    return actor


@login_required
@require_GET
def name_change_queue(request: HttpRequest) -> HttpResponse:
    _cflex(request)
    rows = NameChangeRequest.objects.select_related("user", "decided_by")
    pending = [r for r in rows if r.status == NameChangeStatus.PENDING]
    decided = [r for r in rows if r.status != NameChangeStatus.PENDING][:50]
    return render(request, "enrolment/name_change_queue.html", {"pending": pending, "decided": decided})


@login_required
@require_http_methods(["GET", "POST"])
def name_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _cflex(request)
    found = NameChangeRequest.objects.select_related("user", "decided_by").filter(pk=pk).first()
    if found is None:
        raise not_found("name_change")
    form = NameDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.name_change_decide(
                    actor=actor,
                    request_id=found.pk,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Decision recorded; the learner is told by email."))
                return redirect("name-change-queue")
        else:
            status = 400
    return render(request, "enrolment/name_change_detail.html", {"r": found, "form": form}, status=status)


@login_required
@require_GET
def name_change_evidence(request: HttpRequest, pk: int) -> FileResponse:
    found = NameChangeRequest.objects.filter(pk=pk).first()
    if found is None or not _user(request).has_perm("enrolment.view_name_evidence", found):
        raise not_found("name_change")
    response = FileResponse(
        found.evidence.open("rb"),
        as_attachment=True,
        filename=found.evidence_name or f"evidence.{found.evidence_kind}",
        content_type=_CONTENT_TYPES.get(found.evidence_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

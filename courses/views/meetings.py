"""Committee and Senate meetings: list and create (secretaries), the agenda (CFLEX adds), the
decisions (secretaries) and the agenda as a PDF. Thin over ``courses.services.meetings``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.errors import ApplicationError, ErrorKind
from courses.choices import Decision, MeetingBody
from courses.models import AgendaItem
from courses.selectors import proposal_get
from courses.selectors.meetings import agenda_candidates, meeting_bodies_kept_by, meeting_get, meetings_visible_to
from courses.services import (
    agenda_add,
    agenda_add_may,
    agenda_decide,
    agenda_decide_may,
    meeting_create,
    meeting_create_may,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _need_meetings(request: HttpRequest) -> None:
    if not request.user.has_perm("courses.view_meetings"):
        raise ApplicationError(
            "meeting_forbidden", _("Meetings are kept by CFLEX and the secretaries."), kind=ErrorKind.FORBIDDEN
        )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    _need_meetings(request)
    bodies = meeting_bodies_kept_by(request.user)
    error = None
    if request.method == "POST":
        meeting_create_may(actor=_user(request))  # before the input is read
        try:
            try:
                when = date.fromisoformat(request.POST.get("date", ""))
            except ValueError:
                raise ApplicationError("date_invalid", _("Give the meeting's date."), field="date") from None
            meeting = meeting_create(
                actor=_user(request), body=request.POST.get("body", ""), date=when, title=request.POST.get("title", "")
            )
        except ApplicationError as exc:
            if exc.kind == ErrorKind.FORBIDDEN:
                raise
            error = exc
        else:
            messages.success(request, _("Meeting created."))
            return redirect("meeting-detail", pk=meeting.pk)
    return render(
        request,
        "courses/meeting_list.html",
        {
            "meetings": list(meetings_visible_to(request.user).order_by("-date", "-id")[:100]),
            "bodies": [(b, MeetingBody(b).label) for b in bodies],
            "error": error,
        },
        status=error.status if error else 200,
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_get(request.user, pk)
    can_add = request.user.has_perm("courses.manage_agenda")
    return render(
        request,
        "courses/meeting_detail.html",
        {
            "meeting": meeting,
            "items": list(meeting.items.all()),
            "candidates": list(agenda_candidates(meeting)) if can_add else [],
            "can_add": can_add,
            "can_decide": meeting.body in meeting_bodies_kept_by(request.user),
            "decisions": Decision.choices,
        },
    )


@login_required
@require_POST
def agenda_add_view(request: HttpRequest) -> HttpResponse:
    agenda_add_may(actor=_user(request))  # before the ids are read from the form
    proposal = proposal_get(request.user, request.POST.get("proposal") or 0, design=False)
    meeting = meeting_get(request.user, request.POST.get("meeting") or 0)
    try:
        agenda_add(actor=_user(request), meeting=meeting, proposal=proposal)
    except ApplicationError as exc:
        if exc.kind in (ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Added to the agenda."))
    return redirect("meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def agenda_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = AgendaItem.objects.select_related("meeting").filter(pk=pk).first()
    if item is None:
        raise ApplicationError("meeting_not_found", _("No such meeting."), kind=ErrorKind.NOT_FOUND)
    meeting_get(request.user, item.meeting_id)
    agenda_decide_may(actor=_user(request), item=item)  # before the input is read
    try:
        agenda_decide(
            actor=_user(request),
            item=item,
            decision=request.POST.get("decision", ""),
            minute_reference=request.POST.get("minute_reference", ""),
            comment=request.POST.get("comment", ""),
        )
    except ApplicationError as exc:
        if exc.kind in (ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("meeting-detail", pk=item.meeting_id)


def agenda_pdf_bytes(request: HttpRequest, pk: int) -> tuple[bytes, str]:
    from core.pdf import render_pdf

    meeting = meeting_get(request.user, pk)
    html = render_to_string(
        "courses/agenda_pdf.html", {"meeting": meeting, "items": list(meeting.items.all())}, request
    )
    return render_pdf(html), f"agenda-{meeting.body}-{meeting.date}.pdf"


@login_required
@require_GET
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    pdf, name = agenda_pdf_bytes(request, pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

"""The market-survey analysis (R-AF-3): uploaded through the service, handed out only to people
who may see the proposal; the folder it lives in has no public URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.errors import ApplicationError, ErrorKind
from courses.choices import UploadKind
from courses.models import MarketSurvey, Proposal
from courses.selectors import proposal_get
from courses.services import market_survey_attach, proposal_may

CONTENT_TYPES = {
    UploadKind.PDF: "application/pdf",
    UploadKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    UploadKind.CSV: "text/csv",
}


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@login_required
@require_POST
def survey_upload(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(request.user, pk, design=False)
    assert isinstance(request.user, User)
    try:
        proposal_may(request.user, "courses.change_proposal", proposal)  # before the input is read
        upload = request.FILES.get("survey_file")
        if upload is None:
            raise ApplicationError("upload_missing", _("Choose a file to upload."), field="survey_file")
        survey = market_survey_attach(actor=request.user, proposal=proposal, upload=upload)
    except ApplicationError as exc:
        if exc.kind == ErrorKind.NOT_FOUND or not _wants_json(request):
            raise
        return JsonResponse({"error": exc.as_dict()}, status=exc.status)
    if _wants_json(request):
        html = render_to_string("courses/_survey_file.html", {"survey": survey, "proposal": proposal}, request)
        return JsonResponse({"fragments": {"survey-file": html}})
    messages.success(request, _("The market survey analysis is attached."))
    return redirect(reverse("proposal-edit", args=[proposal.pk]) + "?step=survey")


def survey_file_response(proposal: Proposal) -> FileResponse:
    try:
        survey = proposal.market_survey
    except MarketSurvey.DoesNotExist:
        survey = None
    if survey is None or not survey.analysis_file:
        raise ApplicationError("survey_file_missing", _("No analysis is attached."), kind=ErrorKind.NOT_FOUND)
    response = FileResponse(
        survey.analysis_file.open("rb"),
        as_attachment=True,
        filename=survey.file_name or f"market-survey.{survey.file_kind}",
        content_type=CONTENT_TYPES.get(UploadKind(survey.file_kind), "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def survey_download(request: HttpRequest, pk: int) -> FileResponse:
    return survey_file_response(proposal_get(request.user, pk, design=False))

"""CFLEX's bulk pages: one ZIP of every certificate and MMS of a batch (a Celery task; the page
polls a small JSON status with a static script, so no inline script meets the CSP), and the
credential emails sent again. Anyone but a CFLEX administrator gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.errors import ApplicationError
from credentials.models import BulkDownload
from credentials.services.bulk import bulk_download_request, credential_emails_resend


def _manager(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("credentials.manage"):
        raise Http404
    return user


def _download(request: HttpRequest, pk: int) -> BulkDownload:
    _manager(request)
    found = BulkDownload.objects.select_related("batch").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def zip_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    try:
        download = bulk_download_request(actor=actor, batch_id=pk)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        return redirect("credentials:batch", pk=pk)
    return redirect("credentials:zip", pk=download.pk)


def _status(download: BulkDownload) -> dict[str, object]:
    ready = download.status == BulkDownload.Status.DONE
    return {
        "status": download.status,
        "label": str(download.get_status_display()),
        "done": download.done,
        "total": download.total,
        "percent": download.percent,
        "download_url": reverse("credentials:zip_file", args=[download.pk]) if ready else "",
        "expires_at": download.expires_at.isoformat() if download.expires_at else "",
    }


@login_required
@require_GET
def zip_page(request: HttpRequest, pk: int) -> HttpResponse:
    download = _download(request, pk)
    return render(request, "credentials/zip.html", {"d": download, "s": _status(download)})


@login_required
@require_GET
def zip_status(request: HttpRequest, pk: int) -> JsonResponse:
    response = JsonResponse(_status(_download(request, pk)))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def zip_file(request: HttpRequest, pk: int) -> FileResponse:
    download = _download(request, pk)
    if download.status != BulkDownload.Status.DONE or not download.file:
        raise Http404
    response = FileResponse(
        download.file.open("rb"),
        as_attachment=True,
        filename=f"credentials-{download.batch.course_code}-{download.pk}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    try:
        queued = credential_emails_resend(actor=actor, batch_id=pk)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        raise
    messages.success(
        request,
        _("%(n)d credential email(s) queued. A learner already sent one today is not sent another.") % {"n": queued},
    )
    return redirect("credentials:batch", pk=pk)

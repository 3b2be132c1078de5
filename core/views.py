from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import PTj
from accounts.rules import active_roles
from core.errors import ApplicationError
from core.home import role_panels
from core.safejson import human_size


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and the container healthcheck: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the portal's front door; staff and learners their role panels."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    assignments = sorted(active_roles(request.user))
    ptjs = PTj.objects.in_bulk([p for _, p, _ in assignments if p is not None])
    return render(request, "core/home.html", {"panels": role_panels(assignments, ptjs)})


def too_large_error() -> ApplicationError:
    return ApplicationError(
        "request_too_large",
        _("What you sent is larger than %(limit)s. Send a smaller file or less text at a time.")
        % {"limit": human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)},
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 handler (``handler400``): a request refused before any view ran, such as a
    body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) or a malformed request. The API answers in its
    JSON envelope, pages in the page, never Django's bare "Bad Request"."""
    if isinstance(exception, RequestDataTooBig):
        error = too_large_error()
        status = 413
    else:
        error = ApplicationError("bad_request", _("The request could not be understood. Please try again."))
        status = 400
    if request.path.startswith("/api/"):
        return JsonResponse({"error": error.as_dict()}, status=status)
    return render(request, "core/error.html", {"error": error}, status=status)

"""Browser pages show an ``ApplicationError`` through one template partial, with its status."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import ApplicationError


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        template = "_error.html" if request.headers.get("HX-Request") else "core/error.html"
        return render(request, template, {"error": exception}, status=exception.status)


def uncompressed(response: HttpResponse) -> HttpResponse:
    """Keep ``response`` out of gzip (decision 0143): for a page that prints a fixed secret, such
    as an authenticator key, where a compressed length could leak it (BREACH)."""
    response.headers["Content-Encoding"] = "identity"
    return response

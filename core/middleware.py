"""Browser pages show an ``ApplicationError`` through one template partial, with its status."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from core.errors import ApplicationError


class UserLanguageMiddleware:
    """A logged-in person sees the portal in their own language (``User.preferred_language``, set
    in "My settings" or with the language picker), whatever the browser's cookie says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user is not None and user.is_authenticated else ""
        if language and language != getattr(request, "LANGUAGE_CODE", ""):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


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

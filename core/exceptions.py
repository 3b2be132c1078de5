"""One DRF exception handler: every API error has the same envelope.

``{"error": {"code": ..., "message": ..., "field": ..., "fields": {...}}}``
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import ApplicationError


def _first_field_error(detail: Any, prefix: str = "") -> tuple[str | None, str]:
    """The first (field, message) pair in a nested DRF error detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else None
            path = f"{prefix}.{name}" if prefix and name else (name or prefix or None)
            _, message = _first_field_error(value, path or "")
            return path, message
    if isinstance(detail, list) and detail:
        return _first_field_error(detail[0], prefix)
    return (prefix or None), str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"error": exc.as_dict()}, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_field_error(exc.detail)
        body: dict[str, Any] = {"code": "invalid", "message": message, "field": field}
        if isinstance(exc.detail, dict):
            body["fields"] = exc.detail
        response.data = {"error": body}
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "error": {
                "code": codes if isinstance(codes, str) else "error",
                "message": str(exc.detail),
                "field": None,
            }
        }
    return response

"""One DRF exception handler: every API error has the same envelope.

``{"error": {"code": ..., "message": ..., "field": ..., "fields": {...}}}``
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import ApplicationError


def _first_error(detail: Any, path: str = "") -> tuple[str, str] | None:
    """The first (path, message) in a nested DRF error detail, skipping the valid (empty) items of
    a list, so a bad later item keeps its path: ``units[0].lines[2].quantity``, the same form as
    the rule errors' fields."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int) or str(key).isdigit():  # an item of a list
                found = _first_error(value, f"{path}[{key}]")
            else:
                name = "" if key == "non_field_errors" else str(key)
                found = _first_error(value, f"{path}.{name}" if path and name else (name or path))
            if found:
                return found
        return None
    if isinstance(detail, list):
        if detail and all(isinstance(item, str) for item in detail):
            return path, " ".join(str(item) for item in detail)
        for index, item in enumerate(detail):
            found = _first_error(item, f"{path}[{index}]")
            if found:
                return found
        return None
    return path, str(detail)


def first_field_error(detail: Any) -> tuple[str | None, str]:
    """The field (None for the whole input) and message of the first error in a DRF detail."""
    path, message = _first_error(detail) or ("", "Invalid input.")
    return path or None, message


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"error": exc.as_dict()}, status=exc.status)
    if isinstance(exc, RequestDataTooBig):  # a body over DATA_UPLOAD_MAX_MEMORY_SIZE, read by DRF
        from core.views import too_large_error

        return Response({"error": too_large_error().as_dict()}, status=413)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message = first_field_error(exc.detail)
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

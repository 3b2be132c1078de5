"""The one domain error. Services raise it; one DRF handler and one template partial show it."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ErrorKind(IntEnum):
    """What went wrong, as the HTTP status it maps to."""

    INVALID = 400
    FORBIDDEN = 403
    NOT_FOUND = 404
    CONFLICT = 409
    GONE = 410  # a one-time link already used or expired


class ApplicationError(Exception):
    """A refusal with a stable ``code`` (tests assert it), a human ``message`` and the ``field``
    at fault, if any. ``kind`` decides the HTTP status."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        kind: ErrorKind = ErrorKind.INVALID,
        current: Any = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.kind = kind
        self.current = current  # a stale change's 409: the value as it now is

    @property
    def status(self) -> int:
        return int(self.kind)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "field": self.field}
        if self.current is not None:
            body["current"] = self.current
        return body

    def __repr__(self) -> str:
        return f"ApplicationError(code={self.code!r}, field={self.field!r}, kind={self.kind.name})"


def not_found(what: str, message: str | None = None) -> ApplicationError:
    """A 404 refusal with the code ``<what>_not_found`` (``credential_not_found``,
    ``offering_not_found``…), used alike for "does not exist" and "you may not see it", so an id
    that exists tells nobody anything."""
    from django.utils.translation import gettext

    return ApplicationError(f"{what}_not_found", message or gettext("Not found."), kind=ErrorKind.NOT_FOUND)

"""The one domain error. Services raise it; one DRF handler and one template partial show it."""

from __future__ import annotations

import re
from enum import Enum, IntEnum
from typing import Any

# A rule ID at the start of a message ("R-EN-2: please confirm…") or in brackets ("… (R-CR-5).",
# "(R-WF-4, interpretation)"). People read the message without it; the ID travels beside it, for the
# API body and for staff's "why?" link (issue 17).
RULE_ID = re.compile(r"R-[A-Z]+-\d+")
_LEADING_RULE = re.compile(r"^\s*(R-[A-Z]+-\d+)\s*:\s*")
_BRACKETED_RULE = re.compile(r"\s*\((R-[A-Z]+-\d+)(?:,[^)]*)?\)")


def split_rule(message: str) -> tuple[str, str]:
    """``"R-EN-2: please confirm…"`` -> ``("Please confirm…", "R-EN-2")``."""
    rule = ""
    leading = _LEADING_RULE.match(message)
    if leading:
        rule = leading.group(1)
        message = message[leading.end() :]
        message = message[:1].upper() + message[1:]
    bracketed = _BRACKETED_RULE.search(message)
    if bracketed:
        rule = rule or bracketed.group(1)
        message = _BRACKETED_RULE.sub("", message)
    return message, rule


class ErrorKind(IntEnum):
    """What went wrong, as the HTTP status it maps to."""

    INVALID = 400
    FORBIDDEN = 403
    NOT_FOUND = 404
    CONFLICT = 409
    GONE = 410  # a one-time link already used or expired


class ApplicationError(Exception):
    """A refusal with a stable ``code`` (tests assert it), a human ``message``, the ``field``
    at fault and the DOMAIN ``rule`` behind it, if any. ``kind`` decides the HTTP status. Pages
    show only the message (staff also get a "why?" with the rule); API bodies carry all four."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        kind: ErrorKind = ErrorKind.INVALID,
        current: Any = None,
        rule: str = "",
    ) -> None:
        message, found = split_rule(str(message))
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.kind = kind
        self.current = current  # a stale change's 409: the value as it now is
        self.rule = rule or found

    @property
    def status(self) -> int:
        return int(self.kind)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "field": self.field}
        if self.current is not None:
            body["current"] = self.current
        if self.rule:
            body["rule"] = self.rule  # codes for machines: only in API bodies
        return body

    def __repr__(self) -> str:
        return f"ApplicationError(code={self.code!r}, field={self.field!r}, kind={self.kind.name})"


def not_found(what: str, message: str | None = None) -> ApplicationError:
    """A 404 refusal with the code ``<what>_not_found`` (``credential_not_found``,
    ``offering_not_found``…), used alike for "does not exist" and "you may not see it", so an id
    that exists tells nobody anything."""
    from django.utils.translation import gettext

    return ApplicationError(f"{what}_not_found", message or gettext("Not found."), kind=ErrorKind.NOT_FOUND)


class Unchecked(Enum):
    """The expected-previous value of a "set" action that its caller did not give: demo data,
    commands and tests that own the record. Pages and APIs always pass what the person saw
    (docs/decisions/0111 and 0205)."""

    UNCHECKED = "unchecked"


UNCHECKED = Unchecked.UNCHECKED


def stale_check(expected: Any, now: Any, *, field: str, current: Any, message: str) -> None:
    """A "set" action's lost-update rule, called under the row lock: if the value the person saw
    (``expected``) is not the value now, refuse with 409 ``stale_change``, ``current`` in the API
    body and ``message`` (the current value in words) on the page."""
    if expected is UNCHECKED or expected == now:
        return
    raise stale_change(message, field=field, current=current)


def stale_change(message: str, *, field: str, current: Any) -> ApplicationError:
    """The 409 of a "set" action whose value changed since the person read it."""
    return ApplicationError("stale_change", message, field=field, kind=ErrorKind.CONFLICT, current=current)

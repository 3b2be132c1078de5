"""One bounded JSON reader for every door that takes JSON from outside: the DRF parser of every
API, the verification upload and paste, and credit-transfer evidence.

Python's ``json`` recurses once per nesting level, so a few kilobytes of ``[[[[...`` raise
``RecursionError`` (a 500) in the parser or in whatever walks the result later (JSON-LD
expansion, serializers). Here the text is bounded before it is parsed:

- size: ``max_bytes`` (callers pass their own; the API default is ``JSON_MAX_BYTES``);
- nesting depth: ``JSON_MAX_DEPTH`` levels of objects and arrays, counted by a linear scan that
  skips strings, before ``json.loads`` sees the text;
- numbers: at most ``JSON_MAX_NUMBER_CHARS`` characters each, and no ``NaN`` / ``Infinity``.

Every refusal is a ``JsonInputError`` with a stable ``code`` and a plain message; the API turns it
into a JSON 400/413 (core.parsers), pages into a form error.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

# A JSON string (with escapes) or one bracket: strings are skipped whole, so brackets inside them
# do not count.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENERS = frozenset("[{")
_CLOSERS = frozenset("]}")


class JsonInputError(ValueError):
    """JSON refused before or while parsing. ``status`` is 413 for too large, else 400."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def max_depth() -> int:
    return int(getattr(settings, "JSON_MAX_DEPTH", 64))


def max_bytes_default() -> int:
    return int(getattr(settings, "JSON_MAX_BYTES", 1024 * 1024))


def max_number_chars() -> int:
    return int(getattr(settings, "JSON_MAX_NUMBER_CHARS", 40))


def too_large(limit: int) -> JsonInputError:
    return JsonInputError(
        "json_too_large",
        _("The JSON is larger than %(limit)s; send less at a time.") % {"limit": human_size(limit)},
        status=413,
    )


def human_size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(count // 1024, 1)} KB"


def check_depth(text: str, limit: int) -> None:
    """Refuse text whose objects and arrays nest deeper than ``limit``; linear, no recursion."""
    depth = 0
    for match in _TOKENS.finditer(text):
        piece = match.group()
        if piece in _OPENERS:
            depth += 1
            if depth > limit:
                raise JsonInputError(
                    "json_too_deep",
                    _("The JSON nests objects or lists more than %(limit)s levels deep.") % {"limit": limit},
                )
        elif piece in _CLOSERS:
            depth -= 1


def _number(kind: type[int] | type[float]) -> Any:
    limit = max_number_chars()

    def parse(text: str) -> int | float:
        if len(text) > limit:
            raise JsonInputError(
                "json_number_too_long",
                _("A number in the JSON is longer than %(limit)s characters.") % {"limit": limit},
            )
        return kind(text)

    return parse


def _constant(name: str) -> Any:
    raise JsonInputError("json_not_a_number", _("The JSON contains %(name)s, which is not a number.") % {"name": name})


def loads(raw: bytes | str, *, max_bytes: int | None = None, depth: int | None = None) -> Any:
    """Parse ``raw`` (UTF-8 bytes, a BOM allowed, or text) within the bounds, or raise
    ``JsonInputError``. Never raises anything else for any input."""
    limit = max_bytes_default() if max_bytes is None else max_bytes
    if len(raw) > limit:
        raise too_large(limit)
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JsonInputError("json_not_utf8", _("The JSON is not UTF-8 text.")) from None
    else:
        text = raw
    check_depth(text, max_depth() if depth is None else depth)
    try:
        return json.loads(
            text,
            parse_int=_number(int),
            parse_float=_number(float),
            parse_constant=_constant,
        )
    except JsonInputError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        if isinstance(exc, json.JSONDecodeError):
            message = _("This is not valid JSON (line %(line)s, column %(column)s).") % {
                "line": exc.lineno,
                "column": exc.colno,
            }
        else:
            message = _("This is not valid JSON.")
        raise JsonInputError("json_invalid", message) from None

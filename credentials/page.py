"""The public verification page for anonymous visitors, filled into a kept skeleton
(docs/decisions/0255).

Rendering ``credentials/verify.html`` through Django's template engine cost a first view (a
credential this process has not shown before) several times the CPU of a bare view: the base
template, the navigation, the language switch, two dozen translations and URL reversals are the
same on every such page. So each process renders the template once per *shape* with a marker in
place of every per-credential value, splits the output at the markers, and keeps the pieces; a
page is then the pieces joined with the credential's values, each rendered and escaped exactly
as the template engine renders a variable (``render_value_in_context``: localised, auto-escaped).

What decides a shape, and so is never a marker: the language, the verdict, the status, whether a
PDF's printed facts differed, the course code (it goes through ``{% url %}``), the course's
learning outcomes' text (a loop), whether the credential is replaced, and, for every value that is a
marker, whether it is empty (``{% if %}`` and ``|default`` test it) and, when empty, the empty
value itself. The verification ids are markers too: a random UUID each (the URL patterns accept
only UUIDs), replaced by the credential's own id, which the URL converter has already checked is
a UUID. The markers are random per process, so no stored text (a course's outcomes are in the
skeleton) can contain one.

Only the anonymous page (``same_for_everyone``) is made this way; a visitor with a session gets
the template rendered in full. The skeletons live as long as the process: templates and
translations are loaded once per process in production (the cached template loader), so a deploy
that changes either restarts the workers and starts with no skeleton. With ``DEBUG`` on (templates
reloaded when edited) nothing is kept. ``tests/credentials/test_verify_page_skeleton.py`` compares
the filled page with the full render, byte for byte, for every verdict, both languages and
values that need escaping."""

from __future__ import annotations

import copy
import html
import logging
import re
import secrets
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

TEMPLATE = "credentials/verify.html"
_SKELETONS_KEPT = 1024  # one per language, course and verdict shape: a few KB each

# The per-credential values the page shows, by where the template finds them. Everything else the
# template reads is part of the shape (``_shape``).
_CREDENTIAL_FIELDS = ("course_title", "serial", "status_reason")
_FACTS_FIELDS = (
    "learner_name",
    "identity_label",
    "identity_masked",
    "course_code",
    "course_title",
    "grade",
    "credits",
    "slt_hours",
    "course_level",
    "programme",
    "delivery",
    "duration",
    "formative_percent",
    "summative_percent",
    "quality_assurance",
    "institution",
    "serial",
    "valid_until",
)
_RESULT_FIELDS = ("reason", "issuer", "valid_from")
_TOP_FIELDS = ("status_changed_on", "issued_on", "badge_image")


@dataclass(frozen=True)
class _Markers:
    token: str  # letters and digits only: unchanged by escaping, URL quoting and translation
    own_id: str  # a UUID: stands for the credential's verification id
    successor_id: str  # a UUID: stands for the replacing credential's verification id

    def slot(self, index: int) -> str:
        return f"{self.token}s{index}e"


_MARKERS = _Markers(token="vslot" + secrets.token_hex(8), own_id=str(uuid.uuid4()), successor_id=str(uuid.uuid4()))


@dataclass(frozen=True)
class _Skeleton:
    pieces: tuple[str, ...]  # static text; between two pieces goes one value
    order: tuple[Any, ...]  # what goes between pieces i and i+1: a slot index, or "own" / "successor"


class _Kept:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: OrderedDict[tuple[Any, ...], _Skeleton] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> _Skeleton | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], skeleton: _Skeleton) -> None:
        with self.lock:
            self.items[key] = skeleton
            while len(self.items) > _SKELETONS_KEPT:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


SKELETONS = _Kept()


def _values(context: dict[str, Any]) -> list[Any]:
    """The per-credential values, in slot order."""
    credential, facts, result = context["credential"], context["facts"], context["result"]
    values: list[Any] = [getattr(credential, name) for name in _CREDENTIAL_FIELDS]
    values += [getattr(facts, name) for name in _FACTS_FIELDS]
    values += [getattr(result, name) for name in _RESULT_FIELDS]
    values += [context[name] for name in _TOP_FIELDS]
    replaced_by = context.get("replaced_by")
    values.append(replaced_by.serial if replaced_by is not None else None)
    return values


def _shape(context: dict[str, Any], language: str, path: str, values: list[Any]) -> tuple[Any, ...]:
    credential, facts, result = context["credential"], context["facts"], context["result"]
    return (
        language,
        path,
        str(result.verdict),
        bool(getattr(result, "printed_mismatch", False)),
        str(credential.status),
        str(credential.course_code),
        tuple(clo.outcome for clo in facts.clos),  # the outcomes only: the page shows no attainment
        context.get("replaced_by") is not None,
        # An empty value is rendered into the skeleton as itself (so {% if %} and |default see it).
        tuple(True if value else (type(value).__name__, value) for value in values),
    )


def _skeleton(request: HttpRequest, context: dict[str, Any], values: list[Any], path: str) -> _Skeleton:
    """Render the template once with markers for the values, and split it at the markers."""
    marked = [_MARKERS.slot(index) if value else value for index, value in enumerate(values)]
    slots = iter(marked)
    credential = SimpleNamespace(
        verification_id=_MARKERS.own_id,
        course_code=context["credential"].course_code,
        status=context["credential"].status,
        **{name: next(slots) for name in _CREDENTIAL_FIELDS},
    )
    clos = tuple(SimpleNamespace(outcome=clo.outcome) for clo in context["facts"].clos)
    facts = SimpleNamespace(clos=clos, **{name: next(slots) for name in _FACTS_FIELDS})
    result = SimpleNamespace(
        verdict=context["result"].verdict,
        printed_mismatch=getattr(context["result"], "printed_mismatch", False),
        **{name: next(slots) for name in _RESULT_FIELDS},
    )
    top = {name: next(slots) for name in _TOP_FIELDS}
    successor_serial = next(slots)
    replaced_by = (
        SimpleNamespace(verification_id=_MARKERS.successor_id, serial=successor_serial)
        if context.get("replaced_by") is not None
        else None
    )
    marked_request = copy.copy(request)
    marked_request.path = path
    text = render_to_string(
        TEMPLATE,
        {
            **top,
            "credential": credential,
            "facts": facts,
            "result": result,
            "replaced_by": replaced_by,
            "page_url": context["page_url"].replace(str(context["credential"].verification_id), _MARKERS.own_id),
            "same_for_everyone": True,
        },
        marked_request,
    )
    split = re.split(
        f"({re.escape(_MARKERS.own_id)}|{re.escape(_MARKERS.successor_id)}|{_MARKERS.token}s(\\d+)e)", text
    )
    # re.split with two groups: piece, whole marker, slot number (or None), piece, ...
    pieces = tuple(split[0::3])
    order: list[Any] = []
    for whole, number in zip(split[1::3], split[2::3], strict=True):
        order.append(int(number) if number is not None else ("own" if whole == _MARKERS.own_id else "successor"))
    leftover = "".join(pieces).lower()
    if any(mark.lower() in leftover for mark in (_MARKERS.token, _MARKERS.own_id, _MARKERS.successor_id)):
        # A value went through something that changed its marker (a filter): the pieces cannot
        # be filled. Caught by the byte-for-byte tests; refuse rather than serve a wrong page.
        raise SkeletonError(f"{TEMPLATE} transforms a per-credential value; render it in full")
    return _Skeleton(pieces, tuple(order))


class SkeletonError(Exception):
    """The template cannot be split into pieces and values (see ``_skeleton``)."""


_RENDER_CONTEXT = Context(autoescape=True)


def fills() -> bool:
    """Whether anonymous pages are filled into skeletons at all: not with ``DEBUG`` on, where
    templates are reloaded when edited."""
    return not settings.DEBUG


def render(request: HttpRequest, context: dict[str, Any], language: str) -> bytes | None:
    """The anonymous page for this credential as bytes, or None when it must be rendered in full
    (``fills()`` false, or a request path that does not name the credential)."""
    if not fills():
        return None
    own = str(context["credential"].verification_id)
    if own not in request.path:
        return None
    path = request.path.replace(own, _MARKERS.own_id)
    values = _values(context)
    key = _shape(context, language, path, values)
    skeleton = SKELETONS.get(key)
    if skeleton is None:
        try:
            skeleton = _skeleton(request, context, values, path)
        except SkeletonError:
            log.exception("the verification page is rendered in full")
            return None
        SKELETONS.put(key, skeleton)
    replaced_by = context.get("replaced_by")
    ids = {"own": own, "successor": str(replaced_by.verification_id) if replaced_by is not None else ""}
    parts = [skeleton.pieces[0]]
    for what, piece in zip(skeleton.order, skeleton.pieces[1:], strict=True):
        parts.append(ids[what] if isinstance(what, str) else _rendered(values[what], language))
        parts.append(piece)
    return "".join(parts).encode()


_NUMBERS: dict[tuple[type, Any, str], str] = {}  # a few: credits, hours, percentages


def _rendered(value: Any, language: str) -> str:
    """A value as ``{{ value }}`` renders it (``render_value_in_context``: localised, auto-escaped).
    A plain ``str`` (most values) is only escaped, as that function would do, without its other
    checks; a number is localised once per value and language."""
    kind = type(value)
    if kind is str:
        return html.escape(value)  # what django.utils.html.escape does to it
    if kind is int or kind is Decimal:
        key = (kind, value, language)
        found = _NUMBERS.get(key)
        if found is None:
            if len(_NUMBERS) > 4096:
                _NUMBERS.clear()
            found = _NUMBERS[key] = str(render_value_in_context(value, _RENDER_CONTEXT))
        return found
    return str(render_value_in_context(value, _RENDER_CONTEXT))

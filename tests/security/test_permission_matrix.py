"""The permission matrix (issue 12): every URL pattern the resolver knows, tried as an anonymous
visitor and as one outsider of each role (``tests.security.world``), with GET, with a CSRF-valid
POST and with each other write method an API view takes, against records owned by someone else.

Each answer must be exactly the one ``tests.security.matrix`` expects for that route, method and
person, and nothing in the database may change: every table except sessions and the log-in
throttle's counters is compared row by row before and after each route. A route the matrix
does not list fails with a message saying how to add it (see that module's docstring).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role
from tests.security import matrix
from tests.security.world import World, build_world

WHO = ["anon", *[str(role) for role in Role]]
CSRF_TOKEN = "matrixmatrixmatrixmatrixmatrix00"  # 32 characters: an unmasked CSRF secret
# Tables that change on any visit by design: sessions (log-in, log-out) and the log-in
# throttle's counters. Everything else (the audit trail and every state table) must not.
UNWATCHED = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
RECORD = os.environ.get("MATRIX_RECORD", "")


@dataclass(frozen=True)
class Route:
    key: str  # the URL name (namespace:name), or the pattern when it has none
    pattern: str
    kwargs: tuple[str, ...]
    methods: tuple[str, ...]
    body_methods: tuple[str, ...] = ()  # the API view's methods that read a body


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner or "")
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield prefix + str(entry.pattern), name, entry


def _methods(callback: Any) -> tuple[str, ...]:
    """GET and POST for every route; an API view's PUT, PATCH and DELETE too when it has them."""
    view = getattr(callback, "cls", None)  # a DRF APIView's class
    extra = tuple(m for m in ("put", "patch", "delete") if view is not None and hasattr(view, m))
    return ("get", "post", *extra)


def all_routes() -> list[Route]:
    routes = []
    for pattern, name, entry in _walk(get_resolver().url_patterns):
        kwargs = tuple(entry.pattern.regex.groupindex)
        view = getattr(entry.callback, "cls", None)
        body = tuple(m for m in ("post", "put", "patch") if view is not None and hasattr(view, m))
        routes.append(Route(name or pattern, pattern, kwargs, _methods(entry.callback), body))
    return routes


ROUTES = all_routes()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside one transaction that is rolled back at its end. The
    routes' tests run inside it too (each asserts it changed nothing, so none sees another's
    writes); like a Django TestCase's, this transaction lets the services' durable atomics run."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        with outer:
            from django.apps import apps as live_apps

            from policy.seed import seed_apply

            seed_apply(live_apps)
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world: World, django_db_blocker) -> Iterator[dict[str, Client]]:
    """One logged-in client per person, kept for the module. Sessions live in signed cookies
    here, so each route's test (in its own savepoint) cannot roll a log-in back."""
    made = {}
    cookie_sessions = override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
    cookie_sessions.enable()
    with django_db_blocker.unblock():
        for who in WHO:
            client = Client(enforce_csrf_checks=True)
            if who != "anon":
                client.force_login(world.people[who])
            client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
            made[who] = client
        # Not a row of the matrix: someone no permission check stops, for the deep-nesting test.
        superuser = Client(enforce_csrf_checks=True)
        superuser.force_login(world["superuser"])
        superuser.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
        made["superuser"] = superuser
    yield made
    cookie_sessions.disable()


@pytest.fixture(scope="module")
def start_digests(clients: dict[str, Client], django_db_blocker) -> dict[str, str]:
    """The watched tables' digests as every route's test starts: the world with everyone logged
    in, as each test's own changes are rolled back at its end (``world``)."""
    with django_db_blocker.unblock():
        return _tables()


def _admin_models() -> dict[str, type]:
    return {f"admin/{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}


def _value(route: Route, name: str, world: World) -> Any:
    wanted = matrix.ARGS.get(route.key, {}).get(name)
    if wanted is not None:
        return matrix.arg_value(wanted, world)
    if name == "url":
        return "no-such-page/"
    if name in ("object_id", "id", "pk") and route.pattern.startswith("admin/"):
        for prefix, model in _admin_models().items():
            if route.pattern.startswith(prefix):
                first = model._default_manager.order_by("pk").first()  # type: ignore[attr-defined]
                return first.pk if first is not None else 1
        return world["proposal"].pk  # admin:view_on_site
    if name == "content_type_id":
        return ContentType.objects.get_for_model(type(world["proposal"])).pk
    if name == "app_label":
        return "courses"
    if name == "uidb64":
        return urlsafe_base64_encode(force_bytes(world["learner"].pk))
    if name == "token":
        return "set-by-the-matrix"
    return matrix.arg_value(matrix.BY_NAME[name], world) if name in matrix.BY_NAME else None


def _url(route: Route, kwargs: dict[str, Any]) -> str:
    if route.key != route.pattern:
        return reverse(route.key, kwargs=kwargs)
    # An unnamed pattern (the admin's redirects and catch-all): its arguments put in by hand.
    url = route.pattern.replace("^", "").replace("$", "")
    for name, value in kwargs.items():
        url = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), url)
    return "/" + url


def _outcome(response: Any) -> str:
    if response.status_code in (301, 302, 303):
        target = response.headers.get("Location", "")
        if target.startswith(resolve_url(settings.LOGIN_URL) + "?"):
            return "login"
        if target.startswith(reverse("admin:login") + "?"):
            return "adminlogin"
    return str(response.status_code)


def _tables() -> dict[str, str]:
    """A digest of every watched table's rows (a user's last log-in time aside)."""
    digests = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNWATCHED or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        digests[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def _row_changes() -> int:
    """How many rows this connection has inserted, updated or deleted (SQLite: since it opened;
    PostgreSQL: in this transaction, savepoints rolled back included). The count never goes
    down, so while it has not moved no table changed, and ``_Watch`` need not digest them again:
    the routes' requests run on this same connection, and nothing else writes to this test
    database during them (a task is only queued, after a commit that never comes here)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables")
        else:
            cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0])


class _Watch:
    """The watched tables' digests (``_tables``), taken again only when a row has changed since
    they were last taken (``_row_changes``): most routes write nothing, and digesting every table
    was a quarter of this module's time. It starts from ``start``, the digests as the test starts."""

    def __init__(self, start: dict[str, str]) -> None:
        self.mark = _row_changes()
        self.digests = start

    def now(self) -> dict[str, str]:
        mark = _row_changes()
        if mark != self.mark:
            self.mark, self.digests = mark, _tables()
        return self.digests


def _ask(client: Client, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    # No body: a CSRF-valid write (the token in the header) that carries no form data, so even an
    # admin delete page only asks for confirmation.
    return client.generic(method.upper(), url, b"", "application/json", HTTP_X_CSRFTOKEN=CSRF_TOKEN)


def test_every_route_has_an_expectation():
    missing = sorted({route.key for route in ROUTES} - set(matrix.EXPECT))
    assert not missing, matrix.HOW_TO_ADD.format(routes="\n  ".join(missing))
    stale = sorted(set(matrix.EXPECT) - {route.key for route in ROUTES})
    assert not stale, f"tests/security/matrix.py lists routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route.key for route in ROUTES])
def test_route_answers_as_expected_and_changes_nothing(
    route: Route, world: World, clients: dict[str, Client], start_digests: dict[str, str]
):
    _check(route, world, clients, start_digests)


def _check(route: Route, world: World, clients: dict[str, Client], start_digests: dict[str, str]) -> None:
    if route.key not in matrix.EXPECT and not RECORD:
        pytest.fail(matrix.HOW_TO_ADD.format(routes=route.key))
    kwargs = {name: _value(route, name, world) for name in route.kwargs}
    unfilled = [name for name, value in kwargs.items() if value is None]
    assert not unfilled, f"{route.key}: no value for {unfilled}; " + matrix.HOW_TO_ADD.format(routes=route.key)
    url = _url(route, kwargs)
    cache.clear()  # rate limits start afresh for every route
    watch = _Watch(start_digests)
    before = watch.digests
    seen: dict[tuple[str, str], str] = {}
    for method in route.methods:
        for who in WHO:  # (not the deep-nesting test's superuser)
            client = clients[who]
            allowed = (route.key, method, who) in matrix.MAY_WRITE
            if allowed:  # nothing changed so far; this one request may write
                assert watch.now() == before, f"{route.key}: a table changed before {method.upper()} as {who}"
            seen[(method, who)] = _outcome(_ask(client, method, url))
            if allowed:
                before = watch.now()
            if who != "anon" and "_auth_user_id" not in client.session:
                client.force_login(world.people[who])  # a log-out route ended the session
            client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
            client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    after = watch.now()
    changed = sorted(label for label in before if before[label] != after[label])
    if RECORD:
        with Path(RECORD).open("a") as out:
            out.write(
                json.dumps(
                    {
                        "route": route.key,
                        "url": url,
                        "seen": [[m, w, c] for (m, w), c in seen.items()],
                        "changed": changed,
                    }
                )
                + "\n"
            )
        return
    expected = matrix.expected(route.key, route.methods, WHO)
    wrong = [
        f"{method.upper()} {url} as {who}: expected {expected[(method, who)]}, got {code}"
        for (method, who), code in seen.items()
        if expected[(method, who)] != code
    ]
    assert not wrong, "\n".join(wrong)
    assert not changed, f"{route.key}: these tables changed: {changed}"


# --- 1,000-deep nesting on every JSON entry point (issue 12) ------------------------------------
# Every API route whose view takes a body (POST / PUT / PATCH), from the resolver, and every
# upload and paste of JSON (verification page, credit-transfer evidence on the page and the API).
DEEP_BODIES = {
    "object": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "array": b"[" * 1000 + b"]" * 1000,
}
JSON_WRITES = [
    (route, method)
    for route in ROUTES
    for method in route.methods
    if route.pattern.startswith("api/") and method in route.body_methods
]


def _json_error(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body.get("error"), dict), body
    return body["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("shape", list(DEEP_BODIES))
@pytest.mark.parametrize(("route", "method"), JSON_WRITES, ids=[f"{r.key}-{m}" for r, m in JSON_WRITES])
def test_deep_nesting_on_an_api_is_a_json_4xx(route: Route, method: str, shape: str, world, clients):
    """As everyone (anonymous, each role and a superuser whom no permission stops): a JSON 4xx,
    never a 500, and nothing changed. Whoever reaches the parser gets 400 ``json_too_deep``."""
    url = _url(route, {name: _value(route, name, world) for name in route.kwargs})
    cache.clear()
    before = _tables()
    reached_parser = 0
    for who, client in clients.items():
        response = client.generic(
            method.upper(), url, DEEP_BODIES[shape], "application/json", HTTP_X_CSRFTOKEN=CSRF_TOKEN
        )
        assert 400 <= response.status_code < 500, f"{method.upper()} {url} as {who}: {response.status_code}"
        error = _json_error(response)
        reached_parser += error.get("code") == "json_too_deep"
        if who != "anon" and "_auth_user_id" not in client.session:
            client.force_login(world.people.get(who) or world["superuser"])
    assert _tables() == before
    if route.key in PARSED_BY_SOMEONE:
        assert reached_parser, f"{route.key}: nobody reached the parser, so nothing was tested"


# Routes where at least one of the matrix's people gets past the permission check and so must meet
# the parser's refusal (the others refuse earlier, which is also a JSON 4xx).
PARSED_BY_SOMEONE = {"api-proposal-create", "api-slt-calculate", "api-credential-verify", "api-transfer-evaluate"}


def _deep_file(name: str = "badge.json") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, DEEP_BODIES["object"], content_type="application/json")


@pytest.mark.django_db
def test_deep_nesting_pasted_or_uploaded_on_the_verify_page_is_a_400_in_the_page(clients):
    url = reverse("credentials:verify_lookup")
    cache.clear()
    for data in ({"text": DEEP_BODIES["array"].decode()}, {"file": _deep_file()}):
        response = clients["anon"].post(url, data, HTTP_X_CSRFTOKEN=CSRF_TOKEN)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html") and b"levels deep" in response.content


@pytest.mark.django_db
def test_deep_nesting_as_credit_transfer_evidence_is_a_4xx_in_the_callers_format(clients):
    fields = {
        "kind": "cat2",
        "code": "KNS9999",
        "title": "Outside course",
        "provider": "Universiti Malaysia Sabah",
        "credits": 3,
        "completed_on": "2025-06-30",
        "accreditation_reference": "MQA/FA 1234",
    }
    learner = clients["learner"]
    before = _tables()
    page = learner.post(
        reverse("transfer-credential-add"), {**fields, "evidence": _deep_file()}, HTTP_X_CSRFTOKEN=CSRF_TOKEN
    )
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert b"levels deep" in page.content
    api = learner.post(
        reverse("api-transfer-credential-create"), {**fields, "evidence": _deep_file()}, HTTP_X_CSRFTOKEN=CSRF_TOKEN
    )
    assert api.status_code == 400 and _json_error(api)["code"] == "evidence_json_too_deep"
    assert _tables() == before

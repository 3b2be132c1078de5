"""API fuzzing with schemathesis (issue 12): the portal's live OpenAPI schema, loaded from
``/api/v1/schema/`` of the WSGI application in this process, drives a few generated requests per
operation as the anonymous visitor and as each of the demo's people (one of every role), against
the demo's own records (``tests.security.world``). Every answer must be no 5xx, a status code the
schema lists, the content type it lists, and a body that matches the schema of that code.

Bounded and reproducible: ``EXAMPLES`` examples per operation and person, Hypothesis derandomized
(the same requests on every run), no deadline, no shrinking (every failure is collected, then
reported together). It runs only in the PostgreSQL pass of .ci/run (marker ``fuzz``; decision 0200).
Each person's requests run in a savepoint rolled back after them, inside the test database.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.demo import DEMO_USERS
from tests.security.world import World, build_world

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [
    pytest.mark.fuzz,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="API fuzzing runs once in CI, in the PostgreSQL pass (decision 0200)",
    ),
]

EXAMPLES = 3  # per operation and person
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfu00"  # 32 characters: an unmasked CSRF secret
# One person of each kind: every demo user but the second and third committee secretaries.
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}  # as any WSGI server sets it (werkzeug's test client does not)
PEOPLE = ["anon"] + [u.email_local for u in DEMO_USERS if u.email_local not in ("jtsps.secretary", "jppeu.secretary")]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The demo and the security tests' records, built once inside a transaction rolled back at
    the module's end (as tests/security/test_permission_matrix.py does)."""
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
def app() -> Iterator[Any]:
    """Django's WSGI application, without closing the database connection at each request's
    start and end (which would end the test's transaction), as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema(world: World, app: Any) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)


def _savepoint() -> Any:
    """An atomic block the services' durable ``atomic(durable=True)`` may run inside, as inside a
    Django TestCase's (a request is the outermost transaction in production)."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


def _path_values(world: World) -> dict[str, list[dict[str, Any]]]:
    """Real records for the path parameters, by the path's first segments after /api/v1/."""
    from courses.models import AgendaItem, Meeting, Programme, Proposal
    from credentials.models import Credential, IssuanceBatch
    from enrolment.models import Enrolment, Offering
    from transfer.models import AgeException, ApplicationLine, PriorCredential

    def ids(model: Any) -> list[dict[str, Any]]:
        return [{"id": pk} for pk in model.objects.order_by("pk").values_list("pk", flat=True)]

    return {
        "proposals": ids(Proposal),
        "meetings": ids(Meeting),
        "agenda-items": ids(AgendaItem),
        "offerings": ids(Offering),
        "enrolments": ids(Enrolment),
        "credentials/batches": ids(IssuanceBatch),
        "credentials": [
            {"verification_id": str(v)}
            for v in Credential.objects.order_by("pk").values_list("verification_id", flat=True)
        ],
        "transfer/applications": [
            {"id": app_id, "line": pk}
            for pk, app_id in ApplicationLine.objects.order_by("pk").values_list("pk", "application_id")
        ],
        "transfer/age-exceptions": ids(AgeException),
        "transfer/credentials": ids(PriorCredential),
        "transfer/programmes": ids(Programme),
    }


def _values_for(path: str, values: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rest = path.removeprefix("/api/v1/").split("/")
    for depth in (2, 1):
        key = "/".join(rest[:depth])
        if values.get(key):
            return values[key]
    return []


def _cookies(who: str, world: World) -> dict[str, str]:
    cookies = {settings.CSRF_COOKIE_NAME: CSRF_TOKEN}
    if who != "anon":
        from accounts.models import User
        from core.demo import DEMO_DOMAIN

        client = Client()
        client.force_login(User.objects.get(email=f"{who}@{DEMO_DOMAIN}"))
        cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def _strategy(operation: Any, values: list[dict[str, Any]]) -> Any:
    def for_mode(mode: GenerationMode) -> Any:
        if not values:
            return operation.as_strategy(mode)

        @functools.cache
        def fixed(index: int) -> Any:
            return operation.as_strategy(mode, path_parameters=values[index])

        return st.integers(0, len(values) - 1).flatmap(fixed)

    return st.one_of(for_mode(GenerationMode.POSITIVE), for_mode(GenerationMode.NEGATIVE))


def _run(operation: Any, values: list[dict[str, Any]], cookies: dict[str, str], app: Any, found: list[str]) -> int:
    sent = 0

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, values))
    def one(case: Any) -> None:
        nonlocal sent
        sent += 1
        if case.cookies:  # the schema's cookie security scheme: ours is the session that counts
            case.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        # (identity: the transport does not undo the portal's gzip, which a real client would)
        headers = {"X-CSRFToken": CSRF_TOKEN, "Accept-Encoding": "identity"}
        try:
            with _savepoint():  # a request that fails half-way leaves the next one a working transaction
                response = case.call(app=app, headers=headers, cookies=cookies, environ_base=ENVIRON)
        except Exception as exc:  # a server error the WSGI transport raised instead of answering 500
            found.append(f"{operation.label}: {type(exc).__name__}: {exc}\n{case.as_curl_command()}")
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseExceptionGroup as exc:  # schemathesis's FailureGroup: collected, none shrinks
            found.append(f"{operation.label}: {exc}")
        except Exception as exc:
            found.append(f"{operation.label}: {exc}")

    one()
    return sent


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_generated_requests_get_documented_answers(who: str, world: World, app: Any, schema: Any, request):
    values = _path_values(world)
    cookies = _cookies(who, world)
    found: list[str] = []
    sent = 0
    started, cpu = time.monotonic(), time.process_time()
    operations = [result.ok() for result in schema.get_all_operations()]
    cache.clear()  # rate limits start afresh for each person
    with _savepoint():
        for operation in operations:
            sent += _run(operation, _values_for(operation.path, values), cookies, app, found)
        transaction.set_rollback(True)
    summary = {
        "who": who,
        "operations": len(operations),
        "requests": sent,
        "seconds": round(time.monotonic() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
    }
    print(json.dumps(summary))
    assert not found, f"{len(found)} failures as {who}:\n\n" + "\n\n".join(found)

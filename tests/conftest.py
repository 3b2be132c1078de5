from __future__ import annotations

import os

import pytest
from django.db import connection

from accounts.models import PTj
from tests.factories import PTjFactory


@pytest.fixture
def ptj(db) -> PTj:
    return PTjFactory(code="FCSIT", name="Faculty of Computer Science and Information Technology")


@pytest.fixture
def other_ptj(db) -> PTj:
    return PTjFactory(code="FENG", name="Faculty of Engineering")


_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI's PostgreSQL pass (``MCPORTAL_DATABASE_TESTS_ONLY=1``) runs only the tests that can reach
    the database: one that cannot (pytest-django blocks it) gives the same answer on both engines,
    and it ran in the SQLite pass (docs/decisions/0193)."""
    if os.environ.get("MCPORTAL_DATABASE_TESTS_ONLY") != "1":
        return
    reach = _DB_FIXTURES | {"django_db_setup"}
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            reach & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _policy_in_database(request):
    """The seeded policy version (a data migration) is there for every database test, even
    after a transactional test (live server, concurrency) emptied the tables."""
    marker = request.node.get_closest_marker("django_db")
    wanted = _DB_FIXTURES & set(request.fixturenames)
    if marker is None and not wanted:
        return
    transactional = bool({"transactional_db", "live_server"} & wanted) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from policy.seed import seed_apply

    seed_apply(apps)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and on PostgreSQL, before it is dropped, the end of any
    session still attached to it: the live server answers each browser connection in a daemon
    thread, and one still waiting on a keep-alive socket when the server stops keeps its database
    connection, so DROP DATABASE would fail with "being accessed by other users"."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )

from __future__ import annotations

import os
from collections import Counter

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
    if os.environ.get("MCPORTAL_DATABASE_TESTS_ONLY") == "1":
        _database_tests_only(config, items)
    _slow_files_first(items)


def _database_tests_only(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI's PostgreSQL pass (``MCPORTAL_DATABASE_TESTS_ONLY=1``) runs only the tests that can reach
    the database: one that cannot (pytest-django blocks it) gives the same answer on both engines,
    and it ran in the SQLite pass (docs/decisions/0193)."""
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


# The files that take longest, each a minute or more of one test process in CI (browser pages and
# journeys, real processes, the permission matrix, the API fuzzing), slowest first. ``bin/test``
# runs ``--dist loadfile --no-loadscope-reorder``: each file goes whole to one process, in this
# order, so these start first and the many short files fill in around them, instead of one of
# them starting last and leaving the other process idle (xdist's own order, by the number of
# tests in a file, put these few-test files last). Decision 0251.
SLOW_FILES_FIRST = (
    "tests/security/test_permission_matrix.py",
    "tests/browser/test_accessibility.py",
    "tests/security/test_api_fuzz.py",
    "tests/browser/test_every_page.py",
    "tests/workflow/test_browser.py",
    "tests/credentials/test_worker_issuance.py",
    "tests/transfer/test_browser.py",
    "tests/courses/test_browser_design.py",
    "tests/browser/test_journeys.py",
    "tests/reports/test_browser.py",
    "tests/enrolment/test_browser_journey.py",
    "tests/core/test_worker.py",
)
# Not tests/core/test_portal_command.py: it times bin/portal's stop (10 s, issue 17), and started
# first beside the browser tests it once took over 20 s under that load; by test count it starts
# late, when the other process is finishing small files (as before decision 0251).


def _slow_files_first(items: list[pytest.Item]) -> None:
    """Each file's tests together, the slow files first (``SLOW_FILES_FIRST``), then the others
    by their number of tests, most first (xdist's own order). Within a file, pytest-django's
    order is kept (the sort is stable)."""
    rank = {path: index for index, path in enumerate(SLOW_FILES_FIRST)}
    count = Counter(item.nodeid.split("::", 1)[0] for item in items)

    def key(item: pytest.Item) -> tuple[int, int, str]:
        path = item.nodeid.split("::", 1)[0]
        return (rank.get(path, len(rank)), -count[path], path)

    items.sort(key=key)


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

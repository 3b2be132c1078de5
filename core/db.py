"""Database helpers shared by the apps.

``planned_cursor``: a cursor for the few hot read queries that run thousands of times a minute
(the public verification page, docs/decisions/0265). Django's PostgreSQL cursors bind parameters
on the client, so PostgreSQL parses and plans every query again: for the first view of a
verification page that planning cost more server CPU than running the query. A server-binding
cursor lets psycopg prepare the statement once per connection (after ``prepare_threshold``
executions, ``DATABASES[...]["OPTIONS"]``), and PostgreSQL keeps its plan. Every other query keeps
Django's client-side binding, which never prepares. On SQLite this is Django's own cursor.

``JsonString``: a string inside a JSON column, as a column of its own (decision 0265)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Func


@contextmanager
def planned_cursor() -> Iterator[Any]:
    """A cursor wrapped as Django wraps its own (so queries are logged, counted by tests and their
    errors translated), whose statements PostgreSQL prepares once per connection. Use ``%s``
    placeholders, as with ``connection.cursor()``."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    binding: Any = ServerBindingCursor  # psycopg.Cursor with Django's callproc
    wrapper: Any = connection
    wrapper.close_if_health_check_failed()
    wrapper.ensure_connection()
    with wrapper.wrap_database_errors:
        raw = binding(wrapper.connection)
    with wrapper._prepare_cursor(raw) as cursor:  # as Django wraps its own (logged, errors translated)
        yield cursor


class JsonString(Func):
    """The string at a path in a JSON column, or NULL when the path is missing or holds anything
    but a string: what ``value if isinstance(value, str) else None`` gives in Python. Immutable on
    both engines, so it can compute a stored generated column (``models.GeneratedField``).

        JsonString("document", "issuer", "id")   # document["issuer"]["id"], a string, or NULL"""

    output_field = CharField()

    def __init__(self, column: str, *path: str) -> None:
        if not path or not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) for key in path):
            raise ValueError("JsonString takes plain keys (letters, digits, _)")
        self.path = path
        super().__init__(F(column))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        keys = "{" + ",".join(self.path) + "}"
        return f"(CASE WHEN jsonb_typeof({column} #> '{keys}') = 'string' THEN {column} #>> '{keys}' END)", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        path = "$." + ".".join(f'"{key}"' for key in self.path)
        return (
            f"(CASE WHEN json_type({column}, '{path}') = 'text' THEN json_extract({column}, '{path}') END)",
            (*params, *params),
        )

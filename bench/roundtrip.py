"""Benchmark (issue 13): what one round trip to a store costs, client and server CPU together,
for the read a first view of a verification page must make. On the data ``bench/verify.py``
builds (run that first).

    BENCH_REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/roundtrip.py

Each target reads a random credential (or its stand-in in Redis) many times; the targets take
turns, in alternating order, so each sees the same load. For each: the client's CPU per read
(``time.process_time``) and the server's (the PostgreSQL backend or redis-server, from
``/proc``), the median over the turns and the spread.

- ``pg lookup``: psycopg, a prepared ``SELECT id ... WHERE verification_id = $1``.
- ``pg page columns``: the same, for the credential columns a first view shows, no join.
- ``pg first view's read``: the statement ``selectors.first_view_read`` prepares (the columns,
  the successor and both status lists), raw psycopg.
- ``redis GET``: redis-py ``GET`` of a 1 KB value per credential (the same ids), the best honest
  form of keeping a copy of each credential's page data in the shared cache."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=3000, help="reads per target per turn")
    parser.add_argument("--turns", type=int, default=8)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import verify as bench
    from verify_cpu import _backend_cpu as _cpu
    from verify_cpu import cpu_cells

    database = os.environ.get("BENCH_DATABASE_URL", bench.DEFAULT_DATABASE)
    os.environ.update(bench._environment(database))
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    import psycopg
    import redis
    from django.db import connection

    from credentials import selectors

    with connection.cursor() as cursor:  # the statement the first view prepares, as Django logs it
        cursor.execute("SELECT verification_id FROM credentials_credential TABLESAMPLE SYSTEM (5) LIMIT 40000")
        ids = [str(row[0]) for row in cursor.fetchall()]
    connection.force_debug_cursor = True
    selectors.first_view_read(ids[0])
    first_view_sql = connection.queries[-1]["sql"].replace("%", "%%")
    for number in (1, 2, 3):
        first_view_sql = first_view_sql.replace(f"${number}", "%s")
    connection.close()

    db = psycopg.connect(database, autocommit=True, prepare_threshold=2)
    backend = db.info.backend_pid
    store = redis.Redis.from_url(bench.REDIS)
    redis_pid = int(store.info("server")["process_id"])
    if not Path(f"/proc/{redis_pid}/stat").exists():
        raise SystemExit("redis-server is not on this machine: its CPU cannot be read")
    blob = os.urandom(512).hex().encode()  # 1 KB: about what a first view reads of a credential
    store.mset({f"bench:roundtrip:{vid}": blob for vid in ids})
    shown = selectors._credential_columns(connection.vendor, selectors._FIRST_VIEW_FIELDS)[0]
    columns = f"SELECT {shown} FROM credentials_credential c WHERE c.verification_id = %s"  # noqa: S608 (no input)
    targets: dict[str, tuple[Callable[[str], object], int]] = {
        "pg lookup": (
            lambda vid: db.execute(
                "SELECT id FROM credentials_credential WHERE verification_id = %s", (vid,)
            ).fetchone(),
            backend,
        ),
        "pg page columns": (lambda vid: db.execute(columns, (vid,)).fetchone(), backend),
        "pg first view's read": (
            lambda vid: db.execute(first_view_sql, ("revocation", "suspension", vid)).fetchone(),
            backend,
        ),
        "redis GET": (lambda vid: store.get(f"bench:roundtrip:{vid}"), redis_pid),
    }
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
    names = list(targets)
    loads = []
    try:
        for name in names:  # warm-up: statements prepared, connections made
            for vid in ids[:50]:
                targets[name][0](vid)
        for turn in range(args.turns):
            loads.append(float(Path("/proc/loadavg").read_text().split()[0]))
            for name in names if turn % 2 == 0 else names[::-1]:
                read, server = targets[name]
                sample = random.sample(ids, args.reads)
                client, served = time.process_time(), _cpu(server)
                for vid in sample:
                    read(vid)
                figures[name].append(
                    (
                        (time.process_time() - client) / args.reads * 1000,
                        (_cpu(server) - served) / args.reads * 1000,
                    )
                )
    finally:
        store.delete(*(f"bench:roundtrip:{vid}" for vid in ids))
    model = next((line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {model.split(':')[-1].strip()}, {os.cpu_count()} CPUs;"
    )
    print(f"{args.turns} turns of {args.reads} reads each; load {min(loads):.1f} to {max(loads):.1f}")
    print("| target | client CPU (ms) | server CPU (ms) | total (ms), median (min-max) |")
    print("|---|---:|---:|---:|")
    for name, values in figures.items():
        print(f"| {name} | {cpu_cells(values)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

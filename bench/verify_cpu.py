"""Benchmark (issue 13): the CPU one public verification GET costs, side by side with the bare
view, in one process through Django's WSGI handler (every middleware, production settings), on
the data ``bench/verify.py`` builds. Steadier than requests per second on a busy machine: the
targets take turns in small batches, many times over, so each sees the same load.

    BENCH_PORT=8180 BENCH_REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/verify_cpu.py
    ... bench/verify_cpu.py --root /path/to/other/checkout     # the same measure of other code

For each target: CPU per request in this process (``time.process_time``) and in its PostgreSQL
backend (from ``/proc``), the median over the batches, and the total against the bare view's.
Repeat views ask again and again for ``HOT`` credentials; first views ask once for each of
thousands of others. Requests are made as wrk makes them: no cookie, no Accept-Encoding."""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HOT = 50
_TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def cpu_cells(values: list[tuple[float, float]]) -> str:
    """Table cells of (process, server) CPU figures in ms: each one's median, then their total's
    median and spread."""
    totals = [p + d for p, d in values]
    return (
        f"{statistics.median(p for p, _ in values):.3f} | {statistics.median(d for _, d in values):.3f} "
        f"| {statistics.median(totals):.3f} ({min(totals):.3f}-{max(totals):.3f})"
    )


def _environ(path: str, port: int) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"127.0.0.1:{port}",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--batch", type=int, default=200, help="requests per target per turn")
    parser.add_argument("--turns", type=int, default=15)
    parser.add_argument(
        "--profile", metavar="TARGET", help="instead: cProfile TARGET (e.g. 'page first') over --batch requests"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import verify as bench  # this folder's bench/verify.py: the data and the environment

    os.environ.update(bench._environment(os.environ.get("BENCH_DATABASE_URL", bench.DEFAULT_DATABASE)))
    os.environ["CONN_MAX_AGE"] = "3600"  # kept, as a busy worker keeps its own: one backend to read
    os.environ["VERIFY_RATE_PER_CREDENTIAL"] = "1000000000/m"  # still counted
    sys.path.insert(0, str(root))  # the code measured
    os.chdir(root)
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    with connection.cursor() as cursor:
        cursor.execute("SELECT verification_id FROM credentials_credential TABLESAMPLE SYSTEM (5) LIMIT 60000")
        ids = [str(row[0]) for row in cursor.fetchall()]
    random.shuffle(ids)
    hot, cold = ids[:HOT], iter(ids[HOT:])

    def hot_paths(suffix: str) -> Iterator[str]:
        while True:
            yield f"/verify/{random.choice(hot)}{suffix}"

    def cold_paths(suffix: str, prefix: str = "/verify/") -> Iterator[str]:
        for vid in cold:
            yield f"{prefix}{vid}{suffix}"
        raise SystemExit("out of first-view ids: fewer turns or a smaller batch")

    def bare() -> Iterator[str]:
        while True:
            yield "/bench/bare/"

    targets: dict[str, Iterator[str]] = {
        "bare view": bare(),
        "page repeat": hot_paths("/"),
        "page first": cold_paths("/"),
        "json repeat": hot_paths("/credential.json"),
        "json first": cold_paths("/credential.json"),
        # References (bench/urls.py): ceilings for a first view, which does all they do and more.
        "bare + one lookup": cold_paths("/", "/bench/lookup/"),
        "bare + first view's read": cold_paths("/", "/bench/first-read/"),
    }
    statuses: dict[str, set[int]] = {name: set() for name in targets}

    def run(name: str, count: int) -> tuple[float, float]:
        paths = targets[name]

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
            statuses.setdefault(name, set()).add(int(status.split()[0]))
            return lambda data: None

        connection.ensure_connection()  # the same backend all through the batch (CONN_MAX_AGE may end one)
        backend = connection.connection.info.backend_pid
        cpu, db = time.process_time(), _backend_cpu(backend)
        for _ in range(count):
            response = handler(_environ(next(paths), bench.PORT), start_response)
            b"".join(response)
            response.close()
        same = connection.connection is not None and connection.connection.info.backend_pid == backend
        db_ms = (_backend_cpu(backend) - db) / count * 1000 if same else float("nan")
        return (time.process_time() - cpu) / count * 1000, db_ms

    for vid in hot:  # each hot credential seen once (kept pages and documents), and imports done
        for suffix in ("/", "/credential.json"):
            run_path = iter([f"/verify/{vid}{suffix}"])
            targets["warm"] = run_path
            run("warm", 1)
    del targets["warm"], statuses["warm"]
    for name in targets:
        run(name, 20)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run, args.profile, args.batch)
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("PROFILE_LINES", "45")))
        if os.environ.get("PROFILE_CALLERS"):
            stats.print_callers(os.environ["PROFILE_CALLERS"])
        return 0
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
    names = list(targets)
    loads = []
    for turn in range(args.turns):
        loads.append(float(Path("/proc/loadavg").read_text().split()[0]))
        order = names if turn % 2 == 0 else names[::-1]
        for name in order:
            figures[name].append(run(name, args.batch))
    for name in figures:  # a batch whose backend changed has no database figure
        figures[name] = [(p, d) for p, d in figures[name] if d == d] or figures[name]
    bare_total = statistics.median(p + d for p, d in figures["bare view"])
    print(f"code: {root}; {args.turns} turns of {args.batch} requests each; load {min(loads):.1f} to {max(loads):.1f}")
    print(
        "| target | Python CPU (ms) | PostgreSQL CPU (ms) | total (ms), median (min-max) | x bare view's CPU | HTTP |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for name, values in figures.items():
        total = statistics.median(p + d for p, d in values)
        print(f"| {name} | {cpu_cells(values)} | {total / bare_total:.2f} | {sorted(statuses[name])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

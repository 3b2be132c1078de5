"""Benchmark (issue 13): the public verification page ``/verify/<id>/`` and the signed credential
``/verify/<id>/credential.json`` against a bare Django view on the same server, over 1,000,000
credentials in PostgreSQL.

Not a test. Run from the repository root (it makes and keeps its own database; Redis DB 3 and
port 8130 unless ``BENCH_REDIS_URL`` and ``BENCH_PORT`` name yours on a shared machine):

    .venv/bin/python bench/verify.py                     # build the data once (20+ minutes), then run
    .venv/bin/python bench/verify.py --build-only        # only build (or finish) the data
    .venv/bin/python bench/verify.py --reuse             # run again on the data already built

What it does:

- Data. A few credentials are issued by the real service (``credential_issue``: signed, their proof
  checked and recorded, their status lists published). Signing a million that way would take hours,
  so the other rows are bulk-inserted as copies of one signed credential, each with its own row id,
  serial, verification id and document ``id``, and the check recorded at issue copied with it. The
  status-list rows are made and signed by the real service for every list the rows point into, and
  0.1 % of the credentials are revoked through ``credential_status_change``. A copied document's
  proof would not survive a full re-verification (an upload), which this bench does not time; the
  public GET never re-verifies a stored credential, so it does exactly the work it does in production.
- Server. gunicorn, 2 sync workers, production settings (DEBUG off, persistent database
  connections, Redis cache for the rate limits and the verification counter), bound to
  127.0.0.1:8130 (``BENCH_PORT``; Redis ``BENCH_REDIS_URL``). The global verification ceiling is raised out of the way (still counted on every
  request); the per-credential limit stays at its default.
- Load. wrk, 32 connections, 2 threads, each request for a random id from 50,000 sampled ones.
  The targets (the bare view, the page and credential.json, each for repeat and first views, and
  two references) in turn, then again, for ``--rounds`` rounds, so all see the same machine load;
  ``uptime``'s load is recorded with each run. The ratios of each round are reported with their
  spread.
- References (``bench/urls.py``): the bare view plus one prepared lookup of a random credential's
  row id, and the bare view plus the read a first view makes today. A first view does all that
  either does and more, so each one's ratio is a ceiling for first views on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("BENCH_PORT", "8130"))  # a shared machine: each developer has their own ports
BASE = f"http://127.0.0.1:{PORT}"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mc_verify_bench"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
VAR = Path(tempfile.gettempdir()) / f"mc-verify-bench-var-{PORT}"
HOT = 200  # credentials viewed again and again (each worker keeps their pages and documents)
TARGETS = {  # name -> (prefix, suffix) of each path, and whether its ids are the hot ones
    "bare view": ("/bench/bare/?", "", True),
    "/verify/<id>/ repeat views": ("/verify/", "/", True),
    "/verify/<id>/ first views": ("/verify/", "/", False),
    "reference: bare view + one lookup": ("/bench/lookup/", "/", False),
    "reference: bare view + first view's read": ("/bench/first-read/", "/", False),
    "credential.json repeat views": ("/verify/", "/credential.json", True),
    "credential.json first views": ("/verify/", "/credential.json", False),
}


def _environment(database_url: str) -> dict[str, str]:
    VAR.mkdir(parents=True, exist_ok=True)
    keys = VAR / "bench-signing-keys"
    if not keys.exists():
        from credentials.ld.keys import SigningKey

        keys.write_text(SigningKey.generate("key-bench").config_entry())
        keys.chmod(0o600)
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "MCPORTAL_ENV": "production",
        "SECRET_KEY": "bench-only-" + "x" * 60,
        "IDENTITY_ENCRYPTION_KEY": "bench-only-" + "y" * 40,
        "CREDENTIAL_SIGNING_KEYS": keys.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": BASE,
        "SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": database_url,
        "CACHE_URL": REDIS,
        "CELERY_BROKER_URL": "",  # the filesystem broker in VAR: nothing is consumed
        "CELERY_RESULT_BACKEND": "",
        "MCPORTAL_VAR_DIR": str(VAR),
        "STATIC_ROOT": str(VAR / "static"),
        "VERIFY_RATE_GLOBAL": "1000000000/m",
        "VERIFY_RATE_PER_CREDENTIAL": "1000000000/m",  # still counted; hot ids are asked thousands of times
        "LOG_LEVEL": "WARNING",
    }


def _ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["bash", "-c", "source bin/_venv.sh && apt_install wrk wrk"], cwd=ROOT, check=True)
    return shutil.which("wrk") or "wrk"


# --- Data -----------------------------------------------------------------------------------------
def _count(database_url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(database_url) as conn:
            row = conn.execute("SELECT count(*) FROM credentials_credential").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return 0


def _build(database_url: str, credentials: int) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    from credentials.models import Credential, IssuanceRequest
    from credentials.services import credential_issue, credential_proof_record
    from tests.credentials.builders import approved_offering

    started = time.monotonic()
    offering, _ = approved_offering(passing=3)
    for request in IssuanceRequest.objects.filter(offering_id=offering.pk):
        credential_proof_record(credential_issue(request_id=request.pk))  # as the render queue does
    template = Credential.objects.order_by("pk").first()
    assert template is not None and template.signature_checked_at is not None
    print(f"   {Credential.objects.count()} credentials issued by the service", flush=True)
    batch = 100_000
    for start in range(0, credentials - 3, batch):
        size = min(batch, credentials - 3 - start)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO credentials_credential (
                    request_id, enrolment_id, generation, offering_id, learner_id, serial, verification_id,
                    course_code, course_title, credits, grade, facts, document, signed_with,
                    signature_checked_at, signature_problem, issued_at, status, status_reason,
                    certificate_pdf, mms_pdf, notified_at
                )
                SELECT t.request_id, 100000000 + v.g, 1, t.offering_id, t.learner_id,
                       'UNIMAS-MC-2026-B' || lpad(v.g::text, 7, '0'), v.vid,
                       t.course_code, t.course_title, t.credits, t.grade,
                       jsonb_set(jsonb_set(t.facts, '{serial}', to_jsonb('UNIMAS-MC-2026-B' || lpad(v.g::text, 7, '0'))),
                                 '{verification_id}', to_jsonb(v.vid::text)),
                       jsonb_set(t.document, '{id}', to_jsonb(%(base)s || '/verify/' || v.vid::text || '/credential.json')),
                       t.signed_with, t.signature_checked_at, '', t.issued_at, 'active', '', '', '', t.notified_at
                FROM (SELECT g, gen_random_uuid() AS vid FROM generate_series(%(first)s, %(last)s) AS g) AS v,
                     credentials_credential AS t
                WHERE t.id = %(template)s
                """,
                {"base": BASE, "first": start + 1, "last": start + size, "template": template.pk},
            )
        print(f"   {start + size + 3:,} credentials ({time.monotonic() - started:.0f} s)", flush=True)
    _finish(credentials)
    print(f"   data ready in {time.monotonic() - started:.0f} s", flush=True)


def _finish(credentials: int) -> None:
    """Status lists for every credential, 0.1 % revoked, statistics fresh (idempotent)."""
    from django.db import connection, transaction

    from credentials.models import Credential, CredentialStatus
    from credentials.policies import status_position
    from credentials.services import credential_status_change, status_lists_ensure

    last = Credential.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():  # as inside the issuing transaction
        for number in range(status_position(last).number + 1):
            status_lists_ensure(number)
    wanted = max(1, credentials // 1000) - Credential.objects.filter(status=CredentialStatus.REVOKED).count()
    if wanted > 0:
        active = Credential.objects.filter(status=CredentialStatus.ACTIVE, pk__gt=last - credentials)
        for pk in list(active.order_by("?").values_list("pk", flat=True)[:wanted]):
            credential_status_change(actor=None, credential_id=pk, action="revoke", reason="Bench")
        print(f"   {wanted} revoked", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE credentials_credential")
        cursor.execute("ANALYZE credentials_statuslist")


def _sample_ids(database_url: str, hot: Path, cold: Path, count: int = 200_000) -> None:
    """``HOT`` ids viewed again and again, and the rest of a random sample for first views."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT verification_id FROM credentials_credential TABLESAMPLE SYSTEM (25) LIMIT %s", (count,)
        ).fetchall()
    ids = [str(row[0]) for row in rows]
    random.shuffle(ids)
    hot.write_text("".join(f"{vid}\n" for vid in ids[:HOT]))
    cold.write_text("".join(f"{vid}\n" for vid in ids[HOT:]))


# --- Server and load -------------------------------------------------------------------------------
def _start_server(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "mcportal.wsgi:application",
        "--workers=2",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{PORT}",
        "--backlog=2048",
        "--log-level=warning",
    ]
    with log.open("ab") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{BASE}/bench/bare/", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"gunicorn did not answer; see {log}")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def _check(ids: Path) -> None:
    """The pages answer what they should before anything is timed."""
    first = ids.read_text().split()[0]
    with urllib.request.urlopen(f"{BASE}/verify/{first}/", timeout=10) as response:  # noqa: S310
        html = response.read().decode()
    assert 'data-verdict="valid"' in html or 'data-verdict="revoked"' in html, html[:2000]
    with urllib.request.urlopen(f"{BASE}/verify/{first}/credential.json", timeout=10) as response:  # noqa: S310
        assert json.loads(response.read())["id"].endswith(f"/verify/{first}/credential.json")


def _warm(hot: Path) -> None:
    """Each hot credential viewed a few times, so both workers have kept its page and document."""
    for vid in hot.read_text().split():
        for suffix in ("/", "/credential.json") * 4:
            with urllib.request.urlopen(f"{BASE}/verify/{vid}{suffix}", timeout=30) as response:  # noqa: S310
                response.read()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(wrk: str, target: str, ids: Path, seconds: int, connections: int) -> dict[str, float]:
    prefix, suffix, _ = TARGETS[target]
    script = str(ROOT / "bench" / "wrk_paths.lua")
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, BASE]
    output = subprocess.run(
        [*command, "--", prefix, suffix, str(ids)], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rate": rate,
        "p50_ms": float(p50.group(1)) * _UNITS[p50.group(2)] if p50 else float("nan"),
        "p99_ms": float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan"),
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": errors.group(1) if errors else "",  # type: ignore[dict-item]
    }


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--credentials", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the data already built if it has enough rows")
    parser.add_argument("--build-only", action="store_true", help="build (or finish) the data, then stop")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20, help="each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)

    wrk = _ensure_wrk()
    env = _environment(args.database)
    os.environ.update(env)
    import django

    django.setup()
    have = _count(args.database)
    if not args.reuse or have < args.credentials:
        print(f">> building {args.credentials:,} credentials in {args.database}", flush=True)
        _build(args.database, args.credentials)
    else:
        from django.core.management import call_command

        call_command("collectstatic", "--no-input", verbosity=0)
        print(f">> reusing {have:,} credentials in {args.database}", flush=True)
        _finish(args.credentials)
    from django.db import connections

    connections.close_all()
    if args.build_only:
        return 0
    hot, cold = VAR / "hot-ids.txt", VAR / "cold-ids.txt"
    _sample_ids(args.database, hot, cold)
    server = _start_server(env, VAR / "gunicorn.log")
    results: list[dict[str, object]] = []
    try:
        _check(hot)
        _warm(hot)
        for target, (_, _, is_hot) in TARGETS.items():  # warm-up: imports, connections
            _wrk(wrk, target, hot if is_hot else cold, 3, args.connections)
        for round_number in range(1, args.rounds + 1):
            for target, (_, _, is_hot) in TARGETS.items():
                load = _load()
                figures = _wrk(wrk, target, hot if is_hot else cold, args.seconds, args.connections)
                results.append({"round": round_number, "target": target, "load": load, **figures})
                print(
                    f"   round {round_number} {target:30} {figures['rate']:8.0f} req/s  p50 {figures['p50_ms']:6.1f} ms"
                    f"  p99 {figures['p99_ms']:6.1f} ms  non-2xx {figures['non_2xx']:.0f}  load {load}",
                    flush=True,
                )
    finally:
        _stop_server(server)
    _report(results, args)
    return 0


def _report(results: list[dict[str, object]], args: argparse.Namespace) -> None:
    def figure(round_number: int, target: str, key: str) -> float:
        return float(next(r[key] for r in results if r["round"] == round_number and r["target"] == target))  # type: ignore[arg-type]

    rounds = range(1, args.rounds + 1)
    print()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, {args.credentials:,} credentials, "
        f"gunicorn 2 sync workers, wrk {args.connections} connections, {args.seconds} s a run"
    )
    print()
    print("| round | target | req/s | p50 (ms) | p99 (ms) | x bare view | load (1/5/15 min) |")
    print("|---|---|---:|---:|---:|---:|---|")
    for number in rounds:
        bare = figure(number, "bare view", "rate")
        for target in TARGETS:
            row = next(r for r in results if r["round"] == number and r["target"] == target)
            print(
                f"| {number} | {target} | {row['rate']:,.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
                f"| {float(row['rate']) / bare:.2f} | {row['load']} |"  # type: ignore[arg-type]
            )
    print()
    for target, goal in (
        ("/verify/<id>/ repeat views", 0.6),
        ("/verify/<id>/ first views", 0.6),
        ("credential.json repeat views", 0.8),
        ("credential.json first views", 0.8),
    ):
        ratios = [figure(n, target, "rate") / figure(n, "bare view", "rate") for n in rounds]
        p99s = [figure(n, target, "p99_ms") for n in rounds]
        met = min(ratios) >= goal and (not target.startswith("/verify/<id>/") or max(p99s) <= 50)
        print(
            f"{target}: x bare view median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max "
            f"{max(ratios):.2f}; target ≥ {goal}); p99 {min(p99s):.1f} to {max(p99s):.1f} ms; "
            f"{'met' if met else 'NOT met'} in every round"
        )
    for target in (name for name in TARGETS if name.startswith("reference")):
        ratios = [figure(n, target, "rate") / figure(n, "bare view", "rate") for n in rounds]
        print(
            f"{target}: x bare view median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max "
            f"{max(ratios):.2f}): a ceiling for first views, not a target"
        )


if __name__ == "__main__":
    sys.exit(main())

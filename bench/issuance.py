"""Benchmark: credentials signed and recorded for a 5,000-learner offering, in one go on two
processes, with the CPU each credential costs (the issuing process and its PostgreSQL backend);
the two-process speed-up over three alternating rounds; and the certificate render time against
WeasyPrint with a reused font configuration (and WeasyPrint's bare render).

Not a test. Run from the repository root, on its own database (created and dropped here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mc_bench .venv/bin/python bench/issuance.py
    .venv/bin/python bench/issuance.py                       # SQLite file in a temp folder

Options: --learners N (default 5000, issued in one go), --round N (requests per side of a ratio
round, default 500), --rounds N (default 3), --renders N (default 20).
The fixture rows are bulk-inserted (a benchmark measures issuance, not enrolment); issuance
itself runs the real service (``credentials_issue``, ``ISSUE_CHUNK`` requests a transaction)
exactly as the Celery task does.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mcportal.settings")
    os.environ.setdefault("MCPORTAL_VAR_DIR", str(Path(tempfile.gettempdir()) / "mcportal-bench-var"))
    import django

    django.setup()


def _fresh_database(database_url: str) -> str:
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return database_url
    folder = Path(tempfile.mkdtemp(prefix="mcportal-bench-"))
    return f"sqlite:///{folder / 'bench.sqlite3'}"


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fixture(learners: int, tag: str) -> list[int]:
    """An offering whose results the Senate approved, with ``learners`` passing learners and their
    issuance requests (bulk-inserted), in the order the portal queues them."""
    from django.utils import timezone

    from accounts.models import Role, RoleAssignment, User
    from credentials.models import IssuanceRequest
    from credentials.services import batch_for_offering
    from enrolment.identity import identity_encrypt, identity_hash
    from enrolment.models import Enrolment, LearnerProfile
    from policy.models import PolicyVersion
    from tests.enrolment import builders

    course = builders.ready_course()
    offering = builders.offering(course, capacity=learners + 1)
    now = timezone.now()
    User.objects.bulk_create(
        User(email=f"{tag}{n}@learner.example", full_name=f"Bench Learner {n}", password="!")  # noqa: S106 - unusable password marker
        for n in range(learners)
    )
    users = list(User.objects.filter(email__startswith=tag).order_by("pk"))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=u, role=Role.LEARNER) for u in users)
    LearnerProfile.objects.bulk_create(
        LearnerProfile(
            user=u,
            legal_name=u.full_name,
            identity_kind="nric",
            identity_encrypted=identity_encrypt(f"900101-13-{n:04d}"[:14]),
            identity_hash=identity_hash("nric", f"{tag}90010113{n:06d}"),
            identity_last4=f"{n % 10000:04d}",
            nationality="Malaysia",
            birth_date="1990-01-01",
            phone="+60 82-000 000",
            pdpa_consent_at=now,
        )
        for n, u in enumerate(users)
    )
    policy = PolicyVersion.objects.order_by("-effective_from").first()
    Enrolment.objects.bulk_create(
        Enrolment(
            offering=offering,
            learner=u,
            status="completed",
            seat=n + 1,
            final_mark="75.00",
            grade="B+",
            passed=True,
            policy_version=policy,
        )
        for n, u in enumerate(users)
    )
    batch = batch_for_offering(offering_id=offering.pk, course_code=offering.course_code, course_title="Bench")
    admin = builders.cflex_admin()
    IssuanceRequest.objects.bulk_create(
        IssuanceRequest(
            enrolment_id=e.pk,
            offering_id=offering.pk,
            batch=batch,
            learner_id=e.learner_id,
            course_code=offering.course_code,
            course_title=offering.course_title,
            final_mark="75.00",
            grade="B+",
            policy_version_id=policy.pk if policy else 0,
            requested_by=admin,
        )
        for e in Enrolment.objects.filter(offering=offering).order_by("pk")
    )
    return list(IssuanceRequest.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))


_TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) the PostgreSQL backend ``pid`` has used, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _issue(ids: list[int]) -> tuple[int, float, float]:
    """Issue ``ids`` in this process: (count, this process's CPU s, its database backend's CPU s)."""
    from django.db import connection

    from credentials.services import issuance

    # As the Celery task does: ISSUE_CHUNK requests a transaction (decision 0240). A checkout from
    # before chunks (``issue_cpu.py --root``) issues one request a transaction, as its task did.
    chunk = getattr(issuance, "ISSUE_CHUNK", 1)
    backend = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    cpu, db_cpu = time.process_time(), _backend_cpu(backend) if backend else 0.0
    if chunk == 1:
        for request_id in ids:
            issuance.credential_issue(request_id=request_id)
    else:
        for start in range(0, len(ids), chunk):
            issuance.credentials_issue(request_ids=ids[start : start + chunk])
    return len(ids), time.process_time() - cpu, (_backend_cpu(backend) - db_cpu) if backend else 0.0


def _issue_with(processes: int, ids: list[int]) -> tuple[float, float, float]:
    """Issue ``ids`` on ``processes`` processes side by side: (wall s, Python CPU s, database CPU s)."""
    from django.db import connection

    connection.close()  # children must not share the parent's socket
    start = time.perf_counter()
    if processes == 1:
        results = [_issue(ids)]
    else:
        chunks = [ids[n::processes] for n in range(processes)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(_issue, chunks)
    wall = time.perf_counter() - start
    return wall, sum(r[1] for r in results), sum(r[2] for r in results)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def _renders(count: int) -> dict[str, list[float]]:
    """The same certificates through the portal renderer, WeasyPrint with one reused font
    configuration, and WeasyPrint's bare render (a new one each time), in turn per document."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from credentials.models import Credential
    from credentials.pdf import certificate_html, certificate_pdf, warm_up
    from credentials.services import credential_facts

    issued = list(Credential.objects.order_by("pk")[:count])
    facts = [credential_facts(c) for c in issued]
    documents = [c.document for c in issued]
    warm_up()  # as a render worker does when it starts
    reused = FontConfiguration()
    base = f"file://{ROOT}/static/"
    HTML(string=certificate_html(facts[0]).replace('"/static/', '"'), base_url=base).write_pdf(font_config=reused)
    times: dict[str, list[float]] = {"portal": [], "reused": [], "bare": []}
    for n, (f, document) in enumerate(zip(facts, documents, strict=True)):
        html = certificate_html(f).replace('"/static/', '"')

        def reused_render(html: str = html) -> object:
            return HTML(string=html, base_url=base).write_pdf(font_config=reused)

        def bare_render(html: str = html) -> object:
            return HTML(string=html, base_url=base).write_pdf()

        runs: dict[str, Callable[[], object]] = {
            # What ships (issue 16): PDF/A-3b, tagged, with the signed credential.json embedded.
            "portal": functools.partial(certificate_pdf, f, document=document),
            # The same page and files through WeasyPrint's own defaults (file:// base, default
            # URL fetcher), with one font configuration kept across documents.
            "reused": reused_render,
            "bare": bare_render,
        }
        order = list(runs) if n % 2 == 0 else list(reversed(runs))
        for name in order:
            start = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--round", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--renders", type=int, default=20)
    options = parser.parse_args()
    url = _fresh_database(os.environ.get("DATABASE_URL") or "sqlite")
    _setup_django(url)
    from django.db import connection

    from credentials.models import Credential

    engine = connection.vendor
    _migrate()
    start = time.perf_counter()
    batch = _fixture(options.learners, "bench")
    ratio_ids = _fixture(2 * options.rounds * options.round, "ratio")
    print(
        f"[{engine}] fixture: {len(batch) + len(ratio_ids)} passing enrolments in {time.perf_counter() - start:.1f} s"
    )
    print(f"[{engine}] {os.cpu_count()} CPUs, {_load()}")

    wall, cpu, db_cpu = _issue_with(2, batch)
    n = len(batch)
    print(
        f"[{engine}] in one go: {n} credentials signed and recorded by 2 processes in {wall:.1f} s "
        f"({n / wall:.0f}/s); CPU per credential {cpu / n * 1000:.2f} ms in the issuing processes"
        + (f" + {db_cpu / n * 1000:.2f} ms in PostgreSQL = {(cpu + db_cpu) / n * 1000:.2f} ms" if db_cpu else "")
        + f"; {_load()}"
    )

    ratios = []
    chunks = [ratio_ids[i * options.round : (i + 1) * options.round] for i in range(2 * options.rounds)]
    for r in range(options.rounds):
        order = (1, 2) if r % 2 == 0 else (2, 1)
        rates = {}
        for side, processes in enumerate(order):
            ids = chunks[2 * r + side]
            wall, cpu, db_cpu = _issue_with(processes, ids)
            rates[processes] = len(ids) / wall
            print(
                f"[{engine}] round {r + 1}, {processes} process(es): {len(ids)} in {wall:.2f} s "
                f"({rates[processes]:.0f}/s), CPU {(cpu + db_cpu) / len(ids) * 1000:.2f} ms a credential; {_load()}"
            )
        ratios.append(rates[2] / rates[1])
    print(
        f"[{engine}] two processes / one: median {statistics.median(ratios):.2f}x "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}) over {options.rounds} rounds"
    )
    total = len(batch) + len(ratio_ids)
    assert Credential.objects.count() == total, "every request issued exactly once"
    assert Credential.objects.values("enrolment_id").distinct().count() == total

    times = _renders(options.renders)
    med = {name: statistics.median(values) * 1000 for name, values in times.items()}
    spread = {name: (min(v) * 1000, max(v) * 1000) for name, v in times.items()}
    print(
        f"[{engine}] certificate render, median of {options.renders} (min-max): "
        f"portal {med['portal']:.0f} ms ({spread['portal'][0]:.0f}-{spread['portal'][1]:.0f}), "
        f"WeasyPrint with a reused font configuration {med['reused']:.0f} ms "
        f"({spread['reused'][0]:.0f}-{spread['reused'][1]:.0f}), "
        f"WeasyPrint bare {med['bare']:.0f} ms ({spread['bare'][0]:.0f}-{spread['bare'][1]:.0f}); "
        f"reused / portal {med['reused'] / med['portal']:.2f}x; {_load()}"
    )


if __name__ == "__main__":
    main()

"""Benchmark: credentials signed and recorded per second for a 5,000-learner offering, and
certificate render time against WeasyPrint's bare render of the same page.

Not a test. Run from the repository root, on its own database (created and dropped here):

    .venv/bin/python bench/issuance.py                       # SQLite file in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mcportal_bench .venv/bin/python bench/issuance.py

Options: --learners N (default 5000), --processes P (default 1 and 2), --renders N (default 20).
The fixture rows are bulk-inserted (a benchmark measures issuance, not enrolment); issuance
itself runs the real service (``credential_issue``) exactly as the Celery task does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
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


def _fixture(learners: int) -> list[int]:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
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
    users = User.objects.bulk_create(
        User(email=f"bench{n}@learner.example", full_name=f"Bench Learner {n}", password="!")  # noqa: S106 - unusable password marker
        for n in range(learners)
    )
    users = list(User.objects.filter(email__startswith="bench").order_by("pk"))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=u, role=Role.LEARNER) for u in users)
    LearnerProfile.objects.bulk_create(
        LearnerProfile(
            user=u,
            legal_name=u.full_name,
            identity_kind="nric",
            identity_encrypted=identity_encrypt(f"900101-13-{n:04d}"[:14]),
            identity_hash=identity_hash("nric", f"90010113{n:06d}"),
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
        for e in Enrolment.objects.filter(offering=offering)
    )
    return list(IssuanceRequest.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))


def _issue(ids: list[int]) -> int:
    from credentials.services.issuance import credential_issue

    for request_id in ids:
        credential_issue(request_id=request_id)
    return len(ids)


def _issue_with(processes: int, ids: list[int]) -> float:
    start = time.perf_counter()
    if processes == 1:
        _issue(ids)
    else:
        from django.db import connection

        connection.close()  # children must not share the parent's socket
        chunks = [ids[n::processes] for n in range(processes)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(_issue, chunks)
    return time.perf_counter() - start


def _renders(count: int) -> tuple[float, float, float]:
    from weasyprint import HTML

    from credentials.models import Credential
    from credentials.pdf import certificate_html, certificate_pdf
    from credentials.services import credential_facts

    facts = [credential_facts(c) for c in Credential.objects.order_by("pk")[: count + 1]]
    certificate_pdf(facts[0])  # the first render in a process loads the fonts: timed apart
    ours, bare = [], []
    for f in facts[1:]:
        html = certificate_html(f)
        start = time.perf_counter()
        certificate_pdf(f)
        ours.append(time.perf_counter() - start)
        # The same page and files through WeasyPrint's own defaults: file:// base, default URL
        # fetcher, a new font configuration per render.
        start = time.perf_counter()
        HTML(string=html.replace('"/static/', '"'), base_url=f"file://{ROOT}/static/").write_pdf()
        bare.append(time.perf_counter() - start)
    first_start = time.perf_counter()
    return statistics.median(ours), statistics.median(bare), time.perf_counter() - first_start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--renders", type=int, default=20)
    options = parser.parse_args()
    url = _fresh_database(os.environ.get("DATABASE_URL") or "sqlite")
    _setup_django(url)
    from django.db import connection

    engine = connection.vendor
    start = time.perf_counter()
    ids = _fixture(options.learners)
    print(f"[{engine}] fixture: {len(ids)} passing enrolments in {time.perf_counter() - start:.1f} s")
    from credentials.models import Credential

    done = 0
    for processes in options.processes:
        share = ids[done : done + len(ids) // len(options.processes)]
        done += len(share)
        elapsed = _issue_with(processes, share)
        print(
            f"[{engine}] issue {len(share)} credentials with {processes} process(es): {elapsed:.1f} s, "
            f"{len(share) / elapsed:.0f} credentials/s signed and recorded"
        )
    assert Credential.objects.count() == done, "every request issued exactly once"
    ours, bare, _ = _renders(options.renders)
    print(
        f"[{engine}] certificate render, median of {options.renders}: portal {ours * 1000:.0f} ms "
        f"(locked fetcher, shipped fonts) vs WeasyPrint bare render of the same page {bare * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()

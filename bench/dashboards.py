"""Benchmark: each report dashboard over 100,000 enrolments (issue 8: "answers in well under a
second").

Not a test. Run from the repository root, on its own PostgreSQL database (dropped and created
here; the name must contain "bench"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mcportal_bench .venv/bin/python bench/dashboards.py

Options: --enrolments N (default 100000), --repeat R (timed requests per page, default 5),
--no-readme (print only; by default the table replaces the Dashboards section of bench/README.md).

The rows are bulk-inserted straight into the tables (a benchmark measures the reports, not the
services that would write them one by one): 300 proposals in every step with their audit trail,
1,000 offerings of 200 ready courses in 8 PTjs, 20,000 learners with 5 enrolments each, final
results, survey answers and comments, credentials (some suspended or revoked) with monthly
verification counts, and credit-transfer applications with their claims. Each page is then
requested through Django's test client (the whole view, template and all) as a CFLEX
administrator (every PTj) and as a Dean (one PTj, with a date range), once to warm up and
``--repeat`` times timed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mcportal_bench"
PTJS = 8
READY = 200
PIPELINE_EXTRA = 100
OFFERINGS_PER_COURSE = 5
LEARNERS = 20_000
BATCH = 5_000
COMMENTS = (
    "More worked examples, please.",
    "The videos were clear and short.",
    "Quizzes closed too early for working learners.",
    "Great instructor feedback on the essay.",
    "The platform was slow in the evenings.",
)


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mcportal.settings")
    os.environ.setdefault("MCPORTAL_VAR_DIR", str(Path(tempfile.gettempdir()) / "mcportal-bench-var"))
    import django

    django.setup()


def _fresh_database(database_url: str) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    if not database_url.startswith("postgres") or "bench" not in name:
        raise SystemExit("Give a PostgreSQL DATABASE_URL whose database name contains 'bench' (it is dropped).")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _aware(day: date, hour: int = 10) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def _grade(mark: Decimal, bands: list[tuple[str, Decimal, Decimal]]) -> tuple[str, Decimal]:
    for grade, low, point in bands:
        if mark >= low:
            return grade, point
    return bands[-1][0], bands[-1][2]


def _proposal_history(rng: random.Random, status: str, end: datetime) -> list[tuple[str, str, str, datetime]]:
    """The state changes that brought a proposal to ``status`` (action, from, to, time), with a
    return for revision now and then, ending before ``end``."""
    from courses.choices import ProposalStatus as S
    from courses.policies.workflow import PIPELINE

    path = [s for s in PIPELINE if s != S.RETURNED]
    target = status if status != S.RETURNED else S.HEAD_APPROVED
    steps = path[: path.index(target) + 1] if target in path else path[:2]
    moves: list[tuple[str, str, str]] = []
    for source, reached in pairwise(steps):
        if source != S.DRAFT and rng.random() < 0.12:
            moves += [("return", source, S.RETURNED), ("resubmit", S.RETURNED, source)]
        moves.append(("advance", source, reached))
    if status == S.RETURNED:
        moves.append(("return", target, S.RETURNED))
    gaps = [timedelta(days=rng.uniform(0.5, 35)) for _ in moves]
    when = end - sum(gaps, timedelta())
    history = []
    for (action, source, reached), gap in zip(moves, gaps, strict=True):
        when += gap
        history.append((action, source, reached, when))
    return history


def build(enrolment_count: int, seed: int = 8) -> dict[str, object]:
    """Bulk-insert the data set; returns the people to log in as."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from accounts.models import PTj, Role, RoleAssignment, User
    from audit.models import AuditEvent
    from courses.choices import ProposalStatus as S
    from courses.models import Programme, Proposal, ProposalVersion, Registration
    from courses.policies.workflow import PIPELINE
    from credentials.models import Credential, IssuanceRequest, VerificationHit
    from enrolment.models import CourseSurvey, Enrolment, LearnerProfile, Offering
    from policy.models import GradeBand, PolicyVersion
    from transfer.models import Application, ApplicationLine, PriorCredential

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    version = PolicyVersion.objects.order_by("-effective_from").first()
    assert version is not None
    bands = [
        (b.grade, b.min_mark, b.grade_point) for b in GradeBand.objects.filter(version=version).order_by("-min_mark")
    ]

    unusable = make_password(None)  # the bench logs in with force_login
    ptjs = PTj.objects.bulk_create(PTj(code=f"BN{i:02d}", name=f"Bench Faculty {i}") for i in range(1, PTJS + 1))
    admin = User.objects.create_user(email="admin@bench.test", password=None, full_name="Bench Admin")
    dean = User.objects.create_user(email="dean@bench.test", password=None, full_name="Bench Dean")
    developers = User.objects.bulk_create(
        User(email=f"dev{i}@bench.test", full_name=f"Developer {i}", password=unusable) for i in range(PTJS)
    )
    instructors = User.objects.bulk_create(
        User(email=f"teacher{i}@bench.test", full_name=f"Instructor {i:03d}", password=unusable) for i in range(100)
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=admin, role=Role.CFLEX_ADMIN),
            RoleAssignment(user=dean, role=Role.DEAN, ptj=ptjs[0]),
            *(RoleAssignment(user=u, role=Role.INSTRUCTOR) for u in instructors),
        ]
    )

    # Proposals: 200 ready to offer, 100 spread over the other steps; each with its audit trail.
    statuses = [S.READY_TO_OFFER] * READY + [
        rng.choice([s for s in PIPELINE if s != S.READY_TO_OFFER]) for _ in range(PIPELINE_EXTRA)
    ]
    proposals = []
    for i, status in enumerate(statuses):
        ptj = i % PTJS
        started = now - timedelta(days=rng.uniform(60, 900))
        proposals.append(
            Proposal(
                ptj=ptjs[ptj],
                kind="cat1_whole",
                status=status,
                code=f"BN{i:04d}MC",
                title=f"Micro-Credential in Bench Topic {i}",
                course_level=6,
                delivery_mode="odl",
                committee="JTSPPA",
                created_by=developers[ptj],
                created_at=started,
                updated_at=now,
                submitted_at=None if status == S.DRAFT else started + timedelta(days=3),
                state_entered_at=now - timedelta(days=rng.uniform(0, 60)),
                returned_from=S.HEAD_APPROVED if status == S.RETURNED else "",
            )
        )
    proposals = Proposal.objects.bulk_create(proposals)
    ProposalVersion.objects.bulk_create(
        ProposalVersion(
            proposal=p,
            number=1,
            snapshot={"slt": {"total_hm": "110h 20m", "credit_value": "2.8"}},
            policy_version=version,
            submitted_by=p.created_by,
            submitted_at=p.created_at,
        )
        for p in proposals
        if p.status != S.DRAFT
    )
    Registration.objects.bulk_create(
        Registration(proposal=p, kind=kind, reference=f"{kind.upper()}/BN/{p.pk}", recorded_by=admin)
        for p in proposals
        if p.status == S.READY_TO_OFFER
        for kind in ("mqa", "unimas")
    )
    kind = ContentType.objects.get_for_model(Proposal)
    events = []
    for p in proposals:
        if p.status == S.DRAFT:
            continue
        for action, source, reached, when in _proposal_history(rng, p.status, p.state_entered_at):
            name = "submit" if source == S.DRAFT else action
            events.append(
                AuditEvent(
                    content_type=kind,
                    object_id=str(p.pk),
                    object_repr=p.code,
                    action=f"proposal.{name}",
                    from_state=source,
                    to_state=reached,
                    created_at=when,
                )
            )
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)

    # Offerings: five intakes of each ready course between 2024 and 2026.
    ready = [p for p in proposals if p.status == S.READY_TO_OFFER]
    offerings = []
    for p in ready:
        for _ in range(OFFERINGS_PER_COURSE):
            starts = date(2024, 1, 8) + timedelta(days=rng.randrange(0, 1050))
            ends = starts + timedelta(days=120)
            offerings.append(
                Offering(
                    proposal=p,
                    course_code=p.code,
                    course_title=p.title,
                    ptj_id=p.ptj_id,
                    course_level=6,
                    delivery_mode="odl",
                    committee="JTSPPA",
                    session=f"{starts.year}/{starts.year + 1} Semester {1 + (starts.month > 6)}",
                    starts_on=starts,
                    ends_on=ends,
                    platform="l4l",
                    capacity=200,
                    fee=Decimal("350.00"),
                    enrolment_opens=starts - timedelta(days=40),
                    enrolment_closes=starts - timedelta(days=2),
                    results_status="senate_approved" if ends < today else "draft",
                    results_approved_at=_aware(ends + timedelta(days=20)) if ends < today else None,
                    created_by=admin,
                )
            )
    offerings = Offering.objects.bulk_create(offerings, batch_size=BATCH)
    through = Offering.instructors.through
    through.objects.bulk_create(
        [through(offering_id=o.pk, user_id=instructors[i % 100].pk) for i, o in enumerate(offerings)]
        + [
            through(offering_id=o.pk, user_id=instructors[(i + 37) % 100].pk)
            for i, o in enumerate(offerings)
            if i % 4 == 0
        ],
        batch_size=BATCH,
    )

    # Learners: 15% international (passport), 30% UNIMAS students.
    learners = User.objects.bulk_create(
        (User(email=f"learner{i}@bench.test", full_name=f"Learner {i}", password=unusable) for i in range(LEARNERS)),
        batch_size=BATCH,
    )
    LearnerProfile.objects.bulk_create(
        (
            LearnerProfile(
                user=u,
                legal_name=u.full_name,
                identity_kind="passport" if i % 7 == 0 else "nric",
                identity_encrypted="bench",
                identity_hash=f"bench-{i}",
                identity_last4=f"{i % 10000:04d}",
                nationality="Indonesia" if i % 7 == 0 else "Malaysia",
                birth_date=date(1990 + i % 15, 1 + i % 12, 1 + i % 28),
                phone="+60 82-000 000",
                student_id=f"S{i}" if i % 10 < 3 else "",
                pdpa_consent_at=now,
            )
            for i, u in enumerate(learners)
        ),
        batch_size=BATCH,
    )

    # Enrolments: each offering its share, each learner in distinct offerings.
    per_offering = max(1, enrolment_count // len(offerings))
    enrolments = []
    for j, offering in enumerate(offerings):
        approved = offering.results_status == "senate_approved"
        seat = 0
        for k in range(per_offering):
            learner = learners[(j * per_offering + k) % LEARNERS]
            roll = rng.random()
            if approved:
                status = (
                    "completed"
                    if roll < 0.70
                    else "failed"
                    if roll < 0.82
                    else "withdrawn"
                    if roll < 0.93
                    else "deferred"
                )
            else:
                status = "enrolled" if roll < 0.85 else "withdrawn" if roll < 0.95 else "deferred"
            holding = status in ("enrolled", "completed", "failed")
            seat += holding
            mark = grade = point = passed = None
            if status in ("completed", "failed"):
                mark = Decimal(rng.randint(50, 99) if status == "completed" else rng.randint(5, 49))
                grade, point = _grade(mark, bands)
                passed = status == "completed"
            enrolments.append(
                Enrolment(
                    offering=offering,
                    learner=learner,
                    status=status,
                    seat=seat if holding else None,
                    final_mark=mark,
                    grade=grade or "",
                    grade_point=point,
                    passed=passed,
                    policy_version=version if mark is not None else None,
                    enrolled_at=_aware(offering.enrolment_opens + timedelta(days=rng.randrange(0, 38))),
                    updated_at=now,
                )
            )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    kind_e = ContentType.objects.get_for_model(Enrolment)
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(content_type=kind_e, object_id=str(e.pk), action="enrolment.create", to_state="enrolled")
            for e in enrolments
        ),
        batch_size=BATCH,
    )
    finished = [e for e in enrolments if e.status in ("completed", "failed")]
    CourseSurvey.objects.bulk_create(
        (
            CourseSurvey(
                enrolment=e,
                content_rating=rng.choice((3, 4, 4, 5, 5)),
                instructor_rating=rng.choice((2, 3, 4, 4, 5)),
                platform_rating=rng.choice((3, 3, 4, 5)),
                overall_rating=rng.choice((2, 3, 4, 4, 5, 5)),
                comment=rng.choice(COMMENTS) if rng.random() < 0.25 else "",
                submitted_at=_aware(e.offering.ends_on),
            )
            for e in finished
            if rng.random() < 0.4
        ),
        batch_size=BATCH,
    )

    # Credentials of the passing learners: 96% valid, 2% suspended, 2% revoked.
    passing = [e for e in finished if e.passed]
    requests = IssuanceRequest.objects.bulk_create(
        (
            IssuanceRequest(
                enrolment_id=e.pk,
                offering_id=e.offering_id,
                learner_id=e.learner_id,
                course_code=e.offering.course_code,
                course_title=e.offering.course_title,
                final_mark=e.final_mark or Decimal(0),
                grade=e.grade,
                policy_version_id=version.pk,
                requested_by=admin,
                status="issued",
            )
            for e in passing
        ),
        batch_size=BATCH,
    )
    Credential.objects.bulk_create(
        (
            Credential(
                request=r,
                enrolment_id=r.enrolment_id,
                offering_id=r.offering_id,
                learner_id=r.learner_id,
                serial=f"UNIMAS-MC-BENCH-{r.pk:07d}",
                course_code=r.course_code,
                course_title=r.course_title,
                credits=Decimal("2.8"),
                grade=r.grade,
                facts={},
                issued_at=_aware(e.offering.ends_on + timedelta(days=21)),
                status=rng.choices(("active", "suspended", "revoked"), (96, 2, 2))[0],
            )
            for r, e in zip(requests, passing, strict=True)
        ),
        batch_size=BATCH,
    )
    months = []
    month = date(2024, 5, 1)
    while month <= today:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    VerificationHit.objects.bulk_create(
        VerificationHit(month=m, channel=c, count=rng.randint(20, 900))
        for m in months
        for c in ("page", "json", "upload")
    )

    # Credit transfer: 2,000 applications to one programme per PTj, two claims each.
    programmes = Programme.objects.bulk_create(
        Programme(code=f"BNP{i}", name=f"Bachelor of Bench {i}", ptj=p, level="bachelor", graduating_credits=120)
        for i, p in enumerate(ptjs)
    )
    applicants = learners[:2000]
    priors = PriorCredential.objects.bulk_create(
        (
            PriorCredential(
                learner=u,
                source="external",
                kind=rng.choice(("cat2", "samc", "samc_qvc")),
                code=f"EXT{i % 50:03d}",
                title=f"Outside course {i % 50}",
                provider="Another University",
                credits=3,
                evidence_kind="pdf",
                verification="verified",
            )
            for i, u in enumerate(applicants)
            for _ in range(2)
        ),
        batch_size=BATCH,
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                learner=u,
                programme=programmes[i % PTJS],
                ptj=ptjs[i % PTJS],
                status=(
                    status := rng.choice(
                        ("approved", "approved", "rejected", "not_supported", "withdrawn", "coordinator_review")
                    )
                ),
                credits_transferred=6 if status == "approved" else 0,
                policy_version=version,
                submitted_at=now - timedelta(days=rng.uniform(0, 700)),
            )
            for i, u in enumerate(applicants)
        ),
        batch_size=BATCH,
    )
    ApplicationLine.objects.bulk_create(
        (
            ApplicationLine(
                application=a,
                position=n + 1,
                credential=priors[2 * i + n],
                course_code=f"BNC{n}",
                verification="verified",
                counted_credits=3 if a.status == "approved" else 0,
            )
            for i, a in enumerate(applications)
            for n in range(2)
        ),
        batch_size=BATCH,
    )
    return {"admin": admin, "dean": dean, "enrolments": len(enrolments), "offerings": len(offerings)}


def measure(people: dict[str, object], repeat: int) -> list[dict[str, object]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reports.dashboards import DASHBOARDS

    rows = []
    viewers = [
        ("CFLEX administrator, every PTj", people["admin"], {}),
        ("Dean, one PTj, 2025 only", people["dean"], {"from": "2025-01-01", "to": "2025-12-31"}),
    ]
    for who, user, params in viewers:
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        for slug in DASHBOARDS:
            url = f"/reports/{slug}/"
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url, params)
                    times.append((time.perf_counter() - start) * 1000)
            rows.append(
                {
                    "dashboard": slug,
                    "viewer": who,
                    "queries": len(queries),
                    "median": statistics.median(times),
                    "slowest": max(times),
                    "bytes": len(response.content),
                }
            )
            print(
                f"{slug:12} {who:32} {len(queries):3} queries  median {statistics.median(times):7.1f} ms  "
                f"slowest {max(times):7.1f} ms"
            )
    return rows


def write_readme(rows: list[dict[str, object]], info: dict[str, object], built_s: float) -> None:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    table = [
        "| dashboard | viewer | queries | median (ms) | slowest (ms) |",
        "|---|---|---:|---:|---:|",
        *(
            f"| {r['dashboard']} | {r['viewer']} | {r['queries']} | {r['median']:.0f} | {r['slowest']:.0f} |"
            for r in rows
        ),
    ]
    section = "\n".join(
        [
            "## Dashboards",
            "",
            "`bench/dashboards.py` (issue 8): every report page over "
            f"{info['enrolments']:,} enrolments in {info['offerings']:,} offerings, 20,000 learners, 300 proposals "
            "with their audit trail, survey answers, credentials and 2,000 credit-transfer applications, "
            f"bulk-inserted in {built_s:.0f} s. Each page is the whole request (view, queries, template) through "
            "Django's test client, warmed once then timed; one query per table, the same count at any size "
            "(`tests/reports/test_queries.py`).",
            "",
            *table,
            "",
            f"PostgreSQL {server}, Django {django.get_version()}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs, {date.today():%Y-%m-%d}. Run it again with:",
            "",
            "    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mcportal_bench .venv/bin/python bench/dashboards.py",
            "",
        ]
    )
    text = (
        README.read_text()
        if README.exists()
        else "# Benchmarks\n\nNot tests: scripts that time the portal on a large data set.\n\n"
    )
    pattern = re.compile(r"## Dashboards\n.*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(section.rstrip("\n") + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    )
    README.write_text(text)
    print(f"Wrote the Dashboards section of {README.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    _fresh_database(database_url)
    _setup_django(database_url)
    start = time.perf_counter()
    info = build(args.enrolments)
    built_s = time.perf_counter() - start
    print(f"Built {info['enrolments']:,} enrolments in {built_s:.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = measure(info, args.repeat)
    if not args.no_readme:
        write_readme(rows, info, built_s)


if __name__ == "__main__":
    main()

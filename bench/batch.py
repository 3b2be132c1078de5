"""Benchmark: a real batch. The Senate approves the results of an offering of 5,000 passing
learners (the real service, which requests every credential and queues the tasks after commit);
real Celery workers on Redis issue them and render the PDFs. Reported: when every learner can
download their certificate (every credential issued: a PDF not rendered yet is rendered when it
is opened, decision 0142), and when every PDF has been rendered ahead.

Not a test. It starts its own two workers, as docker-compose runs them: `worker` (queue
"celery", issuance) and `render` (queue "render", PDFs; started with a lower CPU priority so
issuance comes first on a shared machine), each with two processes. Run from the repository root
on its own database and Redis database (both emptied here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mc_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/batch.py [--learners 5000] [--render-timeout 3600]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import issuance as bench  # noqa: E402 - this folder's bench/issuance.py: database, fixture, load


def _fixture(learners: int) -> tuple[int, int]:
    """An offering whose results the committee endorsed (waiting for the Senate): ``learners``
    passing learners, bulk-inserted. Returns (offering id, Senate secretary id)."""
    from credentials.models import IssuanceBatch, IssuanceRequest
    from enrolment.choices import ResultsStatus
    from enrolment.models import Enrolment, Offering
    from tests.enrolment import builders

    bench._fixture(learners, "batch")
    # bench._fixture makes an approved batch; undo the requests and hand the offering back to the Senate.
    request = IssuanceRequest.objects.filter(learner__email__startswith="batch").first()
    assert request is not None
    offering_id = request.offering_id
    IssuanceRequest.objects.filter(offering_id=offering_id).delete()
    IssuanceBatch.objects.filter(offering_id=offering_id).delete()
    Enrolment.objects.filter(offering_id=offering_id).update(status="enrolled")
    Offering.objects.filter(pk=offering_id).update(
        results_status=ResultsStatus.COMMITTEE_ENDORSED, results_approved_at=None
    )
    builders.course_has_run(Offering.objects.get(pk=offering_id))  # R-RS-4: the Senate approves after the course
    return offering_id, builders.senate_secretary().pk


def _worker(queue: str, log: Path, *, nice: int = 0) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-A", "mcportal", "worker", "-Q", queue, "--concurrency=2"]
    command += ["--without-gossip", "--without-mingle", "-n", f"{queue}-bench@%h", "--loglevel=WARNING"]
    with log.open("ab") as out:
        return subprocess.Popen(
            ["nice", "-n", str(nice), *command] if nice else command,
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--render-timeout", type=float, default=3600)
    options = parser.parse_args()
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        raise SystemExit("set CELERY_BROKER_URL to a Redis database of its own (it is emptied)")
    os.environ.setdefault("CELERY_RESULT_BACKEND", broker)
    media = Path(tempfile.mkdtemp(prefix="mcportal-batch-media-"))
    os.environ["MEDIA_ROOT"] = str(media)
    url = bench._fresh_database(os.environ["DATABASE_URL"])
    bench._setup_django(url)
    import redis
    from django.db import connection

    from accounts.models import User
    from credentials.models import Credential, IssuanceRequest, RequestStatus
    from enrolment.models import Offering
    from enrolment.services import results_transition

    redis.Redis.from_url(broker).flushdb()
    bench._migrate()
    offering_id, senate_id = _fixture(options.learners)
    connection.close()
    log = Path(tempfile.mkdtemp(prefix="mcportal-batch-")) / "workers.log"
    workers = [_worker("celery", log), _worker("render", log, nice=10)]
    try:
        time.sleep(15)  # let both workers start (and the render processes load their fonts)
        print(f"[batch] {options.learners} learners; workers up; {bench._load()}")
        start = time.perf_counter()
        results_transition(
            actor=User.objects.get(pk=senate_id), offering=Offering.objects.get(pk=offering_id), action="approve"
        )
        approved = time.perf_counter() - start
        print(f"[batch] Senate approval committed, {options.learners} requests queued: {approved:.1f} s")
        requests = IssuanceRequest.objects.filter(offering_id=offering_id)
        while requests.exclude(status=RequestStatus.ISSUED).exists():
            time.sleep(0.5)
        issued = time.perf_counter() - start
        print(
            f"[batch] every learner can download their certificate: {issued:.1f} s after the approval "
            f"({options.learners / issued:.0f} credentials/s); {bench._load()}"
        )
        credentials = Credential.objects.filter(offering_id=offering_id)
        deadline = start + options.render_timeout
        while credentials.filter(certificate_pdf="").exists() or credentials.filter(mms_pdf="").exists():
            if time.perf_counter() > deadline:
                done = credentials.exclude(certificate_pdf="").exclude(mms_pdf="").count()
                print(
                    f"[batch] stopped waiting after {options.render_timeout:.0f} s: {done} of {options.learners} "
                    f"pre-rendered ({done / (time.perf_counter() - start):.1f} learners/s); {bench._load()}"
                )
                break
            time.sleep(2)
        else:
            rendered = time.perf_counter() - start
            print(
                f"[batch] every certificate and statement pre-rendered: {rendered:.1f} s after the approval "
                f"({options.learners / rendered:.1f} learners/s); {bench._load()}"
            )
        assert credentials.count() == options.learners
        assert credentials.values("enrolment_id").distinct().count() == options.learners
    finally:
        for worker in workers:
            _stop(worker)
        redis.Redis.from_url(broker).flushdb()


if __name__ == "__main__":
    main()

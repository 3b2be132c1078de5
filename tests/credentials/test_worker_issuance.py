"""A real Celery worker on Redis issues 200 credentials; it is killed part-way (SIGKILL, no
warm shutdown), restarted, and the batch still ends with exactly 200 credentials and 200 unique
serials (R-CR-1: late acknowledgement + redelivery + idempotent issuance). The requests the dead
worker had in flight are issued within 90 s of the restart by the portal's own recovery, with
its production settings: the credentials.requeue_stale sweep that the worker's beat runs every
15 s (issue 15, decision 0142); the test re-sends nothing itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from credentials.api import credential_verify_document
from credentials.models import Credential, IssuanceRequest, RequestStatus
from mcportal.celery import app
from tests.credentials.builders import approved_offering

ROOT = Path(__file__).resolve().parents[2]
# Kept apart from the portal's own Redis database (a developer may pick another one).
REDIS_DB = int(os.environ.get("WORKER_TEST_REDIS_DB", "15"))
BROKER = f"redis://127.0.0.1:6379/{REDIS_DB}"
LEARNERS = 200


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, log: Path) -> subprocess.Popen[bytes]:
    beat_schedule = log.parent / f"beat-{time.monotonic_ns()}"
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mcportal",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "-n",
                f"{queue}-{time.monotonic_ns()}@%h",
                "--loglevel=INFO",
                # Beat inside the worker, as bin/portal runs it: it sends credentials.requeue_stale.
                "--beat",
                "--schedule",
                str(beat_schedule),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "mcportal.settings_test",
                "DATABASE_URL": _database_url(),
                "CELERY_BROKER_URL": BROKER,
                "CELERY_RESULT_BACKEND": BROKER,
                # Everything this worker (and its beat) sends stays on this run's own queues; the
                # render queue is not consumed here (PDFs are not under test).
                "CELERY_DEFAULT_QUEUE": queue,
                "CELERY_RENDER_QUEUE": f"{queue}-render",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the kill takes its children too
        )


def _send(request_ids: list[int], queue: str) -> None:
    # An explicit connection: the run's own broker (CELERY_BROKER_URL) may be another Redis database.
    with app.connection_for_write(BROKER) as connection_to_redis:
        for request_id in request_ids:
            app.send_task("credentials.issue", args=[request_id], queue=queue, connection=connection_to_redis)


def _wait_for(condition, timeout: float, what: str, log: Path, *, fail: bool = True, step: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step if fail else 0.005)
    if fail:
        pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


def _forget_unacknowledged(client: redis.Redis, queues: set[str]) -> None:
    """Drop the dead worker's unacknowledged messages of this run's queues from Redis, so that no
    worker restores them into a queue nobody reads once the visibility timeout passes."""
    for tag, payload in client.hgetall("unacked").items():
        if json.loads(payload)[2] in queues:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.mark.worker
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the production recovery path, PostgreSQL + Redis: CI's second pass (decision 0191)",
)
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_loses_and_duplicates_nothing(tmp_path):
    # DOMAIN R-CR-1
    client = redis.Redis.from_url(BROKER)
    client.ping()  # Redis must be there: this test is about Redis, never a fallback
    offering, _ = approved_offering(passing=LEARNERS)
    # Queued in the order they were made, as the portal queues them (after the approval commits).
    request_ids = list(
        IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk").values_list("pk", flat=True)
    )
    assert len(request_ids) == LEARNERS
    queue = f"issue-{uuid.uuid4().hex[:10]}"
    _send(request_ids, queue)
    log = tmp_path / "worker.log"
    worker = _start_worker(queue, log)
    waiting = IssuanceRequest.objects.filter(pk__in=request_ids).exclude(status=RequestStatus.ISSUED)
    try:
        issued = lambda: Credential.objects.filter(offering_id=offering.pk).count()  # noqa: E731
        _wait_for(lambda: issued() >= 30, 240, "the first 30 credentials", log)
        # Kill while a request is being issued (started, not finished), if one can be caught.
        started_unfinished = waiting.filter(attempted_at__isnull=False)
        _wait_for(started_unfinished.exists, 20, "a request in flight", log, fail=False)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        at_kill = issued()
        assert 0 < at_kill < LEARNERS, "the kill must land part-way through the batch"
        # In flight: started by the dead worker and never finished, or taken by it and never
        # started (every request queued before the last one it started).
        last_started = max(
            IssuanceRequest.objects.filter(pk__in=request_ids, attempted_at__isnull=False).values_list("pk", flat=True)
        )
        in_flight = list(waiting.filter(pk__lte=last_started).values_list("pk", flat=True))
        worker = _start_worker(queue, log)
        restarted = time.monotonic()
        _wait_for(
            lambda: not IssuanceRequest.objects.filter(pk__in=in_flight).exclude(status=RequestStatus.ISSUED).exists(),
            90,
            f"the {len(in_flight)} requests in flight at the kill, within 90 s of the restart",
            log,
        )
        recovered_in = time.monotonic() - restarted
        _wait_for(lambda: not waiting.exists(), 240, "every request marked issued", log)
        assert issued() == LEARNERS
        time.sleep(6)  # a request sent twice has its chance to (fail to) issue again
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        # The queues are this run's own; the render tasks the worker queued are not under test.
        client.delete(queue, f"{queue}-render")
        _forget_unacknowledged(client, {queue, f"{queue}-render"})
    print(f"{len(in_flight)} request(s) in flight at the kill were issued {recovered_in:.0f} s after the restart")
    credentials = Credential.objects.filter(offering_id=offering.pk)
    assert credentials.count() == LEARNERS
    serials = list(credentials.values_list("serial", flat=True))
    assert len(set(serials)) == LEARNERS
    assert len(set(credentials.values_list("enrolment_id", flat=True))) == LEARNERS
    for credential in credentials.order_by("?")[:5]:
        assert credential_verify_document(credential.document).verdict == "valid"

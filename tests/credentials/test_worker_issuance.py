"""A real Celery worker on Redis issues 200 credentials; it is killed part-way (SIGKILL, no
warm shutdown), restarted, and the batch still ends with exactly 200 credentials and 200 unique
serials (R-CR-1: late acknowledgement + redelivery + idempotent issuance)."""

from __future__ import annotations

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
REDIS_DB = 15  # kept apart from the portal's own Redis database
BROKER = f"redis://127.0.0.1:6379/{REDIS_DB}"
LEARNERS = 200


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, log: Path) -> subprocess.Popen[bytes]:
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
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "mcportal.settings_test",
                "DATABASE_URL": _database_url(),
                "CELERY_BROKER_URL": BROKER,
                "CELERY_RESULT_BACKEND": BROKER,
                "CELERY_VISIBILITY_TIMEOUT": "5",  # a dead worker's messages come back after 5 s
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


def _wait_or_requeue(issued, request_ids: list[int], queue: str, log: Path) -> None:
    deadline = time.monotonic() + 300
    last, last_change = issued(), time.monotonic()
    while issued() < LEARNERS:
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for all {LEARNERS} credentials; worker log:\n{log.read_text()[-4000:]}")
        now = issued()
        if now != last:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change > 20:
            waiting = list(
                IssuanceRequest.objects.filter(pk__in=request_ids)
                .exclude(status=RequestStatus.ISSUED)
                .values_list("pk", flat=True)
            )
            _send(waiting, queue)
            last_change = time.monotonic()
        time.sleep(0.5)


def _wait_for(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_loses_and_duplicates_nothing(tmp_path):
    # DOMAIN R-CR-1
    client = redis.Redis.from_url(BROKER)
    client.ping()  # Redis must be there: this test is about Redis, never a fallback
    offering, _ = approved_offering(passing=LEARNERS)
    request_ids = list(IssuanceRequest.objects.filter(offering_id=offering.pk).values_list("pk", flat=True))
    assert len(request_ids) == LEARNERS
    queue = f"issue-{uuid.uuid4().hex[:10]}"
    _send(request_ids, queue)
    log = tmp_path / "worker.log"
    worker = _start_worker(queue, log)
    try:
        issued = lambda: Credential.objects.filter(offering_id=offering.pk).count()  # noqa: E731
        _wait_for(lambda: issued() >= 30, 240, "the first 30 credentials", log)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        at_kill = issued()
        assert 0 < at_kill < LEARNERS, "the kill must land part-way through the batch"
        time.sleep(6)  # past the visibility timeout: the dead worker's unacknowledged messages are due back
        worker = _start_worker(queue, log)
        # The messages the dead worker had reserved come back after the visibility timeout, when
        # Redis's restore cycle runs. Should progress stall before then, do what the beat job
        # credentials.requeue_stale does (sooner than its 15 minutes): queue every request still
        # waiting again. Issuing is idempotent, so this may duplicate messages but never credentials.
        _wait_or_requeue(issued, request_ids, queue, log)
        _wait_for(
            lambda: (
                not IssuanceRequest.objects.filter(pk__in=request_ids).exclude(status=RequestStatus.ISSUED).exists()
            ),
            60,
            "every request marked issued",
            log,
        )
        time.sleep(6)  # any redelivered duplicate has its chance to (fail to) issue again
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        # The queue is this run's own; the render tasks the worker queued are not under test.
        client.delete(queue, "celery")
    credentials = Credential.objects.filter(offering_id=offering.pk)
    assert credentials.count() == LEARNERS
    serials = list(credentials.values_list("serial", flat=True))
    assert len(set(serials)) == LEARNERS
    assert len(set(credentials.values_list("enrolment_id", flat=True))) == LEARNERS
    for credential in credentials.order_by("?")[:5]:
        assert credential_verify_document(credential.document).verdict == "valid"

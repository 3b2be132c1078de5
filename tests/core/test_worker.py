"""A real task goes through the real broker (kombu's filesystem transport on the SQLite run,
Redis on the PostgreSQL run) to a real worker process, and the result comes back."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from core.tasks import worker_ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_queue(tmp_path):
    """Start `celery worker` as its own process on a queue no other worker listens to."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mcportal",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "mcportal.settings_test"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.returncode not in (0, -15, None):
            print(log.read_text())


@pytest.mark.worker
def test_task_round_trip_through_broker_and_worker(worker_queue):
    nonce = uuid.uuid4().hex
    result = worker_ping.apply_async(args=[nonce], queue=worker_queue)
    answer = result.get(timeout=90)
    assert answer["nonce"] == nonce
    assert answer["pong"] == nonce[::-1]
    assert answer["pid"] != os.getpid()  # it really ran in the worker process
    assert result.successful()


def test_the_run_uses_the_broker_it_was_given():
    expected = os.environ.get("CELERY_BROKER_URL") or "filesystem://localhost//"
    assert settings.CELERY_BROKER_URL == expected
    if os.environ.get("MCPORTAL_REQUIRE_SERVICES"):
        # .ci/run's second pass: PostgreSQL and Redis, never a fallback.
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

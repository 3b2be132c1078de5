"""Tasks of the portal itself."""

from __future__ import annotations

import os
import socket
from typing import Any

from celery import shared_task


@shared_task(name="core.worker_ping", acks_late=True)
def worker_ping(nonce: str) -> dict[str, Any]:
    """Answer from the worker: proves the broker, a worker and the result backend work
    end to end (used by the deployment check and the worker round-trip test)."""
    return {"nonce": nonce, "pong": nonce[::-1], "hostname": socket.gethostname(), "pid": os.getpid()}

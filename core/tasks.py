"""Tasks of the portal itself."""

from __future__ import annotations

import os
import socket
from typing import Any

from celery import shared_task

from core.services import notification_deliver, notification_digest_deliver, notification_digest_recipients


@shared_task(name="core.worker_ping", acks_late=True)
def worker_ping(nonce: str) -> dict[str, Any]:
    """Answer from the worker: proves the broker, a worker and the result backend work
    end to end (used by the deployment check and the worker round-trip test)."""
    return {"nonce": nonce, "pong": nonce[::-1], "hostname": socket.gethostname(), "pid": os.getpid()}


@shared_task(
    name="core.notification_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def notification_send(notification_id: int) -> bool:
    """Send one queued notification; a second run finds it sent and does nothing."""
    return notification_deliver(notification_id=notification_id)


@shared_task(name="core.notification_digest", acks_late=True)
def notification_digest() -> int:
    """Once a day (beat): each person who chose the daily digest gets one mail with what waited.
    A second run finds everything sent and sends nothing."""
    sent = 0
    for recipient_id in notification_digest_recipients():
        sent += notification_digest_deliver(recipient_id=recipient_id)
    return sent

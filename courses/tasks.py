"""Celery tasks of the courses app: thin, over one service each."""

from __future__ import annotations

from celery import shared_task

from courses.services.digest import overdue_digest_send


@shared_task(name="courses.overdue_digest", acks_late=True)
def overdue_digest() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the digest of overdue workflow items."""
    return overdue_digest_send()

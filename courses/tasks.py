"""Celery tasks of the courses app: thin, over one service each."""

from __future__ import annotations

from celery import shared_task

from courses.services.digest import overdue_digest_send
from courses.services.quality import quality_reminders_send


@shared_task(name="courses.overdue_digest", acks_late=True)
def overdue_digest() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): the digest of overdue workflow items."""
    return overdue_digest_send()


@shared_task(name="courses.quality_reminders", acks_late=True)
def quality_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): QVC expiry reminders to CFLEX, once per threshold (R-CR-6)."""
    return quality_reminders_send()

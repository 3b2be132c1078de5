"""Celery tasks of credit transfer: take ids, call one service, own the retries."""

from __future__ import annotations

from celery import shared_task

from transfer.services import decision_letter_issue


@shared_task(
    name="transfer.decision_letter_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def decision_letter_send(application_id: int) -> bool:
    """R-CT-6: write and send a decision letter; a second run finds it sent and does nothing new."""
    letter = decision_letter_issue(application_id=application_id)
    return letter is not None and letter.sent_at is not None

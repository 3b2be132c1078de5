"""Issuance tasks: thin over the services, retried, acknowledged late (settings), so a worker
killed mid-batch loses nothing and, with the unique (enrolment, generation) constraint,
duplicates nothing when the message is delivered again."""

from __future__ import annotations

from datetime import timedelta

from celery import Task, shared_task
from django.db import OperationalError
from django.utils import timezone

from core.errors import ApplicationError
from credentials.models import IssuanceRequest, RequestStatus
from credentials.services import (
    credential_issue,
    credential_render,
    issuance_attempt,
    issuance_fail,
)

MAX_RETRIES = 5


@shared_task(bind=True, name="credentials.issue", acks_late=True, max_retries=MAX_RETRIES)
def credential_issue_task(self: Task, request_id: int) -> int | None:
    issuance_attempt(request_id=request_id)
    try:
        return credential_issue(request_id=request_id).pk
    except ApplicationError as error:  # a rule says no: retrying will not help
        issuance_fail(request_id=request_id, error=f"{error.code}: {error.message}")
        return None
    except (OperationalError, OSError, LookupError) as error:
        if self.request.retries >= MAX_RETRIES:
            issuance_fail(request_id=request_id, error=f"{type(error).__name__}: {error}")
            return None
        raise self.retry(exc=error, countdown=min(300, 5 * 2**self.request.retries)) from error


@shared_task(
    name="credentials.render",
    acks_late=True,
    autoretry_for=(OSError, OperationalError),
    retry_backoff=10,
    max_retries=5,
)
def credential_render_task(credential_id: int) -> None:
    credential_render(credential_id=credential_id)


@shared_task(name="credentials.requeue_stale", acks_late=True)
def credential_requeue_stale(minutes: int = 15) -> int:
    """Belt and braces for a lost message: re-queue requests still waiting after ``minutes``.
    Issuing is idempotent, so a request queued twice is issued once."""
    cutoff = timezone.now() - timedelta(minutes=minutes)
    ids = list(
        IssuanceRequest.objects.filter(status=RequestStatus.PENDING, requested_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:5000]
    )
    for request_id in ids:
        credential_issue_task.delay(request_id)
    return len(ids)

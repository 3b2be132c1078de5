"""Issuance tasks: thin over the services, retried, acknowledged late (settings), so a worker
killed mid-batch loses nothing and, with the unique (enrolment, generation) constraint,
duplicates nothing when the message is delivered again."""

from __future__ import annotations

from celery import Task, shared_task
from celery.signals import worker_process_init
from django.db import OperationalError

from core.errors import ApplicationError
from credentials.services import (
    credential_expiry_reminders_send,
    credential_render,
    credentials_issue,
    issuance_attempt,
    issuance_fail,
    issuance_send,
    issuance_stale_requeue,
    verification_counts_flush,
)

MAX_RETRIES = 5


@shared_task(bind=True, name="credentials.issue", acks_late=True, max_retries=MAX_RETRIES)
def credential_issue_task(self: Task, request_ids: list[int] | int) -> int:
    """Issue a chunk of requests (``ISSUE_CHUNK``, decision 0240) in one transaction; a request
    whose enrolment did not pass is marked failed, the others are issued. Returns how many have
    their credential. (A bare id is a message queued before chunks.)"""
    ids = [request_ids] if isinstance(request_ids, int) else list(request_ids)
    issuance_attempt(request_ids=ids)
    try:
        results = credentials_issue(request_ids=ids)
    except ApplicationError as error:  # a rule says no for the whole chunk: retrying will not help
        for request_id in ids:
            issuance_fail(request_id=request_id, error=f"{error.code}: {error.message}")
        return 0
    except (OperationalError, OSError, LookupError) as error:
        if self.request.retries >= MAX_RETRIES:
            for request_id in ids:
                issuance_fail(request_id=request_id, error=f"{type(error).__name__}: {error}")
            return 0
        raise self.retry(exc=error, countdown=min(300, 5 * 2**self.request.retries)) from error
    issued = 0
    for request_id, result in results.items():
        if isinstance(result, ApplicationError):
            issuance_fail(request_id=request_id, error=f"{result.code}: {result.message}")
        else:
            issued += 1
    return issued


@shared_task(
    name="credentials.render",  # on its own queue (settings.CELERY_TASK_ROUTES)
    acks_late=True,
    autoretry_for=(OSError, OperationalError),
    retry_backoff=10,
    max_retries=5,
)
def credential_render_task(credential_ids: list[int] | int) -> None:
    """Render the credentials issued together (one message per issuing chunk, decision 0240); a
    retry skips the PDFs already kept. (A bare id is a message queued before chunks.)"""
    for credential_id in [credential_ids] if isinstance(credential_ids, int) else credential_ids:
        credential_render(credential_id=credential_id)


@shared_task(name="credentials.requeue_stale", acks_late=True)
def credential_requeue_stale() -> int:
    """Every 15 s (beat): send again the requests whose worker died mid-task (started over
    ``STALE_ATTEMPT_SECONDS`` ago and still pending) or whose message was lost (never started,
    ``LOST_MESSAGE_MINUTES`` after the request). Issuing is idempotent, so a request sent twice
    is issued once."""
    request_ids = issuance_stale_requeue()
    if request_ids:
        issuance_send(request_ids)
    return len(request_ids)


@worker_process_init.connect
def _load_fonts(**_: object) -> None:
    """Each worker process that renders loads the fonts (and templates) as it starts, so the
    first certificate of a batch is no slower than the rest."""
    from celery import current_app
    from django.conf import settings

    from credentials.pdf import warm_up

    if settings.CELERY_RENDER_QUEUE in current_app.amqp.queues.consume_from:
        warm_up()


@shared_task(name="credentials.flush_verification_counts", acks_late=True)
def credential_verification_counts_flush() -> int:
    """Move the public verification counts from the cache to the monthly table (beat, each minute)."""
    return verification_counts_flush()


@shared_task(name="credentials.expiry_reminders", acks_late=True)
def credential_expiry_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind learners before a credential lapses, once (R-CR-6)."""
    return credential_expiry_reminders_send()


@shared_task(bind=True, name="credentials.bulk_download", acks_late=True, max_retries=3)
def bulk_download_task(self: Task, download_id: int) -> int:
    """Build one offering's ZIP (idempotent: a finished one is left as it is)."""
    from credentials.services.bulk import bulk_download_build, bulk_download_fail

    try:
        return bulk_download_build(download_id=download_id).done
    except OperationalError as error:
        raise self.retry(exc=error, countdown=5) from error
    except Exception as error:
        bulk_download_fail(download_id=download_id, error=f"{type(error).__name__}: {error}")
        raise


@shared_task(name="credentials.bulk_download_cleanup", acks_late=True)
def bulk_download_cleanup() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): delete ZIPs past BULK_ZIP_HOURS."""
    from credentials.services.bulk import bulk_downloads_expire

    return bulk_downloads_expire()

"""CFLEX's bulk operations on an offering's credentials: one ZIP of every certificate and MMS,
built by a Celery task with its progress recorded and kept for ``BULK_ZIP_HOURS``; and the
credential emails sent again (docs/decisions/0183)."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind, not_found
from credentials.models import BulkDownload, Credential, CredentialStatus, IssuanceBatch
from credentials.services.issuance import credential_pdf, credential_ready_mail_queue

# Progress is written every this many learners (one UPDATE), not for every PDF.
PROGRESS_EVERY = 10


def _in_force(batch: IssuanceBatch) -> list[Credential]:
    """The credentials of the batch's offering that are not revoked (a re-issued one replaces the
    revoked one), in serial order."""
    return list(
        Credential.objects.filter(offering_id=batch.offering_id)
        .exclude(status=CredentialStatus.REVOKED)
        .select_related("learner")
        .order_by("serial")
    )


def _manager(actor: User) -> None:
    from credentials.rules import can_manage_credentials

    if not can_manage_credentials(actor):
        raise not_found("batch")


@transaction.atomic(durable=True)
def bulk_download_request(*, actor: User, batch_id: int) -> BulkDownload:
    """CFLEX asks for the ZIP of a batch; the task that builds it is queued after commit. A ZIP
    still building for the same batch is returned instead of starting another."""
    _manager(actor)
    batch = IssuanceBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise not_found("batch")
    running = batch.downloads.filter(status__in=[BulkDownload.Status.PENDING, BulkDownload.Status.RUNNING]).first()
    if running is not None:
        return running
    total = Credential.objects.filter(offering_id=batch.offering_id).exclude(status=CredentialStatus.REVOKED).count()
    if total == 0:
        raise ApplicationError(
            "nothing_to_download", _("No credential of this offering has been issued yet."), kind=ErrorKind.CONFLICT
        )
    download = BulkDownload.objects.create(batch=batch, requested_by=actor, total=total)
    audit_record(
        actor=actor, action="credential.bulk_download", obj=batch, data={"download": download.pk, "total": total}
    )
    from credentials.tasks import bulk_download_task

    download_id = download.pk
    transaction.on_commit(lambda: bulk_download_task.delay(download_id))
    return download


def _entry_name(credential: Credential, kind: str) -> str:
    label = "certificate" if kind == "certificate" else "mms"
    return f"{credential.serial}/{credential.serial}-{label}.pdf"


def bulk_download_build(*, download_id: int, now: datetime | None = None) -> BulkDownload:
    """The task: write every certificate and MMS (rendered now if the render queue has not
    reached them) into one ZIP, recording progress, then keep it until it expires. Run twice, it
    leaves one ZIP: a finished download is returned as it is."""
    with transaction.atomic():
        download = BulkDownload.objects.select_for_update().select_related("batch").get(pk=download_id)
        if download.status != BulkDownload.Status.PENDING and download.status != BulkDownload.Status.RUNNING:
            return download
        download.status = BulkDownload.Status.RUNNING
        download.done = 0
        download.save(update_fields=["status", "done"])
    credentials = _in_force(download.batch)
    BulkDownload.objects.filter(pk=download_id).update(total=len(credentials))
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
            for n, credential in enumerate(credentials, start=1):
                for kind in ("certificate", "mms"):
                    archive.writestr(_entry_name(credential, kind), credential_pdf(credential, kind))
                if n % PROGRESS_EVERY == 0 or n == len(credentials):
                    BulkDownload.objects.filter(pk=download_id).update(done=n)
        size = handle.tell()
        handle.seek(0)
        finished = now or timezone.now()
        with transaction.atomic():
            download = BulkDownload.objects.select_for_update().get(pk=download_id)
            if download.status != BulkDownload.Status.RUNNING:
                return download
            download.file.save("bulk.zip", File(handle), save=False)
            download.status = BulkDownload.Status.DONE
            download.done = len(credentials)
            download.size = size
            download.finished_at = finished
            download.expires_at = finished + timedelta(hours=settings.BULK_ZIP_HOURS)
            download.save(update_fields=["file", "status", "done", "size", "finished_at", "expires_at"])
    return download


def bulk_download_fail(*, download_id: int, error: str) -> None:
    BulkDownload.objects.filter(pk=download_id).exclude(status=BulkDownload.Status.DONE).update(
        status=BulkDownload.Status.FAILED, error=error[:300]
    )


def bulk_downloads_expire(*, now: datetime | None = None) -> int:
    """The cleanup task: delete the files of ZIPs past their time. Returns how many."""
    now = now or timezone.now()
    expired = 0
    for download in BulkDownload.objects.filter(status=BulkDownload.Status.DONE, expires_at__lte=now):
        with transaction.atomic():
            locked = BulkDownload.objects.select_for_update().get(pk=download.pk)
            if locked.status != BulkDownload.Status.DONE:
                continue
            name = locked.file.name
            locked.status = BulkDownload.Status.EXPIRED
            locked.file = None
            locked.save(update_fields=["status", "file"])
            if name:
                storage = download.file.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))  # type: ignore[misc]
        expired += 1
    return expired


@transaction.atomic(durable=True)
def credential_emails_resend(*, actor: User, batch_id: int, today: str | None = None) -> int:
    """CFLEX sends every learner of the batch the email with their credential again, after
    commit. Idempotent per day: asked twice on one day, each learner gets one email."""
    _manager(actor)
    batch = IssuanceBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise not_found("batch")
    day = today or timezone.localdate().isoformat()
    queued = 0
    for credential in _in_force(batch):
        queued += len(
            credential_ready_mail_queue(credential=credential, event_key=f"credential:{credential.pk}:resend:{day}")
        )
    audit_record(actor=actor, action="credential.resend", obj=batch, data={"queued": queued, "day": day})
    return queued

"""Issue 18: CFLEX's bulk operations on an offering: one ZIP with every learner's certificate and
MMS (built by the Celery task, progress as JSON, kept for a limited time), and the credential
emails sent again (after commit, once a day)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from core.models import Notification
from credentials.models import BulkDownload, Credential, IssuanceBatch, IssuanceRequest
from credentials.services import credential_issue, credential_reissue
from credentials.services.bulk import bulk_download_build, bulk_downloads_expire, credential_emails_resend
from credentials.tasks import bulk_download_cleanup, bulk_download_task
from tests.credentials.builders import approved_offering
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def batch():
    """Two learners passed (credentials issued), one failed (none)."""
    offering, _ = approved_offering(passing=2, failing=1)
    for request in IssuanceRequest.objects.filter(offering_id=offering.pk):
        credential_issue(request_id=request.pk)
    return IssuanceBatch.objects.get(offering_id=offering.pk)


def test_the_zip_holds_every_learners_two_pdfs(client, batch, django_capture_on_commit_callbacks):
    admin = enrol.cflex_admin()
    first = Credential.objects.filter(offering_id=batch.offering_id).order_by("pk").first()
    assert first is not None
    reissued = credential_reissue(actor=admin, credential_id=first.pk, reason="Name corrected")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("credentials:zip_request", args=[batch.pk]))
    download = BulkDownload.objects.get(batch=batch)
    assert response.status_code == 302 and response["Location"] == reverse("credentials:zip", args=[download.pk])
    assert len(callbacks) == 1  # the task is queued after commit
    status = client.get(reverse("credentials:zip_status", args=[download.pk])).json()
    assert status["status"] == "pending" and status["download_url"] == ""
    assert bulk_download_task.apply(args=[download.pk]).get() == 2  # the Celery task, run here
    status = client.get(reverse("credentials:zip_status", args=[download.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100 and status["done"] == status["total"] == 2
    response = client.get(status["download_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    in_force = Credential.objects.filter(offering_id=batch.offering_id).exclude(status="revoked")
    assert reissued in in_force and first not in in_force  # the revoked one is left out
    expected = sorted(f"{c.serial}/{c.serial}-{kind}.pdf" for c in in_force for kind in ("certificate", "mms"))
    assert sorted(archive.namelist()) == expected
    for name in expected:
        assert archive.read(name).startswith(b"%PDF-")
    # Run twice, one ZIP: the finished download is left as it is.
    name = BulkDownload.objects.get(pk=download.pk).file.name
    assert bulk_download_build(download_id=download.pk).file.name == name
    assert AuditEvent.objects.filter(action="credential.bulk_download").count() == 1
    # The page itself needs no inline script (CSP): it loads the static poller.
    page = client.get(reverse("credentials:zip", args=[download.pk])).content.decode()
    assert "js/zip_progress.js" in page and "<script>" not in page


def test_the_zip_is_kept_for_a_limited_time(client, batch, settings, django_capture_on_commit_callbacks):
    admin = enrol.cflex_admin()
    from credentials.services.bulk import bulk_download_request

    download = bulk_download_request(actor=admin, batch_id=batch.pk)
    download = bulk_download_build(download_id=download.pk)
    path = download.file.path
    assert download.expires_at == download.finished_at + timedelta(hours=settings.BULK_ZIP_HOURS)
    assert bulk_downloads_expire(now=timezone.now()) == 0
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row says so
        assert bulk_downloads_expire(now=download.expires_at + timedelta(seconds=1)) == 1
    download.refresh_from_db()
    assert download.status == "expired" and not download.file
    import os

    assert not os.path.exists(path)
    client.force_login(admin)
    assert client.get(reverse("credentials:zip_file", args=[download.pk])).status_code == 404
    assert bulk_download_cleanup.apply().get() == 0


def test_only_cflex_administrators_reach_the_bulk_pages(client, batch):
    admin = enrol.cflex_admin()
    from credentials.services.bulk import bulk_download_request

    download = bulk_download_request(actor=admin, batch_id=batch.pk)  # not built: 404 comes first
    learner = Credential.objects.filter(offering_id=batch.offering_id).first().learner
    for person in (learner, enrol.instructor()):
        client.force_login(person)
        for name in ("zip", "zip_status", "zip_file"):
            assert client.get(reverse(f"credentials:{name}", args=[download.pk])).status_code == 404
        assert client.post(reverse("credentials:zip_request", args=[batch.pk])).status_code == 404
        assert client.post(reverse("credentials:resend", args=[batch.pk])).status_code == 404
    with pytest.raises(ApplicationError) as error:
        credential_emails_resend(actor=learner, batch_id=batch.pk)
    assert error.value.status == 404


def test_bulk_resend_sends_each_learner_one_email_after_commit(client, batch, django_capture_on_commit_callbacks):
    admin = enrol.cflex_admin()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(reverse("credentials:resend", args=[batch.pk])).status_code == 302
    assert len(callbacks) == 2  # one send per learner, queued after commit
    with django_capture_on_commit_callbacks(execute=False) as again:
        assert credential_emails_resend(actor=admin, batch_id=batch.pk) == 0  # idempotent on a day
    assert again == []
    notes = Notification.objects.filter(template="credential_ready", dedupe_key__contains=":resend:")
    assert notes.count() == 2
    assert {n.recipient_id for n in notes} == set(
        Credential.objects.filter(offering_id=batch.offering_id).values_list("learner_id", flat=True)
    )
    assert AuditEvent.objects.filter(action="credential.resend").count() == 2

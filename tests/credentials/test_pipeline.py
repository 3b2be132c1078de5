"""Issuance at scale (issue 15): PDFs render on their own queue and never hold anyone up (a PDF
not rendered yet is rendered when asked for, once), workers load fonts as they start, the batch
page shows issued and rendered apart, and the stale sweep sends a dead worker's requests again
within a minute, once (R-CR-1)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from kombu import Queue

from core import pdf as core_pdf
from credentials import tasks
from credentials.models import Credential, IssuanceRequest
from credentials.services import (
    credential_issue,
    credential_pdf,
    credential_render,
    issuance_attempt,
    issuance_stale_requeue,
)
from credentials.services.issuance import LOST_MESSAGE_MINUTES, STALE_ATTEMPT_SECONDS
from mcportal.celery import app
from tests.credentials.builders import approved_offering, issued
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db


def test_rendering_has_its_own_queue_and_issuance_does_not_render(django_capture_on_commit_callbacks, monkeypatch):
    assert app.amqp.router.route({}, "credentials.render")["queue"].name == settings.CELERY_RENDER_QUEUE == "render"
    assert app.amqp.router.route({}, "credentials.issue")["queue"].name == "celery"
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.credential_render_task, "delay", sent.append)
    offering, _ = approved_offering()
    request = IssuanceRequest.objects.get(offering_id=offering.pk)
    with django_capture_on_commit_callbacks(execute=True):
        credential = credential_issue(request_id=request.pk)
    credential.refresh_from_db()
    assert sent == [[credential.pk]]  # queued for the render workers, after commit
    assert not credential.certificate_pdf and not credential.mms_pdf  # issuance did not wait for it


def test_a_pdf_not_rendered_yet_is_rendered_when_asked_for_and_kept():
    credential = issued()
    assert not credential.certificate_pdf
    pdf = credential_pdf(credential, "certificate")
    assert pdf.startswith(b"%PDF")
    credential.refresh_from_db()
    assert credential.certificate_pdf and not credential.mms_pdf  # only the one asked for
    assert credential.notified_at is None  # the learner is told by the render queue's task
    kept = credential.certificate_pdf.name
    assert credential_pdf(credential, "certificate") == pdf  # served from the kept file
    credential_render(credential_id=credential.pk)  # the queue's task arrives later
    credential.refresh_from_db()
    assert credential.certificate_pdf.name == kept and credential.mms_pdf  # kept, not rendered again
    assert credential.notified_at is not None


def test_the_first_kept_pdf_wins_when_two_render_at_once(monkeypatch):
    # The render worker and a learner render the same PDF at the same moment: one file is kept.
    from credentials.services import issuance

    credential = issued()
    stale = Credential.objects.get(pk=credential.pk)  # loaded before either kept a file
    credential_pdf(credential, "mms")
    credential.refresh_from_db()
    first = credential.mms_pdf.name
    kept = issuance._render_and_keep(stale, "mms")
    assert kept.mms_pdf.name == first
    assert Credential.objects.get(pk=credential.pk).mms_pdf.name == first


def test_learner_download_does_not_wait_for_the_batch(client):
    holder = enrol.learner()
    credential = issued(learner=holder)
    client.force_login(holder)
    response = client.get(reverse("credentials:download", args=[credential.verification_id, "certificate"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert Credential.objects.get(pk=credential.pk).certificate_pdf


def test_workers_that_render_load_the_fonts_as_they_start(monkeypatch):
    warmed: list[str] = []
    monkeypatch.setattr("credentials.pdf.warm_up", lambda: warmed.append("warm"))
    queues = app.amqp.queues
    monkeypatch.setattr(queues, "_consume_from", {"celery": Queue("celery")})  # -Q celery
    tasks._load_fonts()
    assert warmed == []  # an issuance-only worker does not
    monkeypatch.setattr(queues, "_consume_from", {"celery": Queue("celery"), "render": Queue("render")})
    tasks._load_fonts()
    assert warmed == ["warm"]


def test_warm_up_fills_this_threads_font_configuration():
    from credentials.pdf import warm_up

    seen = {}

    def run():
        assert getattr(core_pdf._local, "font_config", None) is None
        warm_up()
        seen["config"] = core_pdf._local.font_config

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen["config"] is not None


def test_batch_page_shows_issued_and_rendered_apart(client):
    offering, _ = approved_offering(passing=2)
    first, second = IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk")
    rendered = credential_issue(request_id=first.pk)
    credential_issue(request_id=second.pk)
    credential_render(credential_id=rendered.pk)
    client.force_login(enrol.cflex_admin())
    html = client.get(reverse("credentials:batch", args=[first.batch_id])).content.decode()
    assert "2 of 2 issued" in html
    assert "1 of 2 issued credentials have their certificate and statement rendered" in html
    assert "Every learner can already download their certificate" in html
    assert 'hx-trigger="every 2s"' in html  # still following the rendering
    api = client.get(f"/api/v1/credentials/batches/{first.batch_id}/").json()
    assert (api["done"], api["rendered"], api["finished"], api["all_rendered"]) == (2, 1, True, False)


def _requests(count: int) -> list[IssuanceRequest]:
    offering, _ = approved_offering(passing=count)
    return list(IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk"))


def test_a_dead_workers_request_is_sent_again_within_a_minute_and_once():
    # DOMAIN R-CR-1: a worker killed mid-task leaves its request pending with attempted_at set.
    (request,) = _requests(1)
    issuance_attempt(request_ids=[request.pk])
    started = IssuanceRequest.objects.get(pk=request.pk).attempted_at
    assert issuance_stale_requeue(now=started + timedelta(seconds=5)) == []  # a live worker may hold it
    later = started + timedelta(seconds=STALE_ATTEMPT_SECONDS + 1)
    assert issuance_stale_requeue(now=later) == [request.pk]
    assert issuance_stale_requeue(now=later + timedelta(seconds=15)) == []  # sent once, not every sweep
    # A worker takes it up and dies again: it is sent again.
    IssuanceRequest.objects.filter(pk=request.pk).update(attempted_at=later + timedelta(seconds=20))
    assert issuance_stale_requeue(now=later + timedelta(seconds=20 + STALE_ATTEMPT_SECONDS + 1)) == [request.pk]
    # Found by the next sweep: re-run within a minute of the worker's death.
    assert STALE_ATTEMPT_SECONDS + settings.CELERY_BEAT_SCHEDULE["credentials.requeue_stale"]["schedule"] <= 60


def test_a_lost_message_is_sent_again_and_issued_requests_never(monkeypatch):
    done, lost, fresh = _requests(3)  # the issued one first: the others were queued after it
    now = timezone.now()
    IssuanceRequest.objects.filter(pk=lost.pk).update(requested_at=now - timedelta(minutes=LOST_MESSAGE_MINUTES + 1))
    IssuanceRequest.objects.filter(pk=fresh.pk).update(requested_at=now - timedelta(minutes=1))  # still queued
    IssuanceRequest.objects.filter(pk=done.pk).update(
        requested_at=now - timedelta(hours=1), attempted_at=now - timedelta(hours=1)
    )
    credential_issue(request_id=done.pk)
    assert issuance_stale_requeue(now=now) == [lost.pk]  # not the fresh one, nor the issued one
    assert issuance_stale_requeue(now=now + timedelta(minutes=1)) == []
    later = now + timedelta(minutes=LOST_MESSAGE_MINUTES + 1)
    assert issuance_stale_requeue(now=later) == [lost.pk, fresh.pk]  # both waited too long
    # The beat task sends what the sweep found to the issuing queue.
    IssuanceRequest.objects.filter(pk=fresh.pk).update(requeued_at=None, attempted_at=now - timedelta(minutes=2))
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.credential_issue_task, "apply_async", lambda args, **_: sent.append(args[0]))
    assert tasks.credential_requeue_stale() == 1
    assert sent == [[fresh.pk]]


def test_a_request_a_dead_worker_took_but_never_started_is_sent_again():
    # Delivered to a worker that died before starting it: a later request of the batch started
    # over STALE_ATTEMPT_SECONDS ago, this one never did.
    taken, later_one, waiting = _requests(3)
    assert waiting.pk > later_one.pk
    issuance_attempt(request_ids=[later_one.pk])
    started = IssuanceRequest.objects.get(pk=later_one.pk).attempted_at
    assert issuance_stale_requeue(now=started + timedelta(seconds=5)) == []
    swept = issuance_stale_requeue(now=started + timedelta(seconds=STALE_ATTEMPT_SECONDS + 1))
    assert swept == [taken.pk, later_one.pk]  # not ``waiting``: queued after, not overtaken

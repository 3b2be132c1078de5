"""The public verification of the portal's own credentials: the proof checked once at issue and
recorded, status bits read from the list rows, no write and no canonicalisation on a GET; every
door agrees with the full check (R-CR-3, R-CR-5; decision 0121)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import ApplicationError
from credentials import hits
from credentials.models import Credential, VerificationHit
from credentials.services import (
    credential_status_change,
    credential_verdict,
    credential_verify_document,
    verification_count,
    verification_counts_flush,
)
from credentials.services import verification as verification_module
from tests.credentials.builders import issued
from tests.enrolment import builders as enrol
from transfer.services.credentials import _verify_badge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def credential():
    return issued()


@pytest.fixture
def no_canonicalising(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a public GET must not re-verify a stored proof")

    monkeypatch.setattr(verification_module.ld, "verify", refuse)


def test_a_verify_hit_reads_one_query_writes_nothing_and_canonicalises_nothing(
    client, credential, django_assert_num_queries, no_canonicalising
):
    url = reverse("credentials:verify", args=[credential.verification_id])
    # A first view (decision 0255): the credential, its successor and its two status bits in one query.
    with django_assert_num_queries(1) as queries:
        response = client.get(url)
    assert response.status_code == 200 and 'data-verdict="valid"' in response.content.decode()
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements == ["SELECT"]
    assert "credentials_statuslist" in queries.captured_queries[0]["sql"]
    with django_assert_num_queries(1) as queries:  # again: the page as kept; this process reads the lists' versions
        again = client.get(url)
    assert "credentials_statuslist" in queries.captured_queries[0]["sql"]
    assert "bits" not in queries.captured_queries[0]["sql"]
    assert again.content.replace(b"\n", b"") and 'data-verdict="valid"' in again.content.decode()
    with django_assert_num_queries(0):  # and again within VERIFY_STATUS_SECONDS: the kept bytes, no query
        third = client.get(url)
    assert third.content == again.content
    with django_assert_num_queries(2):
        assert client.get(reverse("api-credential-status", args=[credential.verification_id])).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(reverse("credentials:verify_json", args=[credential.verification_id])).status_code == 200


@pytest.mark.parametrize("action", [None, "suspend", "revoke"])
def test_every_door_reaches_the_same_verdict(client, credential, action):
    # DOMAIN R-CR-5: the page, the API by id, the upload (file), the API upload, the full check
    # and credit transfer's evidence check agree.
    if action:
        credential_status_change(actor=enrol.cflex_admin(), credential_id=credential.pk, action=action, reason="x")
    credential.refresh_from_db()
    expected = {None: "valid", "suspend": "suspended", "revoke": "revoked"}[action]
    page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert f'data-verdict="{expected}"' in page
    by_id = client.get(reverse("api-credential-status", args=[credential.verification_id])).json()
    assert (by_id["verdict"], by_id["issuer_is_portal"]) == (expected, True)
    body = json.dumps(credential.document)
    posted = client.post(reverse("api-credential-verify"), body, content_type="application/json").json()
    assert (posted["verdict"], posted["issuer_is_portal"]) == (expected, True)
    upload = SimpleUploadedFile("credential.json", body.encode(), content_type="application/json")
    uploaded = client.post(reverse("credentials:verify_lookup"), {"file": upload}).content.decode()
    assert f'data-verdict="{expected}"' in uploaded
    assert credential_verdict(credential).verdict == credential_verify_document(credential.document).verdict == expected
    with pytest.raises(ApplicationError) as refused:  # transfer: ours and valid is listed already; else refused
        _verify_badge(credential.document)
    assert refused.value.code == ("badge_from_this_portal" if expected == "valid" else f"badge_{expected}")


@pytest.fixture
def clock(monkeypatch):
    """This process's clock for re-reading the status lists' versions, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(hits, "_clock", lambda: now[0])
    return now


@pytest.mark.parametrize("action", ["revoke", "suspend"])
def test_a_kept_page_is_not_served_once_its_status_changed_elsewhere(
    client, credential, action, django_capture_on_commit_callbacks, clock, settings
):
    # DOMAIN R-CR-5. Another process changes the status: this process's kept page is not told
    # (no callback here). It reads its status lists' versions again once VERIFY_STATUS_SECONDS
    # have passed, finds the list changed, reads the bits and renders the page again.
    assert settings.VERIFY_STATUS_SECONDS == 1.0
    url = reverse("credentials:verify", args=[credential.verification_id])
    assert 'data-verdict="valid"' in client.get(url).content.decode()
    assert 'data-verdict="valid"' in client.get(url).content.decode()  # kept; the versions read now
    with django_capture_on_commit_callbacks(execute=False):
        credential_status_change(actor=None, credential_id=credential.pk, action=action, reason="Elsewhere")
    clock[0] += settings.VERIFY_STATUS_SECONDS
    expected = {"revoke": "revoked", "suspend": "suspended"}[action]
    page = client.get(url).content.decode()
    assert f'data-verdict="{expected}"' in page and "Elsewhere" in page
    assert client.get(url).content.decode() == page  # kept again, as it is now


def test_a_kept_page_is_served_until_the_lists_are_read_again_and_no_longer(
    client, credential, django_capture_on_commit_callbacks, clock, django_assert_num_queries
):
    # The bound, both ways: just short of VERIFY_STATUS_SECONDS after this process last read the
    # versions, the kept page is served without a query; at the bound, the revocation shows.
    url = reverse("credentials:verify", args=[credential.verification_id])
    client.get(url)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=False):
        credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason="Elsewhere")
    clock[0] += 0.9
    with django_assert_num_queries(0):
        assert 'data-verdict="valid"' in client.get(url).content.decode()
    clock[0] += 0.1
    with django_assert_num_queries(3):  # the versions, the kept page's bits (changed), then the credential and its bits
        assert 'data-verdict="revoked"' in client.get(url).content.decode()


def test_a_kept_page_stays_kept_when_another_credential_of_its_list_changes(
    client, credential, django_capture_on_commit_callbacks, clock, django_assert_num_queries
):
    # A page is kept with the state a repeat view compares: the credential's last status change
    # as the database gives it and its bits. Here a credential once suspended and reinstated (so
    # it has a change time); another credential of its list is revoked elsewhere; the repeat view
    # reads the versions, then this credential's state, finds it unchanged and serves the kept page.
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("suspend", "reinstate"):
            credential_status_change(actor=None, credential_id=credential.pk, action=action, reason="Checked")
    other = issued()
    hits.reset()
    url = reverse("credentials:verify", args=[credential.verification_id])
    first = client.get(url).content.decode()
    assert 'data-verdict="valid"' in first
    with django_capture_on_commit_callbacks(execute=False):
        credential_status_change(actor=None, credential_id=other.pk, action="revoke", reason="Elsewhere")
    clock[0] += 1.0
    with django_assert_num_queries(2):  # the versions, this credential's state: no third read, no render
        assert client.get(url).content.decode() == first


def test_a_status_change_in_this_process_shows_at_once(client, credential, django_capture_on_commit_callbacks):
    # DOMAIN R-CR-5: the process that revokes forgets its kept pages of the credential on commit.
    url = reverse("credentials:verify", args=[credential.verification_id])
    client.get(url)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason="Here")
    page = client.get(url).content.decode()
    assert 'data-verdict="revoked"' in page and "Here" in page


def test_the_kept_page_is_the_same_bytes_for_everyone_with_no_csrf_token(client, credential):
    # Nothing per visitor in the kept page: no CSRF token, no cookie set; its language switch is
    # a GET form to the language route, which sets the cookie and comes back (decision 0235).
    url = reverse("credentials:verify", args=[credential.verification_id])
    first, second = client.get(url), client.get(url)
    assert first.content == second.content
    assert "csrftoken" not in first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    assert "X-CSRFToken" not in first.content.decode()
    assert f'<form class="lang-switch" method="get" action="{reverse("language_choose")}">' in first.content.decode()
    switched = client.get(reverse("language_choose"), {"language": "ms", "next": url})
    assert (switched.status_code, switched["Location"], switched.cookies["django_language"].value) == (302, url, "ms")
    page = client.get(url).content.decode()
    assert '<html lang="ms">' in page and 'data-verdict="valid"' in page
    assert "Kredensial sah, dikeluarkan oleh UNIMAS" in page


def test_a_logged_in_visitor_gets_the_post_language_picker_with_a_token(client, credential):
    client.force_login(enrol.cflex_admin())
    page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert 'method="post" action="/i18n/setlang/"' in page and "csrfmiddlewaretoken" in page


def test_the_page_relies_on_the_check_recorded_at_issue(client, credential, no_canonicalising):
    Credential.objects.filter(pk=credential.pk).update(signature_problem="signature does not match the content")
    page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert 'data-verdict="invalid"' in page and "signature does not match" in page


def test_a_credential_with_no_recorded_check_is_verified_in_full_without_writing(
    client, credential, django_assert_num_queries
):
    Credential.objects.filter(pk=credential.pk).update(signature_checked_at=None)
    # the first view's read of its columns, which finds no recorded check (decision 0265); the
    # credential with its bits (one query); its revocation list (signature checked); its
    # suspension bit (two reads)
    with django_assert_num_queries(5) as queries:
        page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert 'data-verdict="valid"' in page
    assert all(q["sql"].upper().startswith("SELECT") for q in queries.captured_queries)


def test_verifications_are_counted_in_the_cache_and_flushed_to_the_monthly_table(client, credential):
    for _ in range(3):
        client.get(reverse("credentials:verify", args=[credential.verification_id]))
    client.get(reverse("credentials:verify_json", args=[credential.verification_id]))
    assert not VerificationHit.objects.exists()
    assert verification_counts_flush() == 4
    assert dict(VerificationHit.objects.values_list("channel", "count")) == {"page": 3, "json": 1}
    verification_count("page")
    assert verification_counts_flush() == 1
    assert verification_counts_flush() == 0
    assert VerificationHit.objects.get(channel="page").count == 4


def test_limits_and_counts_are_shared_between_processes_through_redis(settings, monkeypatch):
    # Two processes (two sets of local counts) against one Redis: each enforces the shared total
    # plus its own unsent count, and the monthly count adds both up (decision 0121).
    import os
    import uuid
    from datetime import date

    import redis

    from credentials import hits

    url = os.environ.get("CELERY_BROKER_URL", "")
    url = url if url.startswith("redis://") else "redis://127.0.0.1:6379/3"
    client = redis.Redis.from_url(url)
    client.ping()  # Redis must be there: this is about Redis, never a fallback
    prefix = f"mcportal:test:{uuid.uuid4().hex}:"
    monkeypatch.setattr(hits, "PREFIX", prefix)
    settings.CACHE_URL = url
    settings.VERIFY_RATE_PER_CREDENTIAL = "5/m"
    settings.VERIFY_SYNC_SECONDS = 0
    month = date(2026, 12, 1)
    try:
        first = [hits.record(credential_key="c1", channel="page", month=month) for _ in range(3)]
        monkeypatch.setattr(hits, "_COUNTS", hits._Counts())  # another process
        second = [hits.record(credential_key="c1", channel="page", month=month) for _ in range(3)]
        assert (first, second) == ([False] * 3, [False, False, True])
        assert hits.record(credential_key="c2", channel="json", month=month) is False  # another credential
        assert hits.take_count("page", month) == 6 and hits.take_count("json", month) == 1
        assert hits.take_count("page", month) == 0
    finally:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)

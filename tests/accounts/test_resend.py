"""Unconfirmed accounts are told to confirm first and can ask for a new link; the resend form
answers the same whatever the address, and is rate-limited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.services import learner_register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kuching-river-2026"


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _resend(client, email: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("register-resend"), {"email": email})


def test_unconfirmed_account_with_the_right_password_is_told_to_confirm_first(client):
    learner_register(email="waiting@example.test", full_name="Aminah Binti Osman", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "Waiting@Example.test", "password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirm your email address first" in html
    assert f'href="{reverse("register-resend")}?email=Waiting%40Example.test"' in html
    assert "_auth_user_id" not in client.session


def test_unconfirmed_account_with_a_wrong_password_learns_nothing(client):
    learner_register(email="waiting@example.test", full_name="Aminah Binti Osman", password=PASSWORD)
    waiting = client.post(reverse("login"), {"username": "waiting@example.test", "password": "wrong-password"})
    nobody = client.post(reverse("login"), {"username": "nobody@example.test", "password": "wrong-password"})
    for response in (waiting, nobody):
        assert "Confirm your email" not in response.content.decode()
        assert response.context["form"].errors.as_data()["__all__"][0].code == "invalid_login"


def test_login_page_in_malay_says_confirm_first(client):
    learner_register(email="waiting@example.test", full_name="Aminah Binti Osman", password=PASSWORD)
    client.cookies["django_language"] = "ms"
    html = client.post(reverse("login"), {"username": "waiting@example.test", "password": PASSWORD}).content.decode()
    assert "Sahkan alamat e-mel anda dahulu" in html


def _answer(response):
    return re.search(
        r'<p class="message" role="status" id="resend-sent">(.*?)</p>', response.content.decode(), re.S
    ).group(1)


def test_resend_mails_a_waiting_account_and_answers_everyone_alike(client, django_capture_on_commit_callbacks):
    learner_register(email="waiting@example.test", full_name="Aminah Binti Osman", password=PASSWORD)
    UserFactory(email="active@example.test")
    answers = {}
    for email in ("waiting@example.test", "active@example.test", "nobody@example.test"):
        response = _resend(client, email, django_capture_on_commit_callbacks)
        assert response.status_code == 200
        answers[email] = _answer(response).replace(email, "EMAIL")
    assert len(set(answers.values())) == 1
    assert [m.to for m in mail.outbox] == [["waiting@example.test"]]
    assert "/register/confirm/" in mail.outbox[0].body


def test_resend_is_limited_per_email(client, django_capture_on_commit_callbacks):
    learner_register(email="waiting@example.test", full_name="Aminah Binti Osman", password=PASSWORD)
    for _ in range(3):
        assert _resend(client, "waiting@example.test", django_capture_on_commit_callbacks).status_code == 200
    refused = _resend(client, "waiting@example.test", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert len(mail.outbox) == 3
    # Another address from the same client is still served.
    assert _resend(client, "other@example.test", django_capture_on_commit_callbacks).status_code == 200


def test_resend_is_limited_per_client_address(client, django_capture_on_commit_callbacks):
    for n in range(10):
        assert _resend(client, f"person{n}@example.test", django_capture_on_commit_callbacks).status_code == 200
    assert _resend(client, "one.more@example.test", django_capture_on_commit_callbacks).status_code == 429
    # Another client address is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        other = client.post(reverse("register-resend"), {"email": "one.more@example.test"}, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from accounts.rules import is_learner

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Siti Nur Aisyah Binti Ali",
    "email": "Siti.Aisyah@Example.com",
    "password1": "kuching-river-2026",
    "password2": "kuching-river-2026",
}


def _register(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("register"), {**FORM, **overrides})


def test_learner_registers_confirms_email_and_is_logged_in(client, django_capture_on_commit_callbacks):
    response = _register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    user = User.objects.get(email="siti.aisyah@example.com")
    assert not user.is_active
    assert user.role_assignments.get().role == Role.LEARNER
    # Cannot log in before confirming.
    assert not client.login(username="siti.aisyah@example.com", password=FORM["password1"])

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/register/confirm/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active and is_learner(user)
    assert response.context["user"] == user
    assert b'data-role="learner"' in response.content


def test_confirmation_link_with_a_bad_token_is_refused(client, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks)
    link = re.search(r"https?://\S+/register/confirm/\S+/", mail.outbox[0].body).group(0)
    bad = link.rstrip("/")[:-3] + "xyz/"
    response = client.get(bad)
    assert response.status_code == 400
    assert b'data-error-code="confirmation_invalid"' in response.content
    assert not User.objects.get(email="siti.aisyah@example.com").is_active


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something-else-entirely"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"email": "not-an-email"}, "email"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_bad_registration_input_is_400_naming_the_field_and_keeps_the_input(
    client, django_capture_on_commit_callbacks, overrides, field
):
    response = _register(client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not User.objects.exists()
    assert mail.outbox == []
    # What was typed (except passwords) is still in the form.
    if field != "full_name":
        assert FORM["full_name"].encode() in response.content


def test_existing_email_is_a_conflict_naming_the_field(client, django_capture_on_commit_callbacks):
    User.objects.create_user(email="siti.aisyah@example.com", password="x-long-password", full_name="Siti")
    response = _register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1


def test_password_reset_sends_a_working_link(client):
    User.objects.create_user(email="learner@example.com", password="old-password-123", full_name="L")
    response = client.post(reverse("password_reset"), {"email": "learner@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "new-password-456!", "new_password2": "new-password-456!"})
    assert response.status_code == 302
    assert client.login(username="learner@example.com", password="new-password-456!")


def test_login_is_by_email_case_insensitively(client):
    User.objects.create_user(email="dean@example.com", password="the-password-1", full_name="Dean")
    response = client.post(reverse("login"), {"username": "Dean@Example.com", "password": "the-password-1"})
    assert response.status_code == 302
    assert response.url == reverse("home")

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
    assert client.get(link).status_code == 200  # a page with a button: opening the link confirms nothing
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link, follow=True)
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


def _sent_text(response, email):
    html = response.content.decode()
    return re.search(r'<p id="register-sent">(.*?)</p>', html, re.S).group(1).replace(email, "EMAIL")


def test_registering_an_existing_address_answers_exactly_as_a_new_one(client, django_capture_on_commit_callbacks):
    """Issue 12: the form never tells whether an address has an account (it said 409 "already
    exists"); the address's owner gets a mail instead."""
    owner = User.objects.create_user(email="siti.aisyah@example.com", password="x-long-password", full_name="Siti")
    taken = _register(client, django_capture_on_commit_callbacks)
    new = _register(client, django_capture_on_commit_callbacks, email="someone.new@example.com")
    assert taken.status_code == new.status_code == 200
    assert _sent_text(taken, FORM["email"]) == _sent_text(new, "someone.new@example.com")
    assert User.objects.filter(email__iexact="siti.aisyah@example.com").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("x-long-password")  # nothing about the account changed
    to_owner = [m for m in mail.outbox if m.to == ["siti.aisyah@example.com"]]
    assert len(to_owner) == 1
    assert "tried to register" in to_owner[0].subject
    assert "/accounts/password-reset/" in to_owner[0].body
    assert "/register/confirm/" not in to_owner[0].body


def test_registering_again_before_confirming_sends_the_link_again(client, django_capture_on_commit_callbacks):
    _register(client, django_capture_on_commit_callbacks)
    again = _register(
        client, django_capture_on_commit_callbacks, password1="other-pass-2026!", password2="other-pass-2026!"
    )
    assert again.status_code == 200
    assert len(mail.outbox) == 2 and "/register/confirm/" in mail.outbox[1].body
    user = User.objects.get(email="siti.aisyah@example.com")
    assert user.check_password(FORM["password1"])  # the second visitor's password is not taken


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

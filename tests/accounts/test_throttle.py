"""Login throttling (issue 12, django-axes): the portal's and the admin's log-in, per account and
per client address, a temporary lockout with a clear message and one audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def _log_in(client, email: str, password: str, *, address: str = HOME, url: str | None = None):
    return client.post(url or reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def _fail(client, email: str, times: int, **kwargs) -> None:
    for _ in range(times):
        response = _log_in(client, email, "a-wrong-password", **kwargs)
        assert response.status_code in {200, 429}


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _locked(response) -> bool:
    return response.status_code == 429 and b'data-error-code="login_locked_out"' in response.content


def test_after_the_limit_even_the_right_password_is_refused_on_the_portal(client):
    user = UserFactory(email="siti@example.test", password=PASSWORD)
    _fail(client, "siti@example.test", settings.AXES_FAILURE_LIMIT - 1)
    assert not AuditEvent.objects.filter(action="login.locked_out").exists()
    assert _locked(_log_in(client, "siti@example.test", "still-wrong"))  # the 5th failure locks it...
    response = _log_in(client, "siti@example.test", PASSWORD)  # ...so the right password is refused
    assert _locked(response)
    assert "paused for 15 minutes" in response.content.decode()
    assert not _logged_in(client)
    events = AuditEvent.objects.filter(action="login.locked_out")
    assert events.count() == 1  # one event when the lockout starts, not one per refused try
    event = events.get()
    assert (event.object_id, event.data["login"], event.data["address"]) == (str(user.pk), "portal", HOME)


def test_the_account_is_locked_from_every_address_but_other_accounts_are_not(client):
    UserFactory(email="siti@example.test", password=PASSWORD)
    UserFactory(email="ahmad@example.test", password=PASSWORD)
    _fail(client, "siti@example.test", settings.AXES_FAILURE_LIMIT)
    assert _locked(_log_in(client, "siti@example.test", PASSWORD, address=ELSEWHERE))
    response = _log_in(client, "ahmad@example.test", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302 and _logged_in(client)


def test_one_account_is_one_account_however_its_email_is_typed(client):
    UserFactory(email="siti@example.test", password=PASSWORD)
    for typed in (
        "Siti@Example.test",
        "SITI@EXAMPLE.TEST",
        " siti@example.test",
        "siti@EXAMPLE.test",
        "sItI@example.test",
    ):
        _log_in(client, typed, "a-wrong-password")
    assert _locked(_log_in(client, "siti@example.test", PASSWORD))


def test_an_address_guessing_across_accounts_is_locked_and_others_are_not(client):
    """A spray: a few guesses on many accounts from one address. The address limit is higher than
    the account's (many honest people share a campus or mobile address)."""
    victims = [UserFactory(email=f"person{n}@example.test", password=PASSWORD) for n in range(8)]
    spray = settings.LOGIN_FAILURES_PER_ADDRESS
    for n in range(spray):
        _log_in(client, victims[n % len(victims)].email, f"guess-{n}")  # 3 to 4 per account: no account locked
    fresh = UserFactory(email="fresh@example.test", password=PASSWORD)
    assert _locked(_log_in(client, fresh.email, PASSWORD))  # this address is locked
    response = _log_in(client, fresh.email, PASSWORD, address=ELSEWHERE)  # that account elsewhere is not
    assert response.status_code == 302 and _logged_in(client)
    event = AuditEvent.objects.get(action="login.locked_out")
    assert event.data["address"] == HOME


def test_below_the_address_limit_a_shared_address_keeps_working(client):
    learners = [UserFactory(email=f"learner{n}@example.test", password=PASSWORD) for n in range(10)]
    for learner in learners:  # ten people behind one campus address each mistype twice
        _fail(client, learner.email, 2)
    response = _log_in(client, learners[0].email, PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_the_lockout_ends_after_its_time(client):
    UserFactory(email="siti@example.test", password=PASSWORD)
    _fail(client, "siti@example.test", settings.AXES_FAILURE_LIMIT)
    assert _locked(_log_in(client, "siti@example.test", PASSWORD))
    # Fourteen minutes after the last try: still locked (every try restarted the wait).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert _locked(_log_in(client, "siti@example.test", PASSWORD))
    # Sixteen minutes of quiet: the lockout is over.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = _log_in(client, "siti@example.test", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_the_lockout_message_is_in_malay_too(client):
    UserFactory(email="siti@example.test", password=PASSWORD)
    client.cookies["django_language"] = "ms"
    _fail(client, "siti@example.test", settings.AXES_FAILURE_LIMIT)
    html = _log_in(client, "siti@example.test", PASSWORD).content.decode()
    assert "Terlalu banyak log masuk yang gagal" in html
    assert "15 minit" in html


def test_the_admin_login_is_throttled_too(client):
    admin = user_with_role(Role.CFLEX_ADMIN, email="cflex.admin@example.test", password=PASSWORD)
    other = user_with_role(Role.CFLEX_ADMIN, email="other.admin@example.test", password=PASSWORD)
    admin_login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _log_in(client, admin.email, "a-wrong-password", url=admin_login)
        assert response.status_code in {200, 429}
    response = _log_in(client, admin.email, PASSWORD, url=admin_login)
    assert _locked(response) and not _logged_in(client)
    event = AuditEvent.objects.get(action="login.locked_out")
    assert (event.object_id, event.data["login"]) == (str(admin.pk), "admin")
    # The portal's log-in counts against the same account: it is locked there too.
    assert _locked(_log_in(client, admin.email, PASSWORD))
    # Another administrator, from elsewhere, is not affected.
    response = _log_in(client, other.email, PASSWORD, address=ELSEWHERE, url=admin_login)
    assert response.status_code == 302 and _logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_is_throttled_per_address(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    admin = user_with_role(Role.CFLEX_ADMIN, email="cflex.admin@example.test", password=PASSWORD)
    for n in range(6):
        _log_in(client, f"guess{n}@example.test", "a-wrong-password", url=reverse("admin:login"))
    assert _locked(_log_in(client, admin.email, PASSWORD, url=reverse("admin:login")))
    response = _log_in(client, admin.email, PASSWORD, address=ELSEWHERE, url=reverse("admin:login"))
    assert response.status_code == 302


def test_below_the_limit_the_right_password_still_works(client):
    UserFactory(email="siti@example.test", password=PASSWORD)
    _fail(client, "siti@example.test", settings.AXES_FAILURE_LIMIT - 1)
    response = _log_in(client, "siti@example.test", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)

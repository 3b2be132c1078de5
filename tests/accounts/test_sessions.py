"""Sessions end after a time without activity (30 minutes for staff, 2 hours for learners by
default) and after an absolute lifetime (12 hours), whatever the activity (issue 12)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.sessions import IDLE_LIMIT, LAST_SEEN, STARTED
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _age(client, *, idle_minutes: float = 0, since_login_hours: float = 0) -> None:
    """As if the last request was ``idle_minutes`` ago and the log-in ``since_login_hours`` ago."""
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - int(idle_minutes * 60)
    session[STARTED] = now - int(since_login_hours * 3600)
    session.save()


def _logged_in(client) -> bool:
    return client.get(reverse("api-me")).status_code == 200


@pytest.fixture
def staff(db):
    return user_with_role(Role.CFLEX_REVIEWER)


@pytest.fixture
def learner(db):
    return user_with_role(Role.LEARNER)


def test_log_in_records_the_limits_by_role(client, staff, learner):
    client.force_login(staff)
    assert client.session[IDLE_LIMIT] == 30 * 60
    client.force_login(learner)
    assert client.session[IDLE_LIMIT] == 120 * 60


def test_staff_are_logged_out_after_30_idle_minutes(client, staff):
    client.force_login(staff)
    _age(client, idle_minutes=29)
    assert _logged_in(client)
    _age(client, idle_minutes=31)
    response = client.get(reverse("home"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "logged out after 30 minutes without activity" in response.content.decode()
    assert not _logged_in(client)


def test_learners_get_a_longer_idle_time(client, learner):
    client.force_login(learner)
    _age(client, idle_minutes=31)
    assert _logged_in(client)
    _age(client, idle_minutes=121)
    assert not _logged_in(client)


def test_activity_keeps_the_session_but_not_past_its_lifetime(client, learner):
    client.force_login(learner)
    _age(client, idle_minutes=5, since_login_hours=11.9)
    assert _logged_in(client)
    assert int(time.time()) - client.session[LAST_SEEN] < 5  # the request counted as activity
    _age(client, idle_minutes=0, since_login_hours=12.1)
    response = client.get(reverse("home"))
    assert "_auth_user_id" not in client.session
    assert not _logged_in(client)
    assert response.status_code == 200


def test_the_limits_come_from_settings(client, staff, settings):
    settings.SESSION_IDLE_MINUTES_STAFF = 5
    client.force_login(staff)
    _age(client, idle_minutes=6)
    assert not _logged_in(client)


def test_the_cookie_lives_no_longer_than_the_session(client, learner, settings):
    client.force_login(learner)
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert client.session.get_expiry_age() <= 12 * 3600
    assert response.status_code == 200


def test_a_session_from_before_the_limits_starts_counting_now(client, learner):
    client.force_login(learner)
    session = client.session
    for key in (STARTED, LAST_SEEN, IDLE_LIMIT):
        del session[key]
    session.save()
    assert _logged_in(client)
    assert client.session[IDLE_LIMIT] == 120 * 60

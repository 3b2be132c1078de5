"""Every demo login printed by bin/portal works through the login view and shows its role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.demo import DEMO_PASSWORD, DEMO_USERS, DemoUser, demo_seed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("demo_user", DEMO_USERS, ids=[u.email_local for u in DEMO_USERS])
def test_demo_user_logs_in_and_sees_their_role_panel(client, demo_user: DemoUser):
    demo_seed()
    response = client.post(reverse("login"), {"username": demo_user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    html = client.get(reverse("home")).content.decode()
    assert f'data-role="{demo_user.role.value}"' in html
    assert demo_user.full_name in html


def test_wrong_password_is_refused_with_the_form_again(client):
    demo_seed()
    response = client.post(reverse("login"), {"username": DEMO_USERS[0].email, "password": "not-the-password"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert "_auth_user_id" not in client.session

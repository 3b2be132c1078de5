"""Two-factor authentication for the admin site (issue 12, django-otp TOTP): when required
(ADMIN_REQUIRE_2FA, on in production), staff without a verified authenticator code cannot use
/admin/; with a code from their app, they can."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.views import TWO_FACTOR_SESSION_KEY
from audit.models import AuditEvent
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


def _code(device: TOTPDevice, later: int = 0) -> str:
    """What the person's authenticator app shows now, or ``later`` 30-second steps from now
    (RFC 6238, with the device's own parameters). A code once used is never accepted again."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + later)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def required(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.fixture
def staff(db):
    return user_with_role(Role.CFLEX_ADMIN, email="cflex.admin@example.test", password=PASSWORD)


def _admin_login(client, email: str, password: str, token: str = ""):
    return client.post(
        reverse("admin:login"), {"username": email, "password": password, "otp_token": token, "next": "/admin/"}
    )


def test_required_by_default_only_in_production():
    from mcportal import settings as portal_settings

    assert portal_settings.ADMIN_REQUIRE_2FA is portal_settings.PRODUCTION


def test_staff_without_a_verified_device_cannot_use_the_admin(client, required, staff):
    client.force_login(staff)  # a portal session (password only)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302
    # The password alone at the admin's log-in is not enough either.
    response = _admin_login(client, staff.email, PASSWORD)
    assert response.status_code == 200
    assert "Set up two-factor authentication first" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_set_up_an_app_then_log_in_to_the_admin_with_its_code(
    client, required, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    page = client.get(reverse("two-factor"))
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    assert not TOTPDevice.objects.exists()  # opening the page writes nothing
    app = TOTPDevice(key=client.session[TWO_FACTOR_SESSION_KEY])  # what the QR code gave the app

    wrong = client.post(reverse("two-factor"), {"token": "000000" if _code(app) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("two-factor"), {"token": _code(app)})
    assert done.status_code == 302 and done["Location"] == reverse("admin:index")
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed and device.key == app.key
    assert AuditEvent.objects.filter(action="user.two_factor_enable", object_id=str(staff.pk)).exists()
    assert mail.outbox[-1].to == [staff.email] and "Two-factor" in mail.outbox[-1].subject
    assert client.get(reverse("admin:index")).status_code == 200  # this session was verified by the code

    # A new session: password and a wrong code are refused, password and the right code let in.
    client.logout()
    device.refresh_from_db()
    assert _admin_login(client, staff.email, PASSWORD, "12345").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    assert _admin_login(client, staff.email, PASSWORD, _code(device)).status_code == 200  # a replayed code
    assert client.get(reverse("admin:index")).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp waits after a wrong code; the person waits too
    device.throttling_failure_timestamp = None
    device.save()
    # The code used at set-up is spent; the app's next code (within the allowed drift) works.
    response = _admin_login(client, staff.email, PASSWORD, _code(device, later=1))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_is_not_a_password(client, required, staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    response = _admin_login(client, staff.email, "a-wrong-password", _code(device))
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_another_persons_device_does_not_verify(client, required, staff):
    other = user_with_role(Role.CFLEX_ADMIN, email="other@example.test", password=PASSWORD)
    theirs = TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    response = client.post(
        reverse("admin:login"),
        {"username": staff.email, "password": PASSWORD, "otp_device": theirs.persistent_id, "otp_token": _code(theirs)},
    )
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_second_device_cannot_be_added_by_whoever_holds_the_password(client, required, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(staff)
    page = client.get(reverse("two-factor"))
    assert b'id="two-factor-on"' in page.content
    assert client.post(reverse("two-factor"), {"token": "123456"}).status_code == 200
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_the_setup_page_is_only_for_staff(client, required):
    learner = user_with_role(Role.LEARNER)
    client.force_login(learner)
    assert client.get(reverse("two-factor")).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_when_not_required_the_password_opens_the_admin(client, settings, staff):
    """Development (bin/portal's demo logins): the admin asks for no code."""
    settings.ADMIN_REQUIRE_2FA = False
    response = _admin_login(client, staff.email, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_codes_slow_the_next_tries_down(client, required, staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    _admin_login(client, staff.email, PASSWORD, "000000" if _code(device) != "000000" else "111111")
    response = _admin_login(client, staff.email, PASSWORD, _code(device))  # right, but too soon after a wrong one
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_device_pages_answer_404_for_a_device_that_does_not_exist(client, settings):
    """Issue 12: django-otp's device configuration and QR code pages raised DoesNotExist (a 500)
    for a missing id; a superuser now gets 404 there and the page for a real device."""
    settings.ADMIN_REQUIRE_2FA = False
    root = User.objects.create_superuser(email="root@example.test", password=PASSWORD, full_name="Root")
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    client.force_login(root)
    for view in ("config", "qrcode"):
        missing = client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk + 1000]))
        assert missing.status_code == 404, view
        assert client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])).status_code == 200, view

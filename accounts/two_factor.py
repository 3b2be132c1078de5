"""Two-factor authentication for the admin site: the services that set up a person's TOTP
device (an authenticator app), audited. The admin's log-in form checks the codes
(``accounts.admin_site``)."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind

DEVICE_NAME = "Authenticator app"


def two_factor_device(*, user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_pending(*, user: User, key: str) -> TOTPDevice:
    """The authenticator app being set up, not saved: its secret ``key`` waits in the person's
    session until they type a code the app shows (so opening the page writes nothing). Only staff
    with the admin site set one up; a second device is added by CFLEX removing the first (a lost
    phone), never by whoever holds the password."""
    if not user.is_staff:
        raise ApplicationError("two_factor_not_needed", _("Not found."), kind=ErrorKind.NOT_FOUND)
    if two_factor_device(user=user) is not None:
        raise ApplicationError(
            "two_factor_exists",
            _("Two-factor authentication is already set up. Ask CFLEX to remove it if you lost your phone."),
            kind=ErrorKind.CONFLICT,
        )
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


@transaction.atomic(durable=True)
def two_factor_confirm(*, user: User, key: str, token: str) -> TOTPDevice:
    """The code the app shows proves it holds the secret: the device is saved, confirmed and
    audited. A wrong code saves nothing."""
    User.objects.select_for_update().get(pk=user.pk)  # one set-up at a time per person
    device = two_factor_pending(user=user, key=key)
    device.save()
    if not device.verify_token((token or "").strip()):
        raise ApplicationError(
            "two_factor_code_wrong", _("That code is not right. Enter the code your app shows now."), field="token"
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="user.two_factor_enable", obj=user)
    return device


def two_factor_qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as a QR code (an SVG data URI, allowed by the CSP's img-src)."""
    out = BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def two_factor_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

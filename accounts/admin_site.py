"""The admin site, with two-factor authentication (TOTP, django-otp) when ``ADMIN_REQUIRE_2FA``
is on (the default in production; off in development so `bin/portal`'s demo logins work)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.sites import AdminSite
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice


class TwoFactorAdminLoginForm(OTPAdminAuthenticationForm):
    """Email, password and the 6-digit code of the person's authenticator app. The device is the
    person's one confirmed TOTP device, so there is nothing to choose."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Enter the 6-digit code from your authenticator app."),
        "invalid_token": _("That code is not right. Enter the code your app shows now."),
        "device_required": _(
            "Set up two-factor authentication first: log in on the portal and open Two-factor authentication."
        ),
        # django-otp waits longer after each wrong code.
        "n_failed_attempts": _("Too many wrong codes: wait a moment, then enter the code your app shows now."),
        "verification_not_allowed": _("Too many wrong codes: wait a moment, then enter the code your app shows now."),
    }

    def clean_otp(self, user: Any) -> None:
        # Reached only after the password was right: tell such a person how to get a code.
        if user is not None and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise forms.ValidationError(self.otp_error_messages["device_required"], code="device_required")
        super().clean_otp(user)

    def _chosen_device(self, user: Any) -> TOTPDevice | None:
        chosen = super()._chosen_device(user)
        if chosen is not None:
            return chosen
        return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class PortalAdminSite(OTPAdminSite):
    site_header = "UNIMAS Micro-Credentials: administration"
    site_title = "mcportal admin"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    @property
    def login_form(self) -> type[forms.Form] | None:
        return TwoFactorAdminLoginForm if settings.ADMIN_REQUIRE_2FA else None

    @property
    def login_template(self) -> str | None:
        return "admin/login_two_factor.html" if settings.ADMIN_REQUIRE_2FA else None

    def has_permission(self, request: HttpRequest) -> bool:
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)  # staff, active, and verified by a TOTP code
        return AdminSite.has_permission(self, request)

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["two_factor_setup_url"] = reverse("two-factor")
        return context

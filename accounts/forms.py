from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from accounts.models import NotificationMode, User
from accounts.validators import validate_legal_name


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "unconfirmed": _(
            "Confirm your email address first: open the link we sent you when you registered. "
            "No email? Ask for a new link below."
        ),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as exc:
            if exc.code == "invalid_login" and self._unconfirmed_with_this_password():
                raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed") from None
            raise

    def _unconfirmed_with_this_password(self) -> bool:
        """Only someone who knows the password learns the account waits for confirmation."""
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not email or not password:
            return False
        user = User.objects.filter(email__iexact=email).first()
        return (
            user is not None
            and not user.is_active
            and user.email_confirmed_at is None
            and user.last_login is None
            and user.check_password(password)
        )

    @property
    def needs_confirmation(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "unconfirmed")


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class LearnerRegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        validators=[validate_legal_name],
        help_text=_("As on your identity card or passport: it is printed on your certificate."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        if p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class SettingsForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=[("en", "English"), ("ms", "Bahasa Malaysia")],
        widget=forms.RadioSelect,
        help_text=_("The portal's pages and every email we send you are in this language."),
    )
    notification_mode = forms.ChoiceField(
        label=_("Email notifications"),
        choices=NotificationMode.choices,
        widget=forms.RadioSelect,
        help_text=_("Mail about your own credentials, credit transfer and name change always comes straight away."),
    )

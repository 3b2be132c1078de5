"""The token in the email-confirmation link.

Its own salt, so a confirmation token is never a password-reset token (Django's
``default_token_generator``) or the other way round. It depends on the account's id, email and
password hash and expires after ``PASSWORD_RESET_TIMEOUT`` (3 days); it does not depend on
``is_active`` or ``last_login``, so a link that was already used is still recognised as the
owner's ("already confirmed, please log in") instead of looking forged, and never logs in again:
only ``learner_confirm_email`` on an unconfirmed account does (docs/decisions/0100).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.password}{timestamp}{user.email}"


email_confirmation_token = EmailConfirmationTokenGenerator()

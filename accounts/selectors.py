"""Reads about people."""

from __future__ import annotations

from accounts.models import User


def learner_pending_get(*, email: str) -> User | None:
    """The self-registered account at this address still waiting for its email confirmation."""
    return User.objects.filter(
        email__iexact=email.strip(), is_active=False, email_confirmed_at__isnull=True, last_login__isnull=True
    ).first()

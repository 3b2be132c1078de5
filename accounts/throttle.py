"""Login throttling with django-axes (issue 12): the portal's and the admin's log-in forms,
per account and per client address, each with its own limit; a temporary lockout answered with
a page in the person's language and an audit event (docs/decisions/0101)."""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from audit.services import audit_record


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses every log-in to a locked account or from a locked address, even with the right
    password. A call without a request (the test client's ``login``, the shell) is not a log-in
    through a form: nothing can be counted for it, so it is let through to the next backend
    instead of failing; every web log-in (the portal's and the admin's views) passes its request."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits instead of one: ``AXES_FAILURE_LIMIT``
    failures on one account (from anywhere), or ``LOGIN_FAILURES_PER_ADDRESS`` failures from one
    address (on any accounts). The address limit is higher because a campus network or a mobile
    carrier puts many honest people behind one address. Axes compares one number with one limit,
    so the address's count is scaled to the account limit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_account, per_address = settings.AXES_FAILURE_LIMIT, settings.LOGIN_FAILURES_PER_ADDRESS
        return max(by_account, by_address * per_account // per_address)

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        if request is not None:
            # Whether a lockout was already running: its audit event is written once, when it starts.
            request.mc_locked_before = self.is_locked(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """One account, however its email is typed (log-in is case-insensitive)."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username")
    return raw.strip().lower() if isinstance(raw, str) else None


def client_address(request: HttpRequest) -> str | None:
    """The same client address django-ratelimit counts (``RATELIMIT_IP_META_KEY`` behind a proxy)."""
    key = settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR"
    value = request.META.get(key) or request.META.get("REMOTE_ADDR")
    return value.split(",")[0].strip() if value else None


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds() / 60) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": lockout_minutes(request), "admin": request.path.startswith("/admin/")},
        status=429,
    )


@receiver(user_locked_out)
def _audit_lockout(
    sender: object, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """One audit event when a lockout starts (not one per refused attempt while it lasts)."""
    if getattr(request, "mc_locked_before", False):
        return
    user = User.objects.filter(email__iexact=username or "").first()
    audit_record(
        actor=None,
        action="login.locked_out",
        obj=user,
        data={
            "login": "admin" if request.path.startswith("/admin/") else "portal",
            "address": ip_address or "",
            # An unknown address is kept (a spray of guesses shows in the trail); anything that is
            # not an email (a password typed in the wrong box) is not.
            "username": "" if user is not None else (username if username and "@" in username else ""),
            "minutes": lockout_minutes(request),
        },
    )

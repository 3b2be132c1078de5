"""Sessions end after a time without activity (shorter for staff) and, whatever the activity,
after an absolute lifetime (issue 12; settings ``SESSION_IDLE_MINUTES_STAFF``,
``SESSION_IDLE_MINUTES``, ``SESSION_MAX_HOURS``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.rules import active_roles

STARTED = "mc_session_started"
LAST_SEEN = "mc_session_last_seen"
IDLE_LIMIT = "mc_session_idle_limit"
# The last-seen time is written at most this often (seconds), not on every request.
TOUCH_EVERY = 60


def idle_limit_for(user: Any) -> int:
    """Seconds without activity before the session ends: staff (anyone with the admin site or a
    role other than learner) get the shorter limit."""
    staff = user.is_staff or any(role != Role.LEARNER for role, _ptj, _c in active_roles(user))
    minutes = settings.SESSION_IDLE_MINUTES_STAFF if staff else settings.SESSION_IDLE_MINUTES
    return int(minutes * 60)


def _start(request: HttpRequest, user: Any, now: int) -> None:
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    request.session[IDLE_LIMIT] = idle_limit_for(user)


@receiver(user_logged_in)
def _session_started(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        _start(request, user, int(time.time()))


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session, now = request.session, int(time.time())
        started, last_seen = session.get(STARTED), session.get(LAST_SEEN)
        if started is None or last_seen is None:  # a session from before these limits
            _start(request, request.user, now)
            return
        idle_limit = int(session.get(IDLE_LIMIT) or idle_limit_for(request.user))
        max_age = int(settings.SESSION_MAX_HOURS * 3600)
        if now - started > max_age:
            logout(request)
            messages.info(
                request,
                _("For your security you are logged out after %(hours)d hours. Please log in again.")
                % {"hours": settings.SESSION_MAX_HOURS},
            )
        elif now - last_seen > idle_limit:
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                % {"minutes": idle_limit // 60},
            )
        elif now - last_seen >= TOUCH_EVERY:
            session[LAST_SEEN] = now

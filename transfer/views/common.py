"""Shared helpers of the credit-transfer pages."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from core.errors import ApplicationError, ErrorKind

MAP_PREFIX = "map-"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _refuse_hard(exc: ApplicationError) -> None:
    """Not found and forbidden are pages of their own (the middleware renders them)."""
    if exc.kind in (ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN):
        raise exc

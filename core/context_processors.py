from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {"PORTAL_NAME": "UNIMAS Micro-Credentials", "PRODUCTION": settings.PRODUCTION}


def nav(request: HttpRequest) -> dict[str, Any]:
    """Which sections the one navigation shows (issue 17): the same links on every page, chosen by
    the person's roles (read once per request, cached on the user)."""
    from django.utils.functional import SimpleLazyObject

    def roles() -> frozenset[str]:
        from accounts.rules import active_roles

        return frozenset(role for role, _ptj, _committee in active_roles(getattr(request, "user", None)))

    return {"nav_roles": SimpleLazyObject(roles)}

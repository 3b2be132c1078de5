from __future__ import annotations

from django import template

from accounts.models import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """A role's name in the active language (mail templates store the role's value)."""
    try:
        return str(Role(value).label)
    except ValueError:
        return value


@register.filter
def pct(value: object) -> int:
    """A percentage as a whole number from 0 to 100, for the ``pct-*`` classes of
    ``static/css/percent.css`` (the CSP allows no ``style=""`` attributes)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, round(number)))

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

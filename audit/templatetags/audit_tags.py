from __future__ import annotations

from django import template

from audit.labels import audit_action_label

register = template.Library()


@register.filter
def audit_label(action: str) -> str:
    """``{{ event.action|audit_label }}``: an audit action in words, in the current language."""
    return audit_action_label(action)

from __future__ import annotations

from typing import Any

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


@register.inclusion_tag("_rule_why.html", takes_context=True)
def rule_why(context: dict[str, Any], *rules: str) -> dict[str, Any]:
    """A small "why?" opening the help of the rules behind a message or a form part, for staff
    only (issue 17): learners read the message in plain words and never see a rule ID."""
    from accounts.rules import active_roles
    from core.rulebook import rule_help

    user = context.get("user")
    named = [rule for rule in rules if rule]
    staff = bool(named) and any(role != Role.LEARNER for role, _ptj, _committee in active_roles(user))
    return {"show": staff, "rules": [(rule, rule_help(rule)) for rule in named] if staff else []}


@register.simple_tag
def course_cover(code: str, title: str, field: str) -> str:
    """The course's generated cover as inline SVG (core/covers.py, decision 0225)."""
    from django.utils.safestring import mark_safe

    from core.covers import cover_html

    return mark_safe(cover_html(code=str(code), title=str(title), field=str(field)))  # noqa: S308 (text is escaped)

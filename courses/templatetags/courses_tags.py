from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from courses.choices import ProposalStatus
from courses.policies import format_hm, plain
from courses.policies.workflow import ACTION_LABELS

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ rates|lookup:line.activity }}``: a dict entry by a variable key."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def hm(minutes: Decimal) -> str:
    """SLT minutes as ``Xh Ym`` (R-SLT-2)."""
    return format_hm(Decimal(minutes))


@register.filter
def minutes(value: Decimal) -> str:
    """A number of minutes without trailing zeros or exponent: 1500.0 -> 1500, 7.50 -> 7.5."""
    return plain(Decimal(value).quantize(Decimal("0.01")))


_EVENT_LABELS = {
    "create": _("Created"),
    "update": _("Draft saved"),
    "delete": _("Deleted"),
    "sme_appoint": _("SME appointed"),
    "defer": _("Deferred by the meeting"),
    "video_not_applicable": _("Video steps changed"),
}


@register.filter
def status_label(status: str) -> str:
    """A proposal state's name in the current language."""
    return str(ProposalStatus(status).label) if status in ProposalStatus.values else status


@register.filter
def action_label(event_action: str) -> str:
    """An audit event's action (``proposal.head_approve``) in words."""
    from audit.labels import AUDIT_ACTION_LABELS

    name = event_action.split(".", 1)[-1]
    label = ACTION_LABELS.get(name) or AUDIT_ACTION_LABELS.get(event_action) or _EVENT_LABELS.get(name)
    return str(label or AUDIT_ACTION_LABELS.get(f"proposal.{name}") or name)

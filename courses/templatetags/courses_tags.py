from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from courses.policies import format_hm, plain

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

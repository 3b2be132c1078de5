"""R-CR-6: validity of quality references, as pure functions over dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.dates import add_months

__all__ = ["add_months", "is_lapsed", "qvc_latest_until", "reminders_due"]


def qvc_latest_until(valid_from: date, validity_months: int) -> date:
    """The last day a QVC verification can run to: ``validity_months`` (policy: 36) from its
    start, less a day."""
    return date.fromordinal(add_months(valid_from, validity_months).toordinal() - 1)


def is_lapsed(valid_until: date, on: date) -> bool:
    """Valid through ``valid_until`` inclusive; lapsed from the day after."""
    return on > valid_until


def reminders_due(valid_until: date, today: date, thresholds: Iterable[int]) -> list[int]:
    """The thresholds (months before expiry) whose reminder is due today: the threshold's day has
    come and the verification has not lapsed yet. A task that missed days still sends each once."""
    if is_lapsed(valid_until, today):
        return []
    return sorted({m for m in thresholds if m > 0 and today >= add_months(valid_until, -m)}, reverse=True)

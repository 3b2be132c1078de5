"""The navigation's "Reports" link. Lazy, so a page that does not show it pays nothing; the flag
reads the roles already cached on the user (django-rules only, no model-permission queries)."""

from __future__ import annotations

from typing import Any

import rules
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def reports_nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "reports_visible": SimpleLazyObject(
            lambda: user is not None and bool(user.is_authenticated) and rules.has_perm("reports.view_reports", user)
        ),
    }

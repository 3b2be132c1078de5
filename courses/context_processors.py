"""The navigation's workflow links and its "waiting for me" count. Lazy, so a page that does not
show them pays nothing; the count is one COUNT query (``queue_count``), the flags read the roles
already cached on the user (django-rules only, no model-permission queries)."""

from __future__ import annotations

from typing import Any

import rules
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from courses.selectors.workflow import queue_count, queue_rows


def workflow(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    def signed_in() -> bool:
        return user is not None and bool(user.is_authenticated)

    return {
        "workflow_queue_count": SimpleLazyObject(lambda: queue_count(user) if signed_in() else 0),
        "workflow_has_queue": SimpleLazyObject(lambda: signed_in() and bool(queue_rows(user))),
        "workflow_can_board": SimpleLazyObject(lambda: signed_in() and rules.has_perm("courses.view_pipeline", user)),
        "workflow_can_meet": SimpleLazyObject(lambda: signed_in() and rules.has_perm("courses.view_meetings", user)),
    }

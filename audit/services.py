from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import User
from audit.models import AuditEvent


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail. Call it inside the transaction of the change."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )


def audit_record_many(
    *, actor: User | None, action: str, objs: list[models.Model], from_state: str = "", to_state: str = ""
) -> None:
    """One event per object, written in one INSERT (a Senate approval of thousands of results).
    Call it inside the transaction of the change."""
    if not objs:
        return
    content_type = ContentType.objects.get_for_model(objs[0])
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            from_state=from_state,
            to_state=to_state,
            data={},
        )
        for obj in objs
    )

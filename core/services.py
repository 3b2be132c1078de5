"""Writes of the core app: notifications."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from core.models import Notification


def notification_queue(
    *,
    recipients: Iterable[User],
    template: str,
    context: dict[str, Any],
    event_key: str,
    url: str = "",
) -> list[Notification]:
    """Record one notification per recipient inside the caller's transaction, and send each by
    Celery once that transaction commits. ``event_key`` names the event (e.g.
    ``proposal:12:v3:submitted``): the same event never notifies the same person twice, however
    often the caller runs."""
    created = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=user,
                    template=template,
                    context=context,
                    dedupe_key=f"{event_key}:{user.pk}"[:200],
                    url=url,
                )
        except IntegrityError:
            continue
        created.append(notification)
        transaction.on_commit(_sender(notification.pk))
    return created


def _sender(notification_id: int) -> Callable[[], None]:
    from core.tasks import notification_send

    def send() -> None:
        notification_send.delay(notification_id)

    return send


def notification_render(notification: Notification) -> tuple[str, str]:
    """Subject and body in the recipient's language (``templates/emails/<template>.*.txt``)."""
    context = {**notification.context, "recipient": notification.recipient, "url": notification.url}
    with translation.override(notification.recipient.preferred_language or "en"):
        subject = render_to_string(f"emails/{notification.template}.subject.txt", context).strip()
        body = render_to_string(f"emails/{notification.template}.body.txt", context)
    return " ".join(subject.split()), body


def notification_deliver(*, notification_id: int) -> bool:
    """Send one notification by email, at most once. Returns whether mail went out now."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
        if notification.sent_at is not None:
            return False
        notification.attempts += 1
        subject, body = notification_render(notification)
        EmailMultiAlternatives(subject, body, to=[notification.recipient.email]).send()
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at", "attempts"])
    return True

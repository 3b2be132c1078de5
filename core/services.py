"""Writes of the core app: notifications."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import NotificationMode, User
from core.links import absolute_url
from core.models import Notification

# Mail a person must get whatever their settings say: the outcome of their own credential, credit
# transfer or name change (R-CR-1, R-CT-6, R-CR-7). Everything else follows "My settings".
ESSENTIAL_TEMPLATES = frozenset({"credential_ready", "transfer_decision", "name_change_decided", "credential_expiring"})


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
                    url=absolute_url(url),
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


def _mail_context(notification: Notification) -> dict[str, Any]:
    context = {**notification.context, "recipient": notification.recipient, "url": absolute_url(notification.url)}
    for key, value in notification.context.items():
        if key.endswith("_url") and isinstance(value, str):
            context[key] = absolute_url(value)
    return context


def notification_render(notification: Notification) -> tuple[str, str, str]:
    """Subject, plain-text body and HTML body in the recipient's language
    (``templates/emails/<template>.subject.txt`` and ``.body.txt``; the HTML version wraps the text
    in ``emails/_layout.html``: inline CSS, no remote images, links clickable)."""
    context = _mail_context(notification)
    with translation.override(notification.recipient.preferred_language or "en"):
        subject = " ".join(render_to_string(f"emails/{notification.template}.subject.txt", context).split())
        body = render_to_string(f"emails/{notification.template}.body.txt", context)
        html = render_to_string("emails/_layout.html", {"subject": subject, "body": body, "url": context["url"]})
    return subject, body, html


def _send(*, to: str, subject: str, body: str, html: str) -> None:
    message = EmailMultiAlternatives(subject, body, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def notification_deliver(*, notification_id: int) -> bool:
    """Send one notification by email, at most once, as the recipient chose in "My settings":
    now, in the next daily digest (left unsent here), or never (essential mail always goes).

    At most once, truly: under the row lock the notification is marked sent, and the mail leaves
    only after that mark commits (``on_commit``). A second run, a retry or a rolled-back caller
    never sends it again; a mail that fails to leave is lost, never doubled (decision 0132).
    Returns whether this run claimed it to send now."""
    with transaction.atomic(durable=True):
        notification = Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
        if notification.sent_at is not None or notification.skipped_at is not None:
            return False
        mode = notification.recipient.notification_mode
        if notification.template not in ESSENTIAL_TEMPLATES:
            if mode == NotificationMode.DAILY:
                return False  # core.notification_digest sends it with the day's others
            if mode == NotificationMode.OFF:
                notification.skipped_at = timezone.now()
                notification.save(update_fields=["skipped_at"])
                return False
        notification.attempts += 1
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at", "attempts"])
        subject, body, html = notification_render(notification)
        to = notification.recipient.email
        transaction.on_commit(lambda: _send(to=to, subject=subject, body=body, html=html))
    return True


def notification_digest_deliver(*, recipient_id: int) -> int:
    """Send one person's waiting notifications as one daily digest, at most once each. Returns
    how many went out."""
    with transaction.atomic(durable=True):
        recipient = User.objects.get(pk=recipient_id)
        waiting = list(
            Notification.objects.select_for_update()
            .filter(recipient=recipient, sent_at__isnull=True, skipped_at__isnull=True)
            .order_by("created_at")
        )
        if not waiting:
            return 0
        if recipient.notification_mode == NotificationMode.OFF:
            waiting = [n for n in waiting if n.template in ESSENTIAL_TEMPLATES]
        items = []
        for notification in waiting:
            notification.recipient = recipient
            subject, _body, _html = notification_render(notification)
            items.append({"subject": subject, "url": absolute_url(notification.url)})
        with translation.override(recipient.preferred_language or "en"):
            context = {"recipient": recipient, "items": items, "url": absolute_url("/")}
            subject = " ".join(render_to_string("emails/daily_digest.subject.txt", context).split())
            body = render_to_string("emails/daily_digest.body.txt", context)
            html = render_to_string("emails/_layout.html", {"subject": subject, "body": body, "url": context["url"]})
        now = timezone.now()
        for notification in waiting:
            notification.sent_at = now
            notification.attempts += 1
        Notification.objects.bulk_update(waiting, ["sent_at", "attempts"])
        # Marked first, mailed after the mark commits: at most once (decision 0132).
        to = recipient.email
        transaction.on_commit(lambda: _send(to=to, subject=subject, body=body, html=html))
    return len(waiting)


def notification_digest_recipients() -> list[int]:
    """Who has a daily digest waiting."""
    return list(
        Notification.objects.filter(
            sent_at__isnull=True, skipped_at__isnull=True, recipient__notification_mode=NotificationMode.DAILY
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )

"""Notifications are recorded with the change, queued after commit, sent once, in the
recipient's language."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import role_assign
from core.models import Notification
from core.tasks import notification_send
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_granting_a_role_queues_one_notification_after_commit(django_capture_on_commit_callbacks):
    admin = user_with_role(Role.CFLEX_ADMIN)
    person = UserFactory(full_name="Jaya Anak Nyegang")
    with django_capture_on_commit_callbacks() as callbacks:
        role_assign(user=person, role=Role.SME, granted_by=admin)
    notification = Notification.objects.get(recipient=person)
    assert notification.template == "role_granted" and notification.sent_at is None
    assert len(callbacks) == 1  # the Celery task is queued only once the change commits
    assert mail.outbox == []


def test_the_task_sends_once_however_often_it_runs(django_capture_on_commit_callbacks):
    admin = user_with_role(Role.CFLEX_ADMIN)
    person = UserFactory(full_name="Jaya Anak Nyegang")
    role_assign(user=person, role=Role.SME, granted_by=admin)
    notification = Notification.objects.get(recipient=person)
    with django_capture_on_commit_callbacks(execute=True) as sends:
        assert notification_send(notification.pk) is True
        assert mail.outbox == []  # marked first; the mail leaves only after the mark commits
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert notification_send(notification.pk) is False  # a retried or duplicated task
    assert (len(sends), len(again)) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "Subject matter expert" in message.subject
    assert "Dear Jaya Anak Nyegang" in message.body
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 1


def test_the_same_event_never_notifies_twice():
    from core.services import notification_queue

    person = UserFactory()
    first = notification_queue(recipients=[person, person], template="role_granted", context={}, event_key="e:1")
    again = notification_queue(recipients=[person], template="role_granted", context={}, event_key="e:1")
    assert len(first) == 1 and again == []
    assert Notification.objects.count() == 1


def test_mail_is_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    admin = user_with_role(Role.CFLEX_ADMIN)
    person = UserFactory(preferred_language="ms")
    role_assign(user=person, role=Role.SME, granted_by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(Notification.objects.get(recipient=person).pk)
    body = mail.outbox[0].body
    assert "Pusat Pembelajaran Fleksibel" in body
    assert "Dear" not in body  # the Malay template, not the English one


def test_a_mail_that_fails_to_leave_is_not_sent_again(django_capture_on_commit_callbacks, monkeypatch):
    # At most once: the row is marked sent before the mail goes out after commit.
    from django.core.mail import EmailMultiAlternatives

    person = UserFactory()
    role_assign(user=person, role=Role.SME, granted_by=user_with_role(Role.CFLEX_ADMIN))
    notification = Notification.objects.get(recipient=person)

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        notification_send(notification.pk)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_send(notification.pk) is False
    assert mail.outbox == []

"""Issue 17: mail people can use. Links are absolute (PUBLIC_BASE_URL), each mail is multipart
(plain text + simple HTML, inline CSS, no remote images), written in the language the recipient
chose in "My settings" (or with the language picker), and sent as they chose: immediately, in a
daily digest, or not at all (mail about their own credentials and decisions always goes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import NotificationMode, Role, User
from accounts.services import role_assign
from core.models import Notification
from core.services import notification_queue
from core.tasks import notification_digest, notification_send
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(
    p.name.removesuffix(".body.txt")
    for p in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*.body.txt")
    if not p.name.startswith("daily_digest")
)
LINK = re.compile(r"""(?:https?://[^\s"'<>]+|(?<![\w/:.])/[a-z][\w\-/]*/)""")


def _queue(person: User, template: str, url: str = "/proposals/9/review/", key: str = "t:1") -> Notification:
    [note] = notification_queue(
        recipients=[person], template=template, context={"verify_url": "/verify/abc/"}, event_key=key, url=url
    )
    return note


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_mail_links_absolutely_to_the_public_address(template, settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_BASE_URL = "https://mc.unimas.example"
    person = UserFactory()
    note = _queue(person, template)
    with django_capture_on_commit_callbacks(execute=True):  # mail leaves after commit (decision 0132)
        assert notification_send(note.pk) is True
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    links = LINK.findall(message.body) + re.findall(r'href="([^"]+)"', html)
    assert links, "the mail links to the portal"
    for link in links:
        assert link.startswith("https://mc.unimas.example/"), link
    # Multipart: the text and a simple HTML version with inline CSS and no remote image.
    assert message.alternatives[0][1] == "text/html"
    assert "<style" not in html and 'style="' in html
    assert "<img" not in html and "url(" not in html


def test_a_relative_link_is_made_absolute_when_queued(settings):
    settings.PUBLIC_BASE_URL = "https://mc.unimas.example"
    note = _queue(UserFactory(), "proposal_transition", url=reverse("proposal-queue"))
    assert note.url == "https://mc.unimas.example" + reverse("proposal-queue")


def test_mail_follows_the_language_chosen_in_my_settings(client, django_capture_on_commit_callbacks):
    admin = user_with_role(Role.CFLEX_ADMIN)
    person = UserFactory(full_name="Jaya Anak Nyegang", preferred_language="en")
    client.force_login(person)
    response = client.post(
        reverse("my-settings"), {"preferred_language": "ms", "notification_mode": NotificationMode.IMMEDIATE}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "ms"
    role_assign(user=person, role=Role.SME, granted_by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(Notification.objects.get(recipient=person).pk)
    message = mail.outbox[0]
    assert "Dear" not in message.body and "Jaya Anak Nyegang" in message.body
    assert 'lang="ms"' not in message.body  # text part is text
    assert "Buka portal" in message.alternatives[0][0]
    # ...and the pages follow it too, whatever the browser's cookie says.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="ms">' in client.get(reverse("my-settings")).content.decode()


def test_the_language_picker_saves_a_logged_in_persons_language(client):
    person = UserFactory(preferred_language="en")
    client.force_login(person)
    response = client.post(reverse("set_language"), {"language": "ms", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "ms"
    # An unknown language changes nothing.
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "ms"


def test_settings_page_needs_a_login_and_refuses_unknown_choices(client):
    response = client.get(reverse("my-settings"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    person = UserFactory()
    client.force_login(person)
    assert client.get(reverse("my-settings")).status_code == 200
    response = client.post(reverse("my-settings"), {"preferred_language": "fr", "notification_mode": "weekly"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.preferred_language == "en" and person.notification_mode == NotificationMode.IMMEDIATE


def test_daily_digest_sends_one_mail_once(django_capture_on_commit_callbacks):
    person = UserFactory(notification_mode=NotificationMode.DAILY)
    first = _queue(person, "proposal_transition", key="a")
    second = _queue(person, "proposal_sme_appointed", key="b")
    assert notification_send(first.pk) is False and notification_send(second.pk) is False
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digest() == 2
        assert mail.outbox == []  # marked first, mailed once the mark commits
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digest() == 0  # a second run sends nothing
    assert len(mail.outbox) == 1
    assert "2" in mail.outbox[0].subject and "/proposals/9/review/" in mail.outbox[0].body
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_off_skips_workflow_mail_but_never_mail_about_ones_own_credential(django_capture_on_commit_callbacks):
    person = UserFactory(notification_mode=NotificationMode.OFF)
    workflow = _queue(person, "proposal_transition", key="a")
    own = _queue(person, "credential_ready", key="b")
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_send(workflow.pk) is False
        assert notification_send(own.pk) is True
    assert [m.to for m in mail.outbox] == [[person.email]]
    workflow.refresh_from_db()
    assert workflow.skipped_at is not None and workflow.sent_at is None

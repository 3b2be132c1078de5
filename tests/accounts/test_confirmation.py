"""The email-confirmation link (issue 12, finding 1): the token is always checked, and only the
one genuine first confirmation of a waiting account ever creates a session."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role, User
from accounts.services import (
    ConfirmOutcome,
    learner_confirm_email,
    learner_confirmation_token,
    learner_register,
)
from audit.models import AuditEvent
from core.errors import ApplicationError
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "kuching-river-2026"


def _uid(user_or_pk: User | int) -> str:
    pk = user_or_pk if isinstance(user_or_pk, int) else user_or_pk.pk
    return urlsafe_base64_encode(force_bytes(pk))


def _link(uid: str, token: str) -> str:
    return reverse("register-confirm", args=[uid, token])


def _pending(email: str = "waiting@example.test") -> User:
    return learner_register(email=email, full_name="Nur Amira Binti Yusof", password=PASSWORD).user


def _logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_the_genuine_first_confirmation_activates_and_logs_in_once(client):
    user = _pending()
    link = _link(_uid(user), learner_confirmation_token(user))

    page = client.get(link)  # opening the link (or a mail scanner opening it) changes nothing
    assert page.status_code == 200
    assert b'data-state="pending"' in page.content
    user.refresh_from_db()
    assert not user.is_active and _logged_in_as(client) is None

    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _logged_in_as(client) == user.pk
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at is not None
    assert AuditEvent.objects.filter(action="user.confirm_email", object_id=str(user.pk)).count() == 1


def test_a_used_link_says_already_confirmed_and_never_logs_in_again(client):
    user = _pending()
    link = _link(_uid(user), learner_confirmation_token(user))
    client.post(link)
    assert _logged_in_as(client) == user.pk
    client.logout()

    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 200
        assert b'data-state="already_confirmed"' in response.content
        assert b"already confirmed. Please log in." in response.content
        assert _logged_in_as(client) is None
    assert AuditEvent.objects.filter(action="user.confirm_email", object_id=str(user.pk)).count() == 1


def test_a_link_made_before_the_account_was_confirmed_never_logs_in_after_it(client):
    """Even before its first log-in: an account confirmed once is never confirmed (and logged in)
    by a link again, e.g. a second copy of the email opened on another device."""
    user = _pending()
    token = learner_confirmation_token(user)
    assert learner_confirm_email(user=user, token=token) == ConfirmOutcome.CONFIRMED
    response = client.post(_link(_uid(user), token))
    assert b'data-state="already_confirmed"' in response.content
    assert _logged_in_as(client) is None


def _targets():
    """One account of each kind a link could point at."""
    staff = user_with_role(Role.CFLEX_ADMIN, email="cflex.admin@example.test")  # has /admin/
    learner = user_with_role(Role.LEARNER, email="learner@example.test")
    learner.last_login = timezone.now()
    learner.save(update_fields=["last_login"])
    closed = _pending("closed@example.test")
    learner_confirm_email(user=closed, token=learner_confirmation_token(closed))
    User.objects.filter(pk=closed.pk).update(is_active=False)  # deactivated by CFLEX since
    never_logged_in = UserFactory(email="made.by.cflex@example.test")  # active, never logged in
    return {
        "staff": staff,
        "learner": learner,
        "closed": closed,
        "made_by_cflex": never_logged_in,
        "pending": _pending("pending@example.test"),
        "other_pending": _pending("other@example.test"),
    }


def test_no_uid_and_token_pair_creates_a_session_but_the_genuine_first_confirmation(client):
    """The takeover: `GET /accounts/register/confirm/NQ/anything/` was a session as account 5."""
    targets = _targets()
    for user in targets.values():
        user.refresh_from_db()
    tokens = {
        "anything": lambda u: "anything",
        "empty-looking": lambda u: "-",
        "own confirmation token": learner_confirmation_token,
        "another waiting account's confirmation token": lambda u: learner_confirmation_token(
            targets["pending"] if u == targets["other_pending"] else targets["other_pending"]
        ),
        "own password-reset token": default_token_generator.make_token,
        "own token with a changed timestamp": lambda u: "1" + learner_confirmation_token(u)[1:],
    }
    uids = {name: _uid(user) for name, user in targets.items()}
    uids |= {
        "garbage": "NQ",
        "not base64": "!!!",
        "unknown id": _uid(999_999),
        "negative": _uid(-1),
        "beyond a bigint": _uid(10**30),
        "not a number": urlsafe_base64_encode(b"admin"),
    }
    before = dict(User.objects.values_list("pk", "is_active"))
    sessions = []
    for uid_name, uid in uids.items():
        for token_name, make in tokens.items():
            target = targets.get(uid_name, targets["staff"])
            token = make(target)
            if uid_name in {"pending", "other_pending"} and token_name == "own confirmation token":
                continue  # the genuine first confirmations, the only pairs that may log in: below
            for method in ("get", "post"):
                client.logout()
                response = getattr(client, method)(_link(uid, token))
                assert response.status_code in {200, 400}, (uid_name, token_name, method)
                if _logged_in_as(client) is not None:
                    sessions.append((uid_name, token_name, method))
    assert sessions == []
    assert dict(User.objects.values_list("pk", "is_active")) == before  # nobody activated or reopened

    client.logout()
    client.post(_link(uids["pending"], learner_confirmation_token(targets["pending"])))
    assert _logged_in_as(client) == targets["pending"].pk


def test_a_forged_link_is_refused_in_the_page_with_a_way_to_a_new_link(client):
    user = _pending()
    response = client.post(_link(_uid(user), "anything"))
    assert response.status_code == 400
    assert b'data-error-code="confirmation_invalid"' in response.content
    assert reverse("register-resend").encode() in response.content
    user.refresh_from_db()
    assert not user.is_active


def test_garbage_and_unknown_ids_get_the_same_refusal_as_a_wrong_token(client):
    user = _pending()
    bodies = {
        name: client.get(_link(uid, "anything")).content.decode()
        for name, uid in {"garbage": "NQ", "unknown": _uid(999_999), "real": _uid(user)}.items()
    }
    main = {re.search(r"<main.*</main>", b, re.S).group(0) for b in bodies.values()}
    assert len(main) == 1


def test_a_closed_account_is_not_reopened_by_its_genuine_link(client):
    user = _pending()
    token = learner_confirmation_token(user)
    learner_confirm_email(user=user, token=token)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(_link(_uid(user), token))
    assert b'data-state="closed"' in response.content
    user.refresh_from_db()
    assert not user.is_active and _logged_in_as(client) is None


def test_the_service_checks_the_token_even_for_an_active_account():
    staff = user_with_role(Role.CFLEX_ADMIN)
    with pytest.raises(ApplicationError) as exc:
        learner_confirm_email(user=staff, token="anything")
    assert exc.value.code == "confirmation_invalid"


def test_a_confirmation_token_is_not_a_password_reset_token_nor_the_other_way_round(client):
    user = _pending()
    token = learner_confirmation_token(user)
    assert not default_token_generator.check_token(user, token)
    response = client.post(_link(_uid(user), default_token_generator.make_token(user)))
    assert response.status_code == 400


def test_resetting_the_password_makes_an_old_link_invalid():
    user = _pending()
    token = learner_confirmation_token(user)
    user.set_password("a-completely-new-password")
    user.save()
    with pytest.raises(ApplicationError):
        learner_confirm_email(user=user, token=token)


def test_the_emailed_link_is_the_one_that_works(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("register"),
            {
                "full_name": "Tan Mei Ling",
                "email": "mei.ling@example.test",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    link = re.search(r"https?://\S+/register/confirm/\S+/", mail.outbox[0].body).group(0)
    client.post(link)
    assert _logged_in_as(client) == User.objects.get(email="mei.ling@example.test").pk

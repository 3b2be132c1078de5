"""One legal-name rule (accounts.policies.legal_name_check) at every place a name is entered or
changed: registration, the learner profile (service and page), the admin's user forms and
`createsuperuser`. Names already stored that fail the rule are kept as they are."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import learner_register
from core.errors import ApplicationError
from enrolment.models import LearnerProfile
from enrolment.services import learner_profile_save
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

ATTACKS = ["<b>Ali</b>", '=HYPERLINK("http://evil.example","Verify")', "@SUM(1)", "+60123", "-1"]
PASSWORD = "kuching-river-2026"


def _profile(user: User, name: str) -> LearnerProfile:
    return learner_profile_save(
        actor=user,
        legal_name=name,
        identity_kind="nric",
        identity_number="900101-13-5677",
        nationality="",
        birth_date=None,
        phone="0123456789",
        pdpa_consent=True,
    )


@pytest.mark.parametrize("name", ATTACKS)
def test_registration_service_and_page_refuse_the_name(client, name):
    with pytest.raises(ApplicationError) as exc:
        learner_register(email="x@example.test", full_name=name, password=PASSWORD)
    assert exc.value.field == "full_name"
    response = client.post(
        reverse("register"),
        {"full_name": name, "email": "x@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    assert "full_name" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.test").exists()


@pytest.mark.parametrize("name", ["محمد بن عبدالله", "陈美玲", "முத்து ராமன்", "Muthu a/l Raman"])
def test_registration_keeps_names_of_any_script(name):
    user = learner_register(email="x@example.test", full_name=name, password=PASSWORD).user
    assert user.full_name == name


@pytest.mark.parametrize("name", ATTACKS)
def test_learner_profile_service_and_page_refuse_the_name(client, name):
    user = user_with_role(Role.LEARNER)
    with pytest.raises(ApplicationError) as exc:
        _profile(user, name)
    assert exc.value.field == "legal_name"
    assert exc.value.code in {"legal_name_leading", "legal_name_character"}
    client.force_login(user)
    response = client.post(
        reverse("learner-profile"),
        {
            "legal_name": name,
            "identity_kind": "nric",
            "identity_number": "900101-13-5677",
            "phone": "0123456789",
            "pdpa_consent": "on",
        },
    )
    assert response.status_code == 400
    assert "legal_name" in response.context["form"].errors
    assert not LearnerProfile.objects.filter(user=user).exists()


def test_learner_profile_keeps_a_jawi_name():
    user = user_with_role(Role.LEARNER)
    assert _profile(user, "  نور   عائشة بنت علي ").legal_name == "نور عائشة بنت علي"


@pytest.mark.parametrize("name", ATTACKS)
def test_admin_user_forms_refuse_the_name(client, name):
    admin = User.objects.create_superuser(email="root@example.test", password=PASSWORD, full_name="Root")
    client.force_login(admin)
    add = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "new@example.test", "full_name": name, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert add.status_code == 200 and "full_name" in add.context["adminform"].form.errors
    assert not User.objects.filter(email="new@example.test").exists()
    person = user_with_role(Role.SME, full_name="Lim Wei Seng")
    change = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {"email": person.email, "full_name": name, "preferred_language": "en", "is_active": "on"},
    )
    assert change.status_code == 200 and "full_name" in change.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.full_name == "Lim Wei Seng"


def test_createsuperuser_refuses_the_name():
    with pytest.raises(CommandError, match=r"name"):
        call_command(
            "createsuperuser",
            interactive=False,
            email="root@example.test",
            full_name="=cmd|' /C calc'!A0",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert not User.objects.filter(email="root@example.test").exists()


def test_a_stored_name_that_fails_the_rule_is_kept_not_silently_changed(client):
    """A name saved before the rule stays as it is: shown (escaped) and refused only when someone
    changes it, so a person decides what the new one is."""
    user = user_with_role(Role.LEARNER, full_name="Ali Abu")
    profile = _profile(user, "Ali Abu")
    LearnerProfile.objects.filter(pk=profile.pk).update(legal_name="Ali <Abu>")
    User.objects.filter(pk=user.pk).update(full_name="=Ali")
    client.force_login(user)
    page = client.get(reverse("learner-profile"))
    assert page.status_code == 200
    assert "Ali &lt;Abu&gt;" in page.content.decode()
    with pytest.raises(ApplicationError):
        _profile(user, "Ali <Abu>")
    profile.refresh_from_db()
    user.refresh_from_db()
    assert (profile.legal_name, user.full_name) == ("Ali <Abu>", "=Ali")

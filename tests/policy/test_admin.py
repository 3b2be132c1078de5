"""CFLEX administrators add policy versions in the admin; versions in force are read-only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from policy.models import PolicyVersion
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def cflex_admin_client(client):
    client.force_login(user_with_role(Role.CFLEX_ADMIN))
    return client


def test_cflex_admin_copies_the_version_in_force_into_a_new_editable_one(cflex_admin_client):
    seeded = PolicyVersion.objects.get()
    response = cflex_admin_client.post(
        reverse("admin:policy_policyversion_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [seeded.pk]},
        follow=True,
    )
    assert response.status_code == 200
    new = PolicyVersion.objects.exclude(pk=seeded.pk).get()
    assert new.effective_from == timezone.localdate() + timedelta(days=1)
    assert new.slt_rates.count() == 12
    assert AuditEvent.objects.filter(action="policy.version_add", object_id=str(new.pk)).exists()

    # The new, future version can be edited; change one number through the form.
    change_url = reverse("admin:policy_policyversion_change", args=[new.pk])
    page = cflex_admin_client.get(change_url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "pk")}
    data.update(
        name=new.name,
        effective_from=new.effective_from.isoformat(),
        market_survey_min_respondents=35,
        created_by="",
    )
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = str(len(fs.forms))
        data[f"{fs.prefix}-INITIAL_FORMS"] = str(len(fs.forms))
        data[f"{fs.prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{fs.prefix}-MAX_NUM_FORMS"] = "1000"
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f.initial.get(name)
                if name == "id":
                    value = f.instance.pk
                elif name == "version":
                    value = new.pk
                if value is not None:
                    data[f"{fs.prefix}-{i}-{name}"] = getattr(value, "pk", value)
    response = cflex_admin_client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    new.refresh_from_db()
    assert new.market_survey_min_respondents == 35
    seeded.refresh_from_db()
    assert seeded.market_survey_min_respondents == 30


def test_version_in_force_cannot_be_changed_or_deleted_in_the_admin(cflex_admin_client):
    seeded = PolicyVersion.objects.get()
    assert seeded.effective_from == date(2025, 1, 1)
    change_url = reverse("admin:policy_policyversion_change", args=[seeded.pk])
    page = cflex_admin_client.get(change_url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = cflex_admin_client.post(change_url, {"name": "rewritten", "market_survey_min_respondents": 1})
    assert response.status_code == 403
    response = cflex_admin_client.post(reverse("admin:policy_policyversion_delete", args=[seeded.pk]), {"post": "yes"})
    assert response.status_code == 403
    seeded.refresh_from_db()
    assert seeded.market_survey_min_respondents == 30


def test_a_dean_cannot_reach_policy_data(client, ptj):
    client.force_login(user_with_role(Role.DEAN, ptj=ptj))
    assert client.get(reverse("admin:policy_policyversion_changelist")).status_code == 302

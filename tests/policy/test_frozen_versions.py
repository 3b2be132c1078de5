"""Decision 0002 / issue 14: a policy version starts in the future (no backdating) and is frozen
once in force, through the admin, the ORM and raw SQL alike. The guideline's numbers are policy
data with an effective date (DOMAIN.md preamble; R-CT-5 caps are among them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from core.errors import ApplicationError
from policy.api import policy_in_force
from policy.models import PolicyVersion, SLTRate
from policy.services import policy_version_copy
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(user_with_role(Role.CFLEX_ADMIN))
    return client


def _add_form(client) -> dict[str, str]:
    """The admin's add form for a version, every number as the seeded guideline has it."""
    page = client.get(reverse("admin:policy_policyversion_add"))
    assert page.status_code == 200
    seeded = PolicyVersion.objects.get()
    data = {f: str(getattr(seeded, f)) for f in page.context["adminform"].form.fields}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize("days", [-1, 0])
def test_the_admin_refuses_a_backdated_version(admin_client, days):
    # The case: a version dated yesterday with a 10% SAMC cap (R-CT-2) must not come into force.
    data = _add_form(admin_client)
    data.update(
        name="Backdated",
        effective_from=(timezone.localdate() + timedelta(days=days)).isoformat(),
        ct_samc_apelc_max_pct="10",
    )
    response = admin_client.post(reverse("admin:policy_policyversion_add"), data)
    assert response.status_code == 200  # the form again, with the reason
    assert "takes effect in the future" in response.content.decode()
    assert PolicyVersion.objects.count() == 1
    assert policy_in_force().ct_samc_apelc_max_pct == 30


def test_the_admin_cannot_move_a_future_version_into_the_past(admin_client):
    future = policy_version_copy(
        source=PolicyVersion.objects.get(),
        effective_from=timezone.localdate() + timedelta(days=5),
        name="n",
        actor=None,
    )
    page = admin_client.get(reverse("admin:policy_policyversion_change", args=[future.pk]))
    data = {f: str(getattr(future, f)) for f in page.context["adminform"].form.fields}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data["effective_from"] = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = admin_client.post(reverse("admin:policy_policyversion_change", args=[future.pk]), data)
    assert response.status_code == 200 and "takes effect in the future" in response.content.decode()
    future.refresh_from_db()
    assert future.effective_from == timezone.localdate() + timedelta(days=5)


def test_the_admin_deletes_a_future_version_through_the_service(admin_client):
    future = policy_version_copy(
        source=PolicyVersion.objects.get(),
        effective_from=timezone.localdate() + timedelta(days=5),
        name="n",
        actor=None,
    )
    response = admin_client.post(reverse("admin:policy_policyversion_delete", args=[future.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not PolicyVersion.objects.filter(pk=future.pk).exists()
    assert AuditEvent.objects.filter(action="policy.version_delete", object_id=str(future.pk)).exists()


def _code(call) -> str:
    with pytest.raises(ApplicationError) as exc:
        call()
    return exc.value.code


def test_a_direct_orm_save_cannot_backdate_or_change_a_version_in_force():
    seeded = PolicyVersion.objects.get()
    yesterday = timezone.localdate() - timedelta(days=1)
    backdated = PolicyVersion(name="Backdated", effective_from=yesterday, ct_samc_apelc_max_pct=10)
    assert _code(backdated.save) == "policy_backdated"
    seeded.ct_samc_apelc_max_pct = 10
    assert _code(seeded.save) == "policy_frozen"
    assert _code(seeded.delete) == "policy_frozen"
    in_force = PolicyVersion.objects.filter(pk=seeded.pk)
    assert _code(lambda: in_force.update(ct_samc_apelc_max_pct=10)) == "policy_frozen"
    assert _code(in_force.delete) == "policy_frozen"
    rate = SLTRate.objects.filter(version=seeded).first()
    rate.max_minutes = 99
    assert _code(rate.save) == "policy_frozen"
    assert _code(lambda: SLTRate.objects.filter(version=seeded).update(max_minutes=99)) == "policy_frozen"
    assert _code(lambda: SLTRate(version=seeded, activity="x", unit="1", min_minutes=1, max_minutes=2).save()) == (
        "policy_frozen"
    )
    assert policy_in_force().ct_samc_apelc_max_pct == 30 and policy_in_force().slt_rate(rate.activity).max_minutes < 99


def test_a_future_version_can_be_changed_until_it_comes_into_force():
    future = policy_version_copy(
        source=PolicyVersion.objects.get(),
        effective_from=timezone.localdate() + timedelta(days=5),
        name="n",
        actor=None,
    )
    future.ct_samc_apelc_max_pct = 25
    future.save()
    SLTRate.objects.filter(version=future, activity="slide").update(max_minutes=12)
    future.effective_from = timezone.localdate()
    assert _code(future.save) == "policy_backdated"  # an edit cannot bring it into force early


def _raw(sql: str, *params: object) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_raw_sql_on_a_version_in_force():
    seeded = PolicyVersion.objects.get()
    with pytest.raises(DatabaseError, match="frozen"):
        _raw("UPDATE policy_policyversion SET ct_samc_apelc_max_pct = 10 WHERE id = %s", seeded.pk)
    with pytest.raises(DatabaseError, match="frozen"):
        _raw("UPDATE policy_sltrate SET max_minutes = 99 WHERE version_id = %s", seeded.pk)
    future = policy_version_copy(
        source=seeded, effective_from=timezone.localdate() + timedelta(days=5), name="n", actor=None
    )
    with pytest.raises(DatabaseError, match="frozen"):  # moved into force by raw SQL
        _raw(
            "UPDATE policy_policyversion SET effective_from = %s WHERE id = %s",
            timezone.localdate() - timedelta(days=3),
            future.pk,
        )
    _raw("UPDATE policy_policyversion SET ct_samc_apelc_max_pct = 25 WHERE id = %s", future.pk)
    if connection.vendor == "postgresql":  # SQLite's test runner empties tables with DELETE (migration 0006)
        with pytest.raises(DatabaseError, match="frozen"):
            _raw("DELETE FROM policy_gradeband WHERE version_id = %s", seeded.pk)
    assert policy_in_force().ct_samc_apelc_max_pct == 30

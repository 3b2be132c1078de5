"""Audit events are append-only (R-WF-5, R-QA-1): not through the ORM, not in the admin, not
in raw SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent, AuditImmutableError
from audit.services import audit_record
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(ptj):
    actor = user_with_role(Role.CFLEX_ADMIN)
    return audit_record(
        actor=actor, action="proposal.approve", obj=ptj, from_state="submitted", to_state="approved", comment="ok"
    )


def test_an_event_records_actor_action_object_states_comment_and_time(event, ptj):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor.email == event.actor.email
    assert (stored.action, stored.from_state, stored.to_state, stored.comment) == (
        "proposal.approve",
        "submitted",
        "approved",
        "ok",
    )
    assert stored.object_id == str(ptj.pk) and stored.object_repr == str(ptj)
    assert stored.created_at is not None
    assert list(AuditEvent.objects.for_object(ptj)) == [stored]


def test_orm_cannot_change_or_delete_an_event(event):
    event.comment = "rewritten"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).comment == "ok"


def test_database_refuses_a_raw_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET comment = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).comment == "ok"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE is refused by PostgreSQL's trigger only")
def test_postgresql_refuses_a_raw_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_lets_cflex_read_but_never_add_change_or_delete(client, event):
    admin_user = user_with_role(Role.CFLEX_ADMIN)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200
    assert b"proposal.approve" in changelist.content
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(change_url).status_code == 200  # a read-only view
    response = client.post(change_url, {"comment": "rewritten"})
    assert response.status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).comment == "ok"


def test_other_roles_cannot_read_the_trail(client, event, ptj):
    client.force_login(user_with_role(Role.DEAN, ptj=ptj))
    response = client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 302  # not staff: sent to the admin login

from __future__ import annotations

import pytest

from accounts.models import Committee, Role, RoleAssignment
from accounts.services import role_assign, role_revoke
from audit.models import AuditEvent
from core.errors import ApplicationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "kwargs", "code", "field"),
    [
        (Role.DEAN, {}, "role_needs_ptj", "ptj"),
        (Role.HEAD_OF_PTJ_MQA, {}, "role_needs_ptj", "ptj"),
        (Role.COURSE_DEVELOPER, {}, "role_needs_ptj", "ptj"),
        (Role.CFLEX_ADMIN, {"ptj": True}, "role_not_ptj_scoped", "ptj"),
        (Role.COMMITTEE_SECRETARY, {}, "role_needs_committee", "committee"),
        (Role.LEARNER, {"committee": Committee.JPPEU}, "role_not_committee_scoped", "committee"),
    ],
)
def test_role_scope_is_enforced_with_named_errors(role, kwargs, code, field, ptj):
    user = UserFactory()
    if kwargs.get("ptj"):
        kwargs = {**kwargs, "ptj": ptj}
    with pytest.raises(ApplicationError) as exc:
        role_assign(user=user, role=role, **kwargs)
    assert exc.value.code == code
    assert exc.value.field == field
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_role_assign_is_idempotent_and_audited(ptj):
    user = UserFactory()
    first = role_assign(user=user, role=Role.DEAN, ptj=ptj)
    again = role_assign(user=user, role=Role.DEAN, ptj=ptj)
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(action="role.assign", object_id=str(user.pk)).count() == 1


def test_cflex_admin_role_opens_the_admin_site_and_revoking_closes_it():
    user = UserFactory()
    assignment = role_assign(user=user, role=Role.CFLEX_ADMIN)
    user.refresh_from_db()
    assert user.is_staff
    role_revoke(assignment=assignment, revoked_by=None)
    user.refresh_from_db()
    assert not user.is_staff
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None  # revoked, never deleted


def test_revoking_twice_is_a_conflict():
    user = UserFactory()
    assignment = role_assign(user=user, role=Role.SME)
    role_revoke(assignment=assignment, revoked_by=None)
    with pytest.raises(ApplicationError) as exc:
        role_revoke(assignment=assignment, revoked_by=None)
    assert exc.value.code == "role_already_revoked"
    assert exc.value.status == 409

"""Each role's predicate allows the role and denies the others; PTj-scoped roles stop at their
PTj's edge (DOMAIN.md actors table, R-WF-2)."""

from __future__ import annotations

import pytest

from accounts import rules as r
from accounts.models import Committee, Role
from accounts.services import role_assign, role_revoke
from courses.services import programme_ensure
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

GLOBAL_PREDICATES = [
    (Role.COURSE_DEVELOPER, r.is_course_developer),
    (Role.CFLEX_REVIEWER, r.is_cflex_reviewer),
    (Role.CFLEX_ADMIN, r.is_cflex_admin),
    (Role.SME, r.is_sme),
    (Role.COMMITTEE_SECRETARY, r.is_committee_secretary),
    (Role.SENATE_SECRETARY, r.is_senate_secretary),
    (Role.BJKA_OFFICER, r.is_bjka_officer),
    (Role.INSTRUCTOR, r.is_instructor),
    (Role.APELC_OFFICER, r.is_apelc_officer),
    (Role.LEARNER, r.is_learner),
    (Role.DEAN, r.is_dean),
    (Role.PROGRAMME_COORDINATOR, r.is_programme_coordinator),
]


def _holder(role: Role, ptj):
    from accounts.models import PTJ_SCOPED_ROLES

    return user_with_role(
        role,
        ptj=ptj if role in PTJ_SCOPED_ROLES else None,
        committee=Committee.JPPEU if role == Role.COMMITTEE_SECRETARY else "",
    )


@pytest.mark.parametrize(("role", "predicate"), GLOBAL_PREDICATES, ids=[p[0].value for p in GLOBAL_PREDICATES])
def test_role_predicate_allows_its_role_and_denies_every_other(role, predicate, ptj):
    assert predicate(_holder(role, ptj))
    for other, _ in GLOBAL_PREDICATES:
        if other != role:
            assert not predicate(_holder(other, ptj)), f"{other} must not pass {predicate.name}"


def test_anonymous_and_inactive_users_hold_no_role(ptj):
    from django.contrib.auth.models import AnonymousUser

    assert not r.is_cflex_admin(AnonymousUser())
    user = user_with_role(Role.CFLEX_ADMIN)
    user.is_active = False
    assert not r.is_cflex_admin(user)


@pytest.mark.parametrize(
    ("role", "predicate"),
    [
        (Role.DEAN, r.is_dean_of),
        (Role.HEAD_OF_PTJ_MQA, r.is_mqa_head_of_ptj_for),
        (Role.HEAD_OF_PTJ_NON_MQA, r.is_non_mqa_head_of_ptj_for),
        (Role.COURSE_DEVELOPER, r.is_developer_in_ptj_of),
        (Role.PROGRAMME_COORDINATOR, r.is_coordinator_in_ptj_of),
    ],
)
def test_ptj_scoped_predicate_is_denied_other_ptjs_objects(role, predicate, ptj, other_ptj):
    holder = user_with_role(role, ptj=ptj)
    own = programme_ensure(code="P1", name="Bachelor of One", ptj=ptj, level="bachelor", graduating_credits=120)
    foreign = programme_ensure(
        code="P2", name="Bachelor of Two", ptj=other_ptj, level="bachelor", graduating_credits=120
    )
    assert predicate(holder, own)
    assert predicate(holder, ptj)
    assert not predicate(holder, foreign)
    assert not predicate(holder, other_ptj)
    assert not predicate(holder, None)


def test_head_of_ptj_routing_distinguishes_mqa_and_non_mqa(ptj):
    # DOMAIN R-WF-2: Dean / Deputy Dean (UG) for MQA courses, Deputy Dean (ICE) for non-MQA.
    mqa_head = user_with_role(Role.HEAD_OF_PTJ_MQA, ptj=ptj)
    non_mqa_head = user_with_role(Role.HEAD_OF_PTJ_NON_MQA, ptj=ptj)
    assert r.is_mqa_head_of_ptj_for(mqa_head, ptj) and not r.is_non_mqa_head_of_ptj_for(mqa_head, ptj)
    assert r.is_non_mqa_head_of_ptj_for(non_mqa_head, ptj) and not r.is_mqa_head_of_ptj_for(non_mqa_head, ptj)
    assert r.is_head_of_ptj_for(mqa_head, ptj) and r.is_head_of_ptj_for(non_mqa_head, ptj)


def test_dean_permission_on_programme_records_is_scoped(ptj, other_ptj):
    dean = user_with_role(Role.DEAN, ptj=ptj)
    own = programme_ensure(code="P1", name="Bachelor of One", ptj=ptj, level="bachelor", graduating_credits=120)
    foreign = programme_ensure(
        code="P2", name="Bachelor of Two", ptj=other_ptj, level="bachelor", graduating_credits=120
    )
    assert dean.has_perm("courses.change_programme", own)
    assert not dean.has_perm("courses.change_programme", foreign)
    assert not dean.has_perm("policy.change_policyversion")
    admin = user_with_role(Role.CFLEX_ADMIN)
    assert admin.has_perm("courses.change_programme", foreign)
    assert admin.has_perm("policy.add_policyversion")


def test_committee_secretary_is_scoped_to_their_committee():
    secretary = user_with_role(Role.COMMITTEE_SECRETARY, committee=Committee.JTSPPA)
    assert r.is_committee_secretary_of(Committee.JTSPPA)(secretary)
    assert not r.is_committee_secretary_of(Committee.JPPEU)(secretary)


def test_one_person_holds_several_roles(ptj, other_ptj):
    user = UserFactory()
    role_assign(user=user, role=Role.INSTRUCTOR)
    role_assign(user=user, role=Role.COURSE_DEVELOPER, ptj=ptj)
    role_assign(user=user, role=Role.DEAN, ptj=other_ptj)
    assert r.is_instructor(user) and r.is_course_developer(user) and r.is_dean(user)
    assert r.is_dean_of(user, other_ptj) and not r.is_dean_of(user, ptj)
    assert r.is_developer_in_ptj_of(user, ptj) and not r.is_developer_in_ptj_of(user, other_ptj)


def test_revoked_role_no_longer_grants(ptj):
    dean = user_with_role(Role.DEAN, ptj=ptj)
    assert r.is_dean_of(dean, ptj)
    role_revoke(assignment=dean.role_assignments.get(), revoked_by=None)
    # Roles are read once per request (cached on the user object); the next request sees it.
    next_request_user = type(dean).objects.get(pk=dean.pk)
    assert not r.is_dean_of(next_request_user, ptj)

"""Permission predicates: the one place that says who may do what.

Views, APIs and the admin ask ``user.has_perm(...)`` (django-rules backend) or call these
predicates; nothing checks roles ad hoc. A user's active roles are read once per request and
kept on the user object.

Object-level predicates find the PTj of an object through ``ptj_id`` (or the object itself
when it is a PTj), so one predicate serves proposals, programmes and applications alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules

from accounts.models import PTj, Role, RoleAssignment

_CACHE_ATTR = "_mcportal_roles"


def active_roles(user: Any) -> frozenset[tuple[str, int | None, str]]:
    """The (role, ptj_id, committee) triples the user holds now; cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", "ptj_id", "committee")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles (after a role is granted or revoked)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def ptj_id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, PTj):
        return obj.pk
    return getattr(obj, "ptj_id", None)


def ptj_ids_for(user: Any, roles_: Iterable[str]) -> set[int]:
    """The PTjs in which the user holds any of ``roles_``."""
    wanted = set(roles_)
    return {ptj for role, ptj, _ in active_roles(user) if role in wanted and ptj is not None}


def committees_for(user: Any) -> set[str]:
    return {c for role, _, c in active_roles(user) if role == Role.COMMITTEE_SECRETARY}


def has_role(role: Role) -> rules.Predicate:
    """Holds ``role`` anywhere (in any PTj or committee)."""

    def check(user: Any) -> bool:
        return any(held == role for held, _, _ in active_roles(user))

    return rules.Predicate(check, name=f"has_role:{role.value}")


def has_role_in_ptj_of(role: Role) -> rules.Predicate:
    """Holds ``role`` in the PTj the object belongs to."""

    def check(user: Any, obj: Any) -> bool:
        ptj = ptj_id_of(obj)
        return ptj is not None and (role.value, ptj, "") in active_roles(user)

    return rules.Predicate(check, name=f"has_role_in_ptj_of:{role.value}")


def is_committee_secretary_of(committee: str) -> rules.Predicate:
    def check(user: Any) -> bool:
        return committee in committees_for(user)

    return rules.Predicate(check, name=f"is_committee_secretary_of:{committee}")


is_course_developer = has_role(Role.COURSE_DEVELOPER)
is_cflex_reviewer = has_role(Role.CFLEX_REVIEWER)
is_cflex_admin = has_role(Role.CFLEX_ADMIN)
is_cflex = is_cflex_reviewer | is_cflex_admin
is_sme = has_role(Role.SME)
is_committee_secretary = has_role(Role.COMMITTEE_SECRETARY)
is_senate_secretary = has_role(Role.SENATE_SECRETARY)
is_bjka_officer = has_role(Role.BJKA_OFFICER)
is_instructor = has_role(Role.INSTRUCTOR)
is_apelc_officer = has_role(Role.APELC_OFFICER)
is_learner = has_role(Role.LEARNER)
is_dean = has_role(Role.DEAN)
is_programme_coordinator = has_role(Role.PROGRAMME_COORDINATOR)

# Object-level: scoped to the object's PTj.
is_developer_in_ptj_of = has_role_in_ptj_of(Role.COURSE_DEVELOPER)
is_mqa_head_of_ptj_for = has_role_in_ptj_of(Role.HEAD_OF_PTJ_MQA)
is_non_mqa_head_of_ptj_for = has_role_in_ptj_of(Role.HEAD_OF_PTJ_NON_MQA)
is_head_of_ptj_for = is_mqa_head_of_ptj_for | is_non_mqa_head_of_ptj_for
is_dean_of = has_role_in_ptj_of(Role.DEAN)
is_coordinator_in_ptj_of = has_role_in_ptj_of(Role.PROGRAMME_COORDINATOR)

# Permissions read by the admin and the pages.
rules.add_perm("accounts.view_ptj", rules.is_authenticated)
rules.add_perm("accounts.change_ptj", is_cflex_admin)
rules.add_perm("accounts.add_ptj", is_cflex_admin)
rules.add_perm("accounts.view_user", is_cflex_admin)
rules.add_perm("accounts.change_user", is_cflex_admin)
rules.add_perm("accounts.add_user", is_cflex_admin)
rules.add_perm("accounts.view_roleassignment", is_cflex_admin)
rules.add_perm("accounts.add_roleassignment", is_cflex_admin)
rules.add_perm("accounts.change_roleassignment", is_cflex_admin)

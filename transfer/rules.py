"""Who may see and act on credit-transfer applications (R-CT-6). Everything asks ``user.has_perm``.

The symbolic actors of ``transfer.policies.workflow`` resolve here, per application: the
applicant; an APEL.C officer, for applications claiming stand-alone MCs; the programme's
coordinator (holding the role in the programme's PTj, and named on the programme when one is
named); the Dean of the programme's PTj. Nobody reviews their own application.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.models import Role
from accounts.rules import (
    active_roles,
    is_apelc_officer,
    is_cflex_admin,
    is_dean,
    is_dean_of,
    is_learner,
    is_programme_coordinator,
)
from transfer.choices import STANDALONE_KINDS
from transfer.policies.workflow import Actor


@rules.predicate
def is_applicant(user: Any, application: Any) -> bool:
    return application is not None and user.is_authenticated and application.learner_id == user.pk


def coordinates(user: Any, ptj_id: int | None, coordinator_id: int | None) -> bool:
    """Holds the coordinator role in the PTj, and is the programme's named coordinator if any."""
    holds = (Role.PROGRAMME_COORDINATOR.value, ptj_id, "") in active_roles(user)
    return holds and (coordinator_id is None or coordinator_id == user.pk)


@rules.predicate
def is_coordinator_of(user: Any, application: Any) -> bool:
    if application is None:
        return False
    return coordinates(user, application.ptj_id, application.programme.coordinator_id)


def has_standalone_claims(application: Any) -> bool:
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "lines" in cache:
        return any(line.credential.kind in STANDALONE_KINDS for line in cache["lines"])
    return bool(application.lines.filter(credential__kind__in=sorted(STANDALONE_KINDS)).exists())


@rules.predicate
def claims_standalone(user: Any, application: Any) -> bool:
    return application is not None and has_standalone_claims(application)


ACTOR_PREDICATES: dict[str, rules.Predicate] = {
    Actor.LEARNER: is_applicant,
    Actor.APELC: ~is_applicant & is_apelc_officer & claims_standalone,
    Actor.COORDINATOR: ~is_applicant & is_coordinator_of,
    Actor.DEAN: ~is_applicant & is_dean_of,
}
for _actor, _predicate in ACTOR_PREDICATES.items():
    rules.add_perm(f"transfer.act_as_{_actor}", _predicate)

is_application_reviewer = (
    ACTOR_PREDICATES[Actor.APELC] | ACTOR_PREDICATES[Actor.COORDINATOR] | ACTOR_PREDICATES[Actor.DEAN]
)

rules.add_perm("transfer.view_application", is_applicant | is_application_reviewer | is_cflex_admin)
rules.add_perm("transfer.apply", is_learner)
rules.add_perm("transfer.add_priorcredential", is_learner)
rules.add_perm("transfer.view_queue", is_apelc_officer | is_programme_coordinator | is_dean | is_cflex_admin)
# R-AP-4: the university grants an age exception: the Dean of the programme's PTj, or CFLEX.
rules.add_perm("transfer.grant_age_exception", is_dean_of | is_cflex_admin)
# The admin site: CFLEX administrators read everything; changes go through the services.
for _model in ("applicationline", "priorcredential", "ageexception", "decisionletter"):
    rules.add_perm(f"transfer.view_{_model}", is_cflex_admin)

"""Who may do what with offerings, enrolments, marks and results. Everything asks ``user.has_perm``."""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import committees_for, is_cflex, is_cflex_admin, is_learner, is_senate_secretary


def _instructor_ids(offering: Any) -> set[int]:
    cache = getattr(offering, "_prefetched_objects_cache", {})
    if "instructors" in cache:
        return {u.pk for u in cache["instructors"]}
    return set(offering.instructors.values_list("pk", flat=True))


@rules.predicate
def is_offering_instructor(user: Any, offering: Any) -> bool:
    return offering is not None and user.is_authenticated and user.pk in _instructor_ids(offering)


@rules.predicate
def is_results_committee(user: Any, offering: Any) -> bool:
    """The secretary of the committee that endorses this offering's results (R-RS-2)."""
    return offering is not None and offering.committee in committees_for(user)


@rules.predicate
def is_own_enrolment(user: Any, enrolment: Any) -> bool:
    return enrolment is not None and user.is_authenticated and enrolment.learner_id == user.pk


@rules.predicate
def teaches_enrolment(user: Any, enrolment: Any) -> bool:
    return enrolment is not None and is_offering_instructor(user, enrolment.offering)


@rules.predicate
def is_own_profile(user: Any, profile: Any) -> bool:
    return profile is not None and user.is_authenticated and profile.user_id == user.pk


rules.add_perm("enrolment.add_offering", is_cflex_admin)
rules.add_perm("enrolment.view_offering_roster", is_offering_instructor | is_cflex)
rules.add_perm("enrolment.grade_offering", is_offering_instructor)
rules.add_perm("enrolment.submit_results", is_offering_instructor)
rules.add_perm("enrolment.endorse_results", is_results_committee)
rules.add_perm("enrolment.approve_results", is_senate_secretary)
rules.add_perm("enrolment.record_fee", is_cflex_admin)
rules.add_perm("enrolment.enrol", is_learner)
rules.add_perm("enrolment.view_enrolment", is_own_enrolment | teaches_enrolment | is_cflex)
rules.add_perm("enrolment.change_enrolment", is_own_enrolment)
# The full NRIC / passport number: the learner and CFLEX, who handle their records (decision 0020).
rules.add_perm("enrolment.view_identity", is_own_profile | is_cflex_admin)
# R-CR-7: CFLEX decides name changes; the learner and CFLEX read the evidence.
rules.add_perm("enrolment.decide_name_change", is_cflex_admin)
rules.add_perm("enrolment.view_name_evidence", is_own_profile | is_cflex_admin)

"""Who may see and change programmes, courses and proposals. Everything asks ``user.has_perm``."""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import (
    committees_for,
    is_bjka_officer,
    is_cflex,
    is_cflex_admin,
    is_cflex_reviewer,
    is_committee_secretary,
    is_course_developer,
    is_dean_of,
    is_head_of_ptj_for,
    is_mqa_head_of_ptj_for,
    is_non_mqa_head_of_ptj_for,
    is_senate_secretary,
    is_sme,
)
from courses.choices import ACCREDITED_KINDS, STANDALONE_KINDS, ProposalStatus
from courses.policies.workflow import Actor

# Programme records: CFLEX keeps them all; a Dean keeps their own PTj's.
rules.add_perm("courses.view_programme", rules.is_authenticated)
rules.add_perm("courses.add_programme", is_cflex_admin)
rules.add_perm("courses.change_programme", is_cflex_admin | is_dean_of)
rules.add_perm("courses.view_course", rules.is_authenticated)
rules.add_perm("courses.add_course", is_cflex_admin)
rules.add_perm("courses.change_course", is_cflex_admin | is_dean_of)
rules.add_perm("courses.view_programmecourse", is_cflex)
rules.add_perm("courses.add_programmecourse", is_cflex_admin)
rules.add_perm("courses.change_programmecourse", is_cflex_admin)
rules.add_perm("courses.delete_programmecourse", is_cflex_admin)


def _co_developer_ids(proposal: Any) -> set[int]:
    cache = getattr(proposal, "_prefetched_objects_cache", {})
    if "co_developers" in cache:
        return {u.pk for u in cache["co_developers"]}
    return set(proposal.co_developers.values_list("pk", flat=True))


@rules.predicate
def is_proposal_owner(user: Any, proposal: Any) -> bool:
    return proposal is not None and user.is_authenticated and proposal.created_by_id == user.pk


@rules.predicate
def is_proposal_co_developer(user: Any, proposal: Any) -> bool:
    return proposal is not None and user.is_authenticated and user.pk in _co_developer_ids(proposal)


@rules.predicate
def is_draft_proposal(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.status == ProposalStatus.DRAFT


@rules.predicate
def is_editable_proposal(user: Any, proposal: Any) -> bool:
    """A draft, or returned for revision (R-WF-3)."""
    return proposal is not None and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.RETURNED)


@rules.predicate
def is_accredited_proposal(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.kind in ACCREDITED_KINDS


@rules.predicate
def is_standalone_proposal(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.kind in STANDALONE_KINDS


@rules.predicate
def is_appointed_sme(user: Any, proposal: Any) -> bool:
    return proposal is not None and user.is_authenticated and proposal.sme_id == user.pk


@rules.predicate
def is_proposal_committee_secretary(user: Any, proposal: Any) -> bool:
    """The secretary of THIS proposal's committee (``Proposal.committee``, set at submission by
    ``courses.api.committee_for``)."""
    return proposal is not None and bool(proposal.committee) and proposal.committee in committees_for(user)


# The owner and co-developers design a proposal.
is_proposal_author = is_proposal_owner | is_proposal_co_developer

# R-WF-2: the Head-of-PTj step routes by type, within the proposal's own PTj.
is_routed_head_of_ptj = (is_accredited_proposal & is_mqa_head_of_ptj_for) | (
    is_standalone_proposal & is_non_mqa_head_of_ptj_for
)

# The symbolic actors of courses.policies.workflow.TABLE. Separation of duties: an author never
# acts as a reviewer of their own proposal, whatever roles they hold.
ACTOR_PREDICATES: dict[str, rules.Predicate] = {
    Actor.DEVELOPER: is_proposal_author & is_course_developer,
    Actor.HEAD_OF_PTJ: ~is_proposal_author & is_routed_head_of_ptj,
    Actor.CFLEX: ~is_proposal_author & is_cflex_reviewer,
    Actor.SME: ~is_proposal_author & is_sme & is_appointed_sme,
    Actor.COMMITTEE: ~is_proposal_author & is_proposal_committee_secretary,
    Actor.SENATE: ~is_proposal_author & is_senate_secretary,
    Actor.BJKA: ~is_proposal_author & is_bjka_officer & is_accredited_proposal,
    Actor.SYSTEM: rules.always_deny,
}
for _actor, _predicate in ACTOR_PREDICATES.items():
    rules.add_perm(f"courses.act_as_{_actor}", _predicate)

# Who sees a submitted proposal: its Head of PTj and CFLEX; its SME; the secretary of its committee;
# the Senate secretary; BJKA for MQA courses (docs/decisions/0030).
is_proposal_reviewer = ~is_draft_proposal & (
    is_cflex
    | is_head_of_ptj_for
    | is_appointed_sme
    | is_proposal_committee_secretary
    | is_senate_secretary
    | (is_bjka_officer & is_accredited_proposal)
)

rules.add_perm("courses.add_proposal", is_course_developer)
rules.add_perm("courses.view_proposal", is_proposal_author | is_proposal_reviewer)
rules.add_perm("courses.change_proposal", is_proposal_author & is_editable_proposal & is_course_developer)
rules.add_perm("courses.submit_proposal", is_proposal_author & is_editable_proposal & is_course_developer)
rules.add_perm("courses.delete_proposal", is_proposal_owner & is_draft_proposal & is_course_developer)
# CFLEX appoints SMEs, marks video steps not applicable, and keeps the agendas (R-WF-1, R-WF-4).
rules.add_perm("courses.appoint_sme", ~is_proposal_author & is_cflex_reviewer)
rules.add_perm("courses.manage_agenda", is_cflex_reviewer)
rules.add_perm("courses.view_pipeline", is_cflex)

# Meetings: CFLEX keeps agendas; secretaries keep their own body's meetings (courses.services.meetings).
rules.add_perm("courses.view_meetings", is_cflex_reviewer | is_committee_secretary | is_senate_secretary)
# R-CR-6 / R-QA-3: MQR references (BJKA registers MQA courses) and QVC verifications (CFLEX).
rules.add_perm("courses.record_mqr_reference", is_cflex_admin | is_bjka_officer)
rules.add_perm("courses.record_qvc_reference", is_cflex_admin)
rules.add_perm("courses.view_quality_references", is_cflex | is_bjka_officer)

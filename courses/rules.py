"""Who may see and change programmes, courses and proposals. Everything asks ``user.has_perm``."""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import is_cflex, is_cflex_admin, is_course_developer, is_dean_of, is_head_of_ptj_for
from courses.choices import ProposalStatus

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


# The owner and co-developers design a proposal; reviewers see it once it is submitted.
is_proposal_author = is_proposal_owner | is_proposal_co_developer
is_proposal_reviewer = ~is_draft_proposal & (is_cflex | is_head_of_ptj_for)

rules.add_perm("courses.add_proposal", is_course_developer)
rules.add_perm("courses.view_proposal", is_proposal_author | is_proposal_reviewer)
rules.add_perm("courses.change_proposal", is_proposal_author & is_draft_proposal & is_course_developer)
rules.add_perm("courses.submit_proposal", is_proposal_author & is_draft_proposal & is_course_developer)
rules.add_perm("courses.delete_proposal", is_proposal_owner & is_draft_proposal & is_course_developer)

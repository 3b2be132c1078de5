"""Reads (STYLE.md ``selectors``): querysets filtered by who asks, and proposals as plain values."""

from courses.selectors.documents import proposal_document
from courses.selectors.proposals import (
    code_in_use,
    not_found,
    proposal_data,
    proposal_get,
    proposal_outcomes,
    proposal_snapshot,
    proposals_authored_by,
    proposals_visible_to,
    with_design,
)
from courses.selectors.records import code_suggestion, codes_in_series, course_developers, origin_choices, staff_users

__all__ = [
    "code_in_use",
    "code_suggestion",
    "codes_in_series",
    "course_developers",
    "not_found",
    "origin_choices",
    "proposal_data",
    "proposal_document",
    "proposal_get",
    "proposal_outcomes",
    "proposal_snapshot",
    "proposals_authored_by",
    "proposals_visible_to",
    "staff_users",
    "with_design",
]

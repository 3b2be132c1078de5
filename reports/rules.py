"""Who sees which report (R-QA-2, docs/decisions/0060).

- University-wide: CFLEX (administrators and reviewers), BJKA (the quality unit that registers
  courses with MQA) and the Senate secretary (for the Senate, the university's leadership).
- One PTj: its Dean and its Head-of-PTj approvers (the Deputy Deans of R-WF-2).
- Learner experience only: an instructor, for the offerings they teach.
- Free-text survey comments: CFLEX administrators, the Dean of the course's PTj, and the
  instructors of the offering the learner answered about.

Everyone else gets 403 on the report pages.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.models import Role
from accounts.rules import active_roles, is_bjka_officer, is_cflex, ptj_ids_for
from reports.policies import Scope

UNIVERSITY_WIDE = frozenset({Role.CFLEX_ADMIN, Role.CFLEX_REVIEWER, Role.BJKA_OFFICER, Role.SENATE_SECRETARY})
PTJ_LEADERS = frozenset({Role.DEAN, Role.HEAD_OF_PTJ_MQA, Role.HEAD_OF_PTJ_NON_MQA})


def viewer_scope(user: Any) -> Scope:
    """What ``user`` may see in the reports, from the roles they hold now (no query beyond the
    cached role list)."""
    held = {role for role, _, _ in active_roles(user)}
    return Scope(
        everything=bool(held & UNIVERSITY_WIDE),
        ptj_ids=frozenset(ptj_ids_for(user, PTJ_LEADERS)),
        teacher_id=user.pk if Role.INSTRUCTOR in held else None,
        comments_everywhere=Role.CFLEX_ADMIN in held,
        comment_ptj_ids=frozenset(ptj_ids_for(user, [Role.DEAN])),
    )


@rules.predicate
def sees_dashboards(user: Any) -> bool:
    return viewer_scope(user).sees_dashboards


@rules.predicate
def sees_experience(user: Any) -> bool:
    return viewer_scope(user).sees_experience


rules.add_perm("reports.view_dashboards", sees_dashboards)
rules.add_perm("reports.view_experience", sees_experience)
rules.add_perm("reports.view_reports", sees_dashboards | sees_experience)
# R-QA-3: the eSP export names learners with their whole identity number: CFLEX and BJKA only.
rules.add_perm("reports.esp_export", is_cflex | is_bjka_officer)

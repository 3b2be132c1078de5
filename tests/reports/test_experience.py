"""Learner experience against the hand-worked world of conftest.py (DOMAIN R-RS-3, R-QA-2):
survey averages per course and instructor, the overall spread, and who may read comments."""

from __future__ import annotations

import pytest

from accounts.models import Role
from reports.policies import NO_VALUE as N
from reports.policies import Filters, Scope
from reports.rules import viewer_scope
from reports.selectors import experience
from tests.reports.conftest import viewer

pytestmark = pytest.mark.django_db

EVERYTHING = Filters(everything=True)


def test_results_by_course(world):
    # 4 learners stayed (L5 withdrew, L6 deferred), 3 answered: content (5+4+2)/3, instructor
    # (5+3+2)/3, platform (4+4+3)/3, overall (5+4+1)/3.
    a, b = world.course_a, world.course_b
    expected = sorted(
        [
            [a.code, a.title, "4", "3", "75.0", "3.67", "3.33", "3.67", "3.33"],
            [b.code, b.title, "2", "0", "0.0", N, N, N, N],
        ]
    )
    assert experience.by_course(EVERYTHING).text_rows() == expected


def test_results_by_instructor_and_overall_spread(world):
    assert experience.by_instructor(EVERYTHING).text_rows() == [
        [world.teacher_a.full_name, "1", "3", "3.67", "3.33", "3.67", "3.33"]
    ]
    assert experience.overall(EVERYTHING).text_rows() == [["1", "1"], ["2", "0"], ["3", "0"], ["4", "1"], ["5", "1"]]


def _comments(user):
    scope = viewer_scope(user)
    filters = Filters(everything=scope.everything, ptj_ids=scope.ptj_ids, teacher_id=scope.teacher_id)
    return sorted(row[1] for row in experience.comments(filters, scope).text_rows())


def test_comments_only_for_cflex_admins_the_dean_of_the_ptj_and_the_offering_instructors(world):
    # docs/decisions/0060; learners are never named in a comment row
    both = ["Great labs", "Too fast."]
    assert _comments(world.admin) == both
    assert _comments(viewer(Role.DEAN, world.fcsit)) == both
    assert _comments(world.teacher_a) == both
    assert _comments(world.teacher_b) == []
    assert _comments(viewer(Role.DEAN, world.feng)) == []
    reviewer = viewer_scope(viewer(Role.CFLEX_REVIEWER))
    assert reviewer.everything and not reviewer.reads_comments
    head = viewer_scope(viewer(Role.HEAD_OF_PTJ_MQA, world.fcsit))
    assert head.ptj_ids == {world.fcsit.pk} and not head.reads_comments
    row = experience.comments(EVERYTHING, Scope(comments_everywhere=True)).text_rows()[0]
    assert row[0] == world.course_a.code and row[3] == "2026/2027 Semester 1"
    assert len(row) == 5  # course, comment, overall, intake, date: nobody's name


def test_an_instructor_sees_only_the_offerings_they_teach(world):
    scope = viewer_scope(world.teacher_b)
    mine = Filters(teacher_id=scope.teacher_id)
    assert [r[0] for r in experience.by_course(mine).text_rows()] == [world.course_b.code]
    assert experience.by_instructor(mine).text_rows() == []
    assert experience.overall(mine).text_rows() == [[str(n), "0"] for n in range(1, 6)]

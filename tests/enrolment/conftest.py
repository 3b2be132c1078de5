from __future__ import annotations

import pytest

from tests.enrolment import builders


@pytest.fixture
def course(db):
    return builders.ready_course()


@pytest.fixture
def teacher(db):
    return builders.instructor()


@pytest.fixture
def admin(db):
    return builders.cflex_admin()


@pytest.fixture
def offer(course, teacher, admin):
    return builders.offering(course, admin=admin, teacher=teacher)

"""Programmes as credit transfer sees them: level, credits, courses (MPU), entry requirements, the
named coordinator (checked and audited, also from the admin) and the Dean of the PTj."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import Role
from audit.models import AuditEvent
from core.errors import ApplicationError, ErrorKind
from courses.api import mc_origins, programme_get
from courses.services import programme_coordinator_set, programme_ensure
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_programme_data_names_the_coordinator_the_dean_and_the_mpu_courses(world):
    data = programme_get(world.programme.pk)
    assert (data.level, data.graduating_credits, data.coordinator_name) == ("bachelor", 120, "Dr. Rina Binti Mahmud")
    assert data.dean_names == ("Prof. Dr. Wan Azlan",) and not data.is_foundation
    assert data.course("MPU3183").is_mpu and not data.course("TMN4033").is_mpu
    assert data.entry_requirements.startswith("STPM")


def test_the_coordinator_must_hold_the_role_in_the_programmes_ptj(world, other_ptj):
    elsewhere = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=other_ptj)
    with pytest.raises(ApplicationError) as refused:
        programme_coordinator_set(programme=world.programme, coordinator=elsewhere)
    assert (refused.value.code, refused.value.field) == ("coordinator_role_missing", "coordinator")
    with pytest.raises(ApplicationError) as forbidden:
        programme_coordinator_set(programme=world.programme, coordinator=None, actor=world.dean)
    assert forbidden.value.kind == ErrorKind.FORBIDDEN
    programme_coordinator_set(programme=world.programme, coordinator=None, actor=world.admin)
    world.programme.refresh_from_db()
    assert world.programme.coordinator is None
    assert AuditEvent.objects.filter(action="programme.coordinator", actor=world.admin).exists()


def test_cflex_names_the_coordinator_in_the_admin(world):
    successor = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=world.ptj, full_name="Dr. Lee Mei Fong")
    outsider = user_with_role(Role.INSTRUCTOR)
    client = Client()
    client.force_login(world.admin)
    url = f"/admin/courses/programme/{world.programme.pk}/change/"
    form = {
        "code": "SK99",
        "name": world.programme.name,
        "ptj": world.ptj.pk,
        "level": "bachelor",
        "mqa_accredited": "on",
        "graduating_credits": 120,
        "entry_requirements": world.programme.entry_requirements,
        "is_active": "on",
        "programme_courses-TOTAL_FORMS": 0,
        "programme_courses-INITIAL_FORMS": 0,
        "initial-coordinator": world.coordinator.pk,  # the hidden field: the coordinator the page showed
    }
    assert f'name="initial-coordinator" value="{world.coordinator.pk}"' in client.get(url).content.decode()
    refused = client.post(url, {**form, "coordinator": outsider.pk})
    assert refused.status_code == 200 and "must hold the programme coordinator role" in refused.content.decode()
    saved = client.post(url, {**form, "coordinator": successor.pk})
    assert saved.status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.coordinator == successor
    event = AuditEvent.objects.get(action="programme.coordinator", actor=world.admin)
    assert event.data == {"previous": world.coordinator.pk, "coordinator": successor.pk}


def test_a_coordinator_named_meanwhile_is_refused_with_409_and_the_current_name(world):
    """Issue 12 (lost updates): naming the coordinator is a "set"; the service compares the
    coordinator the administrator saw with the one under the row lock. In the admin the page's
    hidden initial value is what was seen: a stale save is 409 naming the current coordinator."""
    successor = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=world.ptj, full_name="Dr. Lee Mei Fong")
    with pytest.raises(ApplicationError) as stale:
        programme_coordinator_set(
            programme=world.programme, coordinator=successor, actor=world.admin, expected_coordinator_id=None
        )
    assert (stale.value.code, stale.value.status, stale.value.field) == ("stale_change", 409, "coordinator")
    assert stale.value.current == {"coordinator": world.coordinator.pk, "name": "Dr. Rina Binti Mahmud"}
    events = AuditEvent.objects.filter(action="programme.coordinator").count()
    client = Client()
    client.force_login(world.admin)
    url = f"/admin/courses/programme/{world.programme.pk}/change/"
    form = {
        "code": "SK99",
        "name": world.programme.name,
        "ptj": world.ptj.pk,
        "level": "bachelor",
        "mqa_accredited": "on",
        "graduating_credits": 120,
        "entry_requirements": world.programme.entry_requirements,
        "is_active": "on",
        "programme_courses-TOTAL_FORMS": 0,
        "programme_courses-INITIAL_FORMS": 0,
        "coordinator": successor.pk,
        "initial-coordinator": "",  # the page was read before the current coordinator was named
    }
    response = client.post(url, form)
    assert response.status_code == 409
    assert "Someone else named Dr. Rina Binti Mahmud as the coordinator" in response.content.decode()
    world.programme.refresh_from_db()
    assert world.programme.coordinator == world.coordinator
    assert AuditEvent.objects.filter(action="programme.coordinator").count() == events


def test_mc_origins_know_the_whole_course_of_a_divided_part(world):
    # DOMAIN R-NM-2: TMUI233MC -> TMUI233; a part names its whole course and its own credits.
    from tests.enrolment.builders import ready_course

    proposal = ready_course()
    origin = mc_origins([proposal.code])[proposal.code]
    assert (origin.category, origin.origin_course_code, origin.origin_course_credits) == (
        1,
        proposal.origin_course.code,
        3,
    )
    assert origin.part_credits is None and not origin.is_qvc
    assert mc_origins(["NOPE999MC"]) == {}


def test_a_foundation_programme_cannot_be_evaluated(world):
    # DOMAIN R-CAT-5
    foundation = programme_ensure(
        code="ASC", name="Foundation in Science", ptj=world.ptj, level="foundation", graduating_credits=36
    )
    client = Client()
    client.force_login(world.learner)
    response = client.post(
        "/api/v1/transfer/evaluate/", data=json.dumps({"programme": foundation.pk}), content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]["field"] == "programme"

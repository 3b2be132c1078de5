"""Programme and course records saved in the admin go through ``programme_ensure`` /
``course_ensure`` and the update services, with their audit events (issue 14: one way in). The
R-CT-6 coordinator check is the service's, shown on the admin form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from courses.models import Course, Programme
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def cflex(client):
    admin = user_with_role(Role.CFLEX_ADMIN)
    client.force_login(admin)
    client.admin = admin
    return client


def _programme_form(ptj, **extra):
    return {
        "code": "SK77",
        "name": "Bachelor of Computer Science (Network Computing)",
        "ptj": ptj.pk,
        "level": "bachelor",
        "mqa_accredited": "on",
        "mqa_reference": "MQA/FA1234",
        "graduating_credits": 120,
        "entry_requirements": "STPM",
        "is_active": "on",
        "programme_courses-TOTAL_FORMS": 0,
        "programme_courses-INITIAL_FORMS": 0,
        **extra,
    }


def test_adding_and_changing_a_programme_in_the_admin_writes_audit_events(cflex, ptj):
    course = Course.objects.create(code="TMN3013", name="Network Programming", credits=3, ptj=ptj)
    form = _programme_form(
        ptj,
        **{
            "programme_courses-TOTAL_FORMS": 1,
            "programme_courses-0-course": course.pk,
            "programme_courses-0-is_core": "on",
        },
    )
    assert cflex.post(reverse("admin:courses_programme_add"), form).status_code == 302
    programme = Programme.objects.get(code="SK77")
    assert programme.mqa_reference == "MQA/FA1234" and list(programme.courses.all()) == [course]
    add = AuditEvent.objects.get(action="programme.add", object_id=str(programme.pk))
    assert add.actor == cflex.admin
    assert AuditEvent.objects.filter(action="programme.course_link", object_id=str(programme.pk)).exists()

    change = reverse("admin:courses_programme_change", args=[programme.pk])
    link = programme.programme_courses.get()
    form = _programme_form(
        ptj,
        graduating_credits=128,
        **{
            "programme_courses-TOTAL_FORMS": 1,
            "programme_courses-INITIAL_FORMS": 1,
            "programme_courses-0-id": link.pk,
            "programme_courses-0-programme": programme.pk,
            "programme_courses-0-course": course.pk,
            "programme_courses-0-is_core": "on",
        },
    )
    assert cflex.post(change, form).status_code == 302
    programme.refresh_from_db()
    assert programme.graduating_credits == 128
    event = AuditEvent.objects.get(action="programme.change", object_id=str(programme.pk))
    assert event.data == {"fields": ["graduating_credits"]} and event.actor == cflex.admin


def test_the_admin_refuses_a_coordinator_without_the_role_by_the_services_rule(cflex, ptj):
    # DOMAIN R-CT-6
    outsider = user_with_role(Role.INSTRUCTOR)
    response = cflex.post(reverse("admin:courses_programme_add"), _programme_form(ptj, coordinator=outsider.pk))
    assert response.status_code == 200
    assert "must hold the programme coordinator role" in response.content.decode()
    assert not Programme.objects.exists() and not AuditEvent.objects.filter(action="programme.add").exists()


def test_adding_and_changing_a_course_in_the_admin_writes_audit_events(cflex, ptj):
    form = {"code": "TMN4033", "name": "Internet of Things", "credits": 3, "ptj": ptj.pk, "is_active": "on"}
    assert cflex.post(reverse("admin:courses_course_add"), form).status_code == 302
    course = Course.objects.get(code="TMN4033")
    assert AuditEvent.objects.get(action="course.add", object_id=str(course.pk)).actor == cflex.admin
    change = reverse("admin:courses_course_change", args=[course.pk])
    assert cflex.post(change, {**form, "name": "Internet of Things Systems"}).status_code == 302
    course.refresh_from_db()
    assert course.name == "Internet of Things Systems"
    assert AuditEvent.objects.get(action="course.change", object_id=str(course.pk)).data == {"fields": ["name"]}


def test_records_are_retired_never_deleted_in_the_admin(cflex, ptj):
    course = Course.objects.create(code="TMN3013", name="Network Programming", credits=3, ptj=ptj)
    response = cflex.post(reverse("admin:courses_course_delete", args=[course.pk]), {"post": "yes"})
    assert response.status_code == 403 and Course.objects.filter(pk=course.pk).exists()

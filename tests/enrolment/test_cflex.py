"""CFLEX opens offerings of ready courses and records fees, on pages and through the API
(R-EN-5, R-WF-1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from courses.choices import ProposalStatus
from enrolment.models import Enrolment, Offering
from enrolment.services import enrolment_create
from tests.enrolment import builders
from tests.openapi import assert_conforms

pytestmark = pytest.mark.django_db


def _form(course, teacher, **overrides):
    today = timezone.localdate()
    data = {
        "proposal": course.pk,
        "session": "2026/2027 Semester 2",
        "starts_on": (today + timedelta(days=30)).isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "platform": "l4l",
        "capacity": "25",
        "fee": "150.00",
        "enrolment_opens": today.isoformat(),
        "enrolment_closes": (today + timedelta(days=20)).isoformat(),
        "instructors": [teacher.pk],
        "minimum_requirements": "Basic computer literacy",
    }
    data.update(overrides)
    return data


def test_cflex_admin_opens_an_offering_from_the_page(client, course, teacher, admin):
    client.force_login(admin)
    page = client.get(reverse("cflex-offerings"))
    assert page.status_code == 200
    assert course.code.encode() in page.content  # the ready course is offered as a choice
    response = client.post(reverse("cflex-offerings"), _form(course, teacher))
    offering = Offering.objects.get()
    assert response.status_code == 302 and response.url == reverse("cflex-offering", args=[offering.pk])
    assert (offering.capacity, offering.platform, str(offering.fee)) == (25, "l4l", "150.00")
    assert list(offering.instructors.all()) == [teacher]
    assert AuditEvent.objects.filter(object_id=str(offering.pk), action__startswith="offering").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": "0"}, "capacity"),
        ({"fee": "-5"}, "fee"),
        ({"platform": "moodle"}, "platform"),
        ({"starts_on": ""}, "starts_on"),
    ],
)
def test_bad_offering_input_is_400_naming_the_field_and_keeps_the_input(
    client, course, teacher, admin, overrides, field
):
    client.force_login(admin)
    response = client.post(reverse("cflex-offerings"), _form(course, teacher, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b"2026/2027 Semester 2" in response.content  # what was typed is still there
    assert not Offering.objects.exists()


def test_service_rule_errors_reach_the_form(client, course, teacher, admin):
    client.force_login(admin)
    today = timezone.localdate()
    late = _form(course, teacher, enrolment_closes=(today + timedelta(days=200)).isoformat())
    response = client.post(reverse("cflex-offerings"), late)
    assert response.status_code == 400
    assert "enrolment_closes" in response.context["form"].errors
    assert not Offering.objects.exists()


def test_a_course_not_ready_to_offer_is_refused_by_the_api(course, teacher, admin):
    type(course).objects.filter(pk=course.pk).update(status=ProposalStatus.SENATE_APPROVED)
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post(reverse("api-offering-create"), _form(course, teacher), format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "course_not_ready"


def test_a_course_that_does_not_exist_is_a_documented_404_not_a_500(course, teacher, admin):
    """Found by the API fuzzing (issue 12): an unknown proposal id was a 500 (DoesNotExist)."""
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post(
        reverse("api-offering-create"), _form(course, teacher, proposal=course.pk + 1000), format="json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "course_not_found"
    assert_conforms(response, "/api/v1/offerings/create/", "post")
    assert not Offering.objects.exists()


def test_api_opens_an_offering(course, teacher, admin):
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post(reverse("api-offering-create"), _form(course, teacher), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["capacity"] == 25


@pytest.mark.parametrize("who", ["teacher", "learner"])
def test_only_cflex_admins_reach_offerings(client, course, teacher, who):
    user = teacher if who == "teacher" else builders.learner()
    client.force_login(user)
    assert client.get(reverse("cflex-offerings")).status_code == 404
    api = APIClient()
    api.force_authenticate(user)
    assert api.post(reverse("api-offering-create"), _form(course, teacher), format="json").status_code == 403
    assert not Offering.objects.exists()


def test_fee_is_recorded_on_the_roster_and_a_paid_fee_needs_a_reference(client, offer, admin):
    learner = builders.learner()
    enrolment = enrolment_create(actor=learner, offering=offer, confirmed_requirements=[])
    client.force_login(admin)
    roster = client.get(reverse("cflex-offering", args=[offer.pk]))
    assert roster.status_code == 200 and learner.full_name.encode() in roster.content
    refused = client.post(
        reverse("cflex-fee", args=[enrolment.pk]),
        {"fee_status": "paid", "reference": "", "expected_fee_status": "pending"},
    )
    assert refused.status_code == 400
    assert b'data-error-code="fee_reference_required"' in refused.content
    enrolment.refresh_from_db()
    assert enrolment.fee_status == "pending"
    done = client.post(
        reverse("cflex-fee", args=[enrolment.pk]),
        {"fee_status": "paid", "reference": "FPX-20261122-001", "expected_fee_status": "pending"},
    )
    assert done.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.fee_status, enrolment.fee_reference) == ("paid", "FPX-20261122-001")

    api = APIClient()
    api.force_authenticate(learner)
    assert api.post(reverse("api-fee-record", args=[enrolment.pk]), {"fee_status": "waived"}).status_code == 404
    api.force_authenticate(admin)
    response = api.post(
        reverse("api-fee-record", args=[enrolment.pk]), {"fee_status": "waived", "expected_fee_status": "paid"}
    )
    assert response.status_code == 200 and response.json()["fee_status"] == "waived"
    assert Enrolment.objects.get(pk=enrolment.pk).fee_reference == ""


@pytest.mark.parametrize("body", [{}, {"fee_status": "gold", "capacity": "many", "assessment_ends_on": "soon"}])
def test_offering_fee_and_assessment_end_check_the_permission_before_the_input(offer, teacher, admin, body):
    """Issue 12: an outsider with a bad body gets the permission answer (403 where there is no
    record yet, 404 for someone else's enrolment or offering), never a 400 about the body; a CFLEX
    administrator's bad body is still a 400 naming the field."""
    enrolment = enrolment_create(actor=builders.learner(), offering=offer, confirmed_requirements=[])
    routes = [
        (reverse("api-offering-create"), 403, "offering_forbidden"),
        (reverse("api-fee-record", args=[enrolment.pk]), 404, "enrolment_not_found"),
        (reverse("api-offering-assessment-end", args=[offer.pk]), 404, "offering_not_found"),
    ]
    api = APIClient()
    for url, status, code in routes:
        for outsider in (teacher, builders.learner()):
            api.force_authenticate(outsider)
            refused = api.post(url, body, format="json")
            assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), url
        api.force_authenticate(admin)
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and response.json()["error"]["field"], (url, response.json())
    assert Enrolment.objects.get(pk=enrolment.pk).fee_status == "pending"


def test_a_fee_changed_meanwhile_is_refused_with_the_current_fee(client, offer, admin):
    """Issue 12 (lost updates): the fee is a "set"; the API's expected_fee_status and the page's
    hidden field are what the administrator saw. If another recorded the fee since, 409
    stale_change with the current fee (error.current; in words on the page), and nothing changes."""
    enrolment = enrolment_create(actor=builders.learner(), offering=offer, confirmed_requirements=[])
    api = APIClient()
    api.force_authenticate(admin)
    url = reverse("api-fee-record", args=[enrolment.pk])
    first = api.post(url, {"fee_status": "paid", "reference": "FPX-1", "expected_fee_status": "pending"})
    assert first.status_code == 200
    events = AuditEvent.objects.filter(action="enrolment.fee").count()
    stale = api.post(url, {"fee_status": "waived", "expected_fee_status": "pending"}, format="json")
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["field"]) == ("stale_change", "expected_fee_status")
    assert error["current"] == {"fee_status": "paid", "reference": "FPX-1"}
    assert api.post(url, {"fee_status": "waived"}, format="json").json()["error"]["field"] == "expected_fee_status"
    client.force_login(admin)
    roster = client.get(reverse("cflex-offering", args=[offer.pk])).content.decode()
    assert 'name="expected_fee_status" value="paid"' in roster
    page = client.post(
        reverse("cflex-fee", args=[enrolment.pk]), {"fee_status": "waived", "expected_fee_status": "pending"}
    )
    assert page.status_code == 409 and "recorded this fee as Paid" in page.content.decode()
    enrolment.refresh_from_db()
    assert (enrolment.fee_status, enrolment.fee_reference) == ("paid", "FPX-1")
    assert AuditEvent.objects.filter(action="enrolment.fee").count() == events

"""Marks and maximum scores are "set" actions, not transitions (issue 12): the API's
``expected_score`` and the gradebook's hidden fields carry what the instructor saw; a change made
meanwhile (by a co-instructor, an import) is refused with 409 ``stale_change`` and the current
value, in words on the page, and nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.errors import ApplicationError
from courses.api import ready_course_get
from enrolment.models import Mark, Offering
from enrolment.services import MarkEntry, enrolment_create, mark_record, marks_record, offering_max_score_set
from tests.enrolment import builders

pytestmark = pytest.mark.django_db


def _component(offer, title: str):
    return next(c for c in ready_course_get(offer.proposal_id).components if c.title == title)


@pytest.fixture
def marked(offer, teacher):
    """A learner with 60 for the essay, recorded by someone else since the page was read."""
    enrolment = enrolment_create(actor=builders.learner(), offering=offer)
    essay = _component(offer, "Essay")
    mark_record(actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=essay.id, score=60)
    return enrolment, essay


def test_a_stale_mark_through_the_api_is_409_with_the_current_mark(offer, teacher, marked):
    enrolment, essay = marked
    api = APIClient()
    api.force_authenticate(teacher)
    url = reverse("api-mark-record", args=[offer.pk])
    events = AuditEvent.objects.filter(action="mark.record").count()
    body = {"enrolment": enrolment.pk, "component": essay.id, "score": "75", "expected_score": None}
    stale = api.post(url, body, format="json")
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["field"], error["current"]) == ("stale_change", "expected_score", {"score": "60.00"})
    assert enrolment.learner.full_name in error["message"]
    missing = api.post(url, {k: v for k, v in body.items() if k != "expected_score"}, format="json")
    assert (missing.status_code, missing.json()["error"]["field"]) == (400, "expected_score")
    assert Mark.objects.get(enrolment=enrolment, component_id=essay.id).score == Decimal(60)
    assert AuditEvent.objects.filter(action="mark.record").count() == events
    assert api.post(url, {**body, "expected_score": "60.0"}, format="json").status_code == 201
    assert Mark.objects.get(enrolment=enrolment, component_id=essay.id).score == Decimal(75)


def test_a_stale_row_refuses_the_whole_column_and_names_the_current_mark(offer, teacher, marked):
    enrolment, essay = marked
    other = enrolment_create(actor=builders.learner(), offering=offer)
    entries = [
        MarkEntry(enrolment_id=other.pk, score="50", expected=None),
        MarkEntry(enrolment_id=enrolment.pk, score="70", expected=""),
    ]
    with pytest.raises(ApplicationError) as refused:
        marks_record(actor=teacher, offering=offer, component_id=essay.id, entries=entries)
    assert (refused.value.code, refused.value.status) == ("stale_change", 409)
    assert refused.value.current == {"scores": [{"enrolment": enrolment.pk, "score": "60.00"}]}
    assert not Mark.objects.filter(enrolment=other).exists()  # all or nothing


def test_the_gradebook_carries_the_mark_it_showed_and_says_the_current_one(client, offer, teacher, marked):
    enrolment, essay = marked
    client.force_login(teacher)
    page = client.get(reverse("gradebook", args=[offer.pk]), {"component": essay.id}).content.decode()
    assert f'name="was-{enrolment.pk}" value="60.00"' in page
    response = client.post(
        reverse("gradebook", args=[offer.pk]),
        {"form": "marks", "component": essay.id, f"score-{enrolment.pk}": "80", f"was-{enrolment.pk}": ""},
        follow=True,
    )
    assert f"Someone else recorded 60.00 for {enrolment.learner.full_name}" in response.content.decode()
    assert Mark.objects.get(enrolment=enrolment, component_id=essay.id).score == Decimal(60)


def test_a_stale_maximum_is_409_and_the_page_says_the_current_one(client, offer, teacher):
    quiz = _component(offer, "Quiz")
    offering_max_score_set(
        actor=teacher, offering=offer, component_id=quiz.id, max_score="10", expected_max_score="100"
    )
    with pytest.raises(ApplicationError) as refused:
        offering_max_score_set(
            actor=teacher, offering=offer, component_id=quiz.id, max_score="20", expected_max_score="100"
        )
    assert (refused.value.code, refused.value.status, refused.value.field) == (
        "stale_change",
        409,
        "expected_max_score",
    )
    assert refused.value.current == {"component": quiz.id, "max_score": "10"}
    client.force_login(teacher)
    page = client.get(reverse("gradebook", args=[offer.pk])).content.decode()
    assert 'name="expected_max_score" value="10"' in page
    response = client.post(
        reverse("gradebook", args=[offer.pk]),
        {"form": "max", "component": quiz.id, "max_score": "20", "expected_max_score": "100"},
        follow=True,
    )
    assert "Someone else set Quiz out of 10" in response.content.decode()
    assert Offering.objects.get(pk=offer.pk).max_score_for(quiz.id) == Decimal(10)

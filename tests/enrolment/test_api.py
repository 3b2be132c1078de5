"""The enrolment API: the same services as the pages, the one error envelope, other people's
records as 404 (R-EN, R-AS-4, R-RS-1, R-RS-2)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Committee
from courses.api import ready_course_get
from enrolment.models import Enrolment, Mark
from enrolment.services import enrolment_create, mark_record
from tests.enrolment import builders

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _component(offer, title: str):
    return next(c for c in ready_course_get(offer.proposal_id).components if c.title == title)


def test_catalogue_is_public_and_lists_open_offerings(offer):
    body = _client().get(reverse("api-catalogue")).json()
    assert [o["id"] for o in body] == [offer.pk]
    assert body[0]["seats_left"] == offer.capacity


def test_a_learner_enrols_once_and_sees_it(offer):
    learner = builders.learner()
    api = _client(learner)
    response = api.post(reverse("api-enrol", args=[offer.pk]), {}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "enrolled"
    again = api.post(reverse("api-enrol", args=[offer.pk]), {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_enrolled"
    mine = api.get(reverse("api-my-enrolments")).json()
    assert [(e["offering"], e["final_mark"], e["grade"]) for e in mine] == [(offer.pk, None, None)]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"confirmed_requirements": "not-a-list"}, "confirmed_requirements"),
        ({"international_notice_accepted": "maybe"}, "international_notice_accepted"),
    ],
)
def test_bad_enrolment_input_is_400_naming_the_field(offer, payload, field):
    response = _client(builders.learner()).post(reverse("api-enrol", args=[offer.pk]), payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert not Enrolment.objects.exists()


def test_enrolling_in_an_unknown_offering_is_404_and_staff_cannot_enrol(offer, teacher):
    assert _client(builders.learner()).post(reverse("api-enrol", args=[999999]), {}, format="json").status_code == 404
    response = _client(teacher).post(reverse("api-enrol", args=[offer.pk]), {}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "enrol_forbidden"
    assert _client().post(reverse("api-enrol", args=[offer.pk]), {}, format="json").status_code == 403


def test_instructor_records_marks_and_others_get_404(offer, teacher):
    learner = builders.learner()
    enrolment = enrolment_create(actor=learner, offering=offer)
    essay = _component(offer, "Essay")
    url = reverse("api-mark-record", args=[offer.pk])
    payload = {
        "enrolment": enrolment.pk,
        "component": essay.id,
        "score": "71.5",
        "feedback": "Clear.",
        "expected_score": None,
    }
    response = _client(teacher).post(url, payload, format="json")
    assert response.status_code == 201, response.json()
    assert Mark.objects.get(enrolment=enrolment, component_id=essay.id).score == 71.5

    too_high = _client(teacher).post(url, {**payload, "score": "1000", "expected_score": "71.5"}, format="json")
    assert too_high.status_code == 400 and too_high.json()["error"]["code"] == "score_above_maximum"
    assert Mark.objects.get(enrolment=enrolment, component_id=essay.id).score == 71.5  # nothing lost

    for stranger in (builders.instructor(), learner):
        refused = _client(stranger).post(url, {**payload, "score": "1"}, format="json")
        assert refused.status_code == 404, stranger
    assert Mark.objects.get(enrolment=enrolment, component_id=essay.id).score == 71.5


def test_results_go_from_instructor_to_committee_to_senate_and_only_then_show(offer, teacher):
    learner = builders.learner()
    enrolment = enrolment_create(actor=learner, offering=offer)
    for title, score in (("Quiz", 80), ("Forum", 70), ("Essay", 60)):
        mark_record(
            actor=teacher,
            offering=offer,
            enrolment_id=enrolment.pk,
            component_id=_component(offer, title).id,
            score=score,
        )
    builders.course_has_run(offer)  # DOMAIN R-RS-4
    url = reverse("api-results-transition", args=[offer.pk])
    assert _client(learner).post(url, {"action": "submit"}, format="json").status_code == 404
    assert _client(teacher).post(url, {"action": "submit"}, format="json").json()["results_status"] == "submitted"
    jppeu = builders.committee_secretary(Committee.JPPEU)
    assert _client(jppeu).post(url, {"action": "endorse"}, format="json").status_code == 404  # not its committee
    jtsppa = builders.committee_secretary(Committee.JTSPPA)
    assert _client(jtsppa).post(url, {"action": "endorse"}, format="json").status_code == 200
    mine = _client(learner).get(reverse("api-my-enrolments")).json()
    assert mine[0]["grade"] is None  # R-RS-2: not before Senate approval
    senate = builders.senate_secretary()
    response = _client(senate).post(url, {"action": "approve"}, format="json")
    assert response.status_code == 200 and response.json()["results_status"] == "senate_approved"
    mine = _client(learner).get(reverse("api-my-enrolments")).json()
    assert mine[0]["grade"] is not None and mine[0]["final_mark"] is not None
    illegal = _client(senate).post(url, {"action": "approve"}, format="json")
    assert illegal.status_code == 409


@pytest.mark.parametrize("body", [{}, {"enrolment": "x", "score": "lots"}, {"action": "no_such_step"}])
def test_marks_and_results_check_the_permission_before_the_input(offer, teacher, body):
    """Issue 12: an outsider with a bad body gets the permission answer (404: not their offering),
    never a 400 about the body; the offering's instructor still gets the 400 naming the field."""
    for name in ("api-mark-record", "api-results-transition"):
        url = reverse(name, args=[offer.pk])
        for stranger in (builders.instructor(), builders.learner()):
            refused = _client(stranger).post(url, body, format="json")
            assert (refused.status_code, refused.json()["error"]["code"]) == (404, "offering_not_found"), name
        response = _client(teacher).post(url, body, format="json")
        assert response.status_code == 400 and response.json()["error"]["field"], (name, response.json())


@pytest.mark.parametrize("body", [{"confirmed_requirements": "x", "international_notice_accepted": [[]]}, {}])
def test_who_may_not_enrol_is_refused_before_the_input_is_read(offer, teacher, body):
    """Issue 12: staff cannot enrol (403 enrol_forbidden) whatever the body holds; never a 400 about it."""
    for who in (teacher, builders.cflex_admin()):
        refused = _client(who).post(reverse("api-enrol", args=[offer.pk]), body, format="json")
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "enrol_forbidden")
    assert not Enrolment.objects.filter(offering=offer).exists()

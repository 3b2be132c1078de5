"""R-RS-4: results go forward only after the offering's assessment has ended, and a credential's
issue date (``validFrom``) is the Senate approval date, never before the course ended."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.errors import ApplicationError
from courses.api import ready_course_get
from enrolment.choices import ResultsStatus
from enrolment.models import Offering
from enrolment.policies import results_open_on
from enrolment.services import enrolment_create, mark_record, offering_assessment_end_set, results_transition
from policy.models import PolicyVersion
from policy.services import policy_version_copy
from tests.enrolment import builders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("end", "days", "opens"),
    [
        (date(2027, 3, 28), 1, date(2027, 3, 29)),
        (date(2027, 3, 28), 0, date(2027, 3, 28)),
        (date(2027, 2, 27), 3, date(2027, 3, 2)),
    ],
)
def test_results_open_the_policy_days_after_the_assessment(end, days, opens):
    # DOMAIN R-RS-4
    assert results_open_on(end, days) == opens


def _graded(offer: Offering, teacher) -> Offering:
    enrolment = enrolment_create(actor=builders.learner(), offering=offer)
    for c in ready_course_get(offer.proposal_id).components:
        mark_record(actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=c.id, score=Decimal(75))
    return Offering.objects.get(pk=offer.pk)


def _refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        call()
    return exc.value


def test_results_are_refused_before_the_offering_ends_and_allowed_after(offer, teacher):
    # DOMAIN R-RS-4: the case: graded, endorsed and approved before the course has run.
    offer = _graded(offer, teacher)
    error = _refusal(lambda: results_transition(actor=teacher, offering=offer, action="submit"))
    assert (error.code, error.field, error.status) == ("results_before_assessment_end", "assessment_ends_on", 409)
    assert date_format(offer.ends_on, "j F Y") in error.message
    assert Offering.objects.get(pk=offer.pk).results_status == ResultsStatus.DRAFT
    # On the last day of the course it is still too early (policy: from the day after).
    offer = builders.course_has_run(offer, ended_days_ago=0)
    assert _refusal(lambda: results_transition(actor=teacher, offering=offer, action="submit")).code == (
        "results_before_assessment_end"
    )
    offer = builders.course_has_run(offer, ended_days_ago=1)
    assert results_transition(actor=teacher, offering=offer, action="submit").results_status == "submitted"


def test_a_last_assessment_date_set_by_cflex_decides(offer, teacher, admin):
    # DOMAIN R-RS-4: CFLEX moves the last assessment (an exam after the teaching weeks).
    offer = _graded(offer, teacher)
    offer = builders.course_has_run(offer, ended_days_ago=5)
    today = timezone.localdate()
    offering_assessment_end_set(actor=admin, offering=offer, assessment_ends_on=today)
    offer.refresh_from_db()
    error = _refusal(lambda: results_transition(actor=teacher, offering=offer, action="submit"))
    assert error.code == "results_before_assessment_end" and date_format(today, "j F Y") in error.message
    offering_assessment_end_set(actor=admin, offering=offer, assessment_ends_on=today - timedelta(days=2))
    assert results_transition(actor=teacher, offering=offer, action="submit").results_status == "submitted"
    events = AuditEvent.objects.for_object(offer).filter(action="offering.assessment_end_set")
    assert events.count() == 2
    # Once submitted, the date no longer moves; never before the start; only CFLEX sets it.
    assert _refusal(
        lambda: offering_assessment_end_set(actor=admin, offering=offer, assessment_ends_on=today)
    ).code == ("results_already_submitted")
    other = builders.offering(builders.ready_course(), admin=admin, teacher=teacher)
    early = other.starts_on - timedelta(days=1)
    error = _refusal(lambda: offering_assessment_end_set(actor=admin, offering=other, assessment_ends_on=early))
    assert (error.code, error.field) == ("assessment_before_start", "assessment_ends_on")
    stranger = _refusal(lambda: offering_assessment_end_set(actor=teacher, offering=other, assessment_ends_on=None))
    assert stranger.status == 404


def test_the_days_after_the_assessment_are_policy_data(offer, teacher, monkeypatch):
    # DOMAIN R-RS-4: the number of days is read from the policy in force.
    offer = _graded(offer, teacher)
    today = timezone.localdate()
    policy_version_copy(
        source=PolicyVersion.objects.get(),
        effective_from=today + timedelta(days=30),
        name="Slower results",
        actor=None,
        changes={"results_days_after_assessment": 10},
    )
    offer = builders.course_has_run(offer, ended_days_ago=-25)  # ends in 25 days
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + timedelta(days=30))
    error = _refusal(lambda: results_transition(actor=teacher, offering=offer, action="submit"))
    assert error.code == "results_before_assessment_end"
    assert date_format(today + timedelta(days=35), "j F Y") in error.message  # 25 + 10 days
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + timedelta(days=35))
    assert results_transition(actor=teacher, offering=offer, action="submit").results_status == "submitted"


def test_the_gradebook_page_refuses_early_results_naming_the_date(client, offer, teacher):
    # DOMAIN R-RS-4, on the page in plain words, English and Bahasa Malaysia.
    offer = _graded(offer, teacher)
    client.force_login(teacher)
    url = reverse("gradebook", args=[offer.pk])
    html = client.post(url, {"form": "results"}, follow=True).content.decode()
    assert "only after the course has run" in html and date_format(offer.ends_on, "j F Y") in html
    assert "results_before_assessment_end" not in html
    teacher.preferred_language = "ms"  # pages follow the language chosen in "My settings"
    teacher.save(update_fields=["preferred_language"])
    html = client.post(url, {"form": "results"}, follow=True).content.decode()
    assert "selepas kursus tamat" in html and "diterima mulai" in html
    assert Offering.objects.get(pk=offer.pk).results_status == ResultsStatus.DRAFT
    builders.course_has_run(offer)
    client.post(url, {"form": "results"})
    assert Offering.objects.get(pk=offer.pk).results_status == ResultsStatus.SUBMITTED


def test_the_api_refuses_early_results_with_code_and_field(offer, teacher):
    # DOMAIN R-RS-4
    offer = _graded(offer, teacher)
    api = APIClient()
    api.force_authenticate(teacher)
    url = reverse("api-results-transition", args=[offer.pk])
    response = api.post(url, {"action": "submit"}, format="json")
    assert response.status_code == 409
    body = response.json()["error"]
    assert (body["code"], body["field"]) == ("results_before_assessment_end", "assessment_ends_on")
    builders.course_has_run(offer)
    assert api.post(url, {"action": "submit"}, format="json").status_code == 200


def test_cflex_sets_the_last_assessment_on_the_page_and_the_api(client, offer, admin):
    # DOMAIN R-RS-4
    client.force_login(admin)
    url = reverse("cflex-offering", args=[offer.pk])
    assert client.get(url).status_code == 200
    early = offer.starts_on - timedelta(days=1)
    assert client.post(url, {}).status_code == 400  # not this form: nothing changes
    refused = client.post(url, {"form": "assessment", "assessment_ends_on": early.isoformat()})
    assert refused.status_code == 400 and date_format(offer.starts_on, "j F Y") in refused.content.decode()
    assert client.post(url, {"form": "assessment", "assessment_ends_on": offer.ends_on.isoformat()}).status_code == 302
    assert Offering.objects.get(pk=offer.pk).assessment_ends_on == offer.ends_on
    # Issue 12 (lost updates): the hidden field carries the date the page showed; a stale save is
    # 409 with the current date in words, and the page then carries the current date.
    page = client.get(url).content.decode()
    assert f'name="expected_assessment_ends_on" value="{offer.ends_on.isoformat()}"' in page
    stale = client.post(url, {"form": "assessment", "assessment_ends_on": "", "expected_assessment_ends_on": ""})
    assert stale.status_code == 409
    assert date_format(offer.ends_on, "j F Y") in stale.content.decode()
    assert f'value="{offer.ends_on.isoformat()}"' in stale.content.decode()
    assert Offering.objects.get(pk=offer.pk).assessment_ends_on == offer.ends_on
    api = APIClient()
    api.force_authenticate(admin)
    api_url = reverse("api-offering-assessment-end", args=[offer.pk])
    seen = offer.ends_on.isoformat()
    bad = api.post(
        api_url, {"assessment_ends_on": early.isoformat(), "expected_assessment_ends_on": seen}, format="json"
    )
    assert bad.status_code == 400 and (bad.json()["error"]["code"], bad.json()["error"]["field"]) == (
        "assessment_before_start",
        "assessment_ends_on",
    )
    stale = api.post(api_url, {"assessment_ends_on": None, "expected_assessment_ends_on": None}, format="json")
    assert stale.status_code == 409
    assert (stale.json()["error"]["code"], stale.json()["error"]["current"]) == (
        "stale_change",
        {"assessment_ends_on": seen},
    )
    cleared = api.post(api_url, {"assessment_ends_on": None, "expected_assessment_ends_on": seen}, format="json")
    assert cleared.status_code == 200 and cleared.json()["assessment_ends_on"] is None
    api.force_authenticate(builders.instructor())
    assert api.post(api_url, {"assessment_ends_on": None}, format="json").status_code == 404


def test_the_credential_is_dated_by_the_senate_approval_after_the_course_ended():
    # DOMAIN R-RS-4: validFrom / issue date = the Senate approval date, after the course ended.
    from tests.credentials.builders import issued

    credential = issued()
    offering = Offering.objects.get(pk=credential.offering_id)
    approved = offering.results_approved_at
    assert approved is not None and timezone.localdate(approved) > offering.ends_on
    assert credential.document["validFrom"].startswith(approved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))
    assert credential.facts["issued_on"] == timezone.localdate(approved).isoformat()
    subject = credential.document["credentialSubject"]
    assert subject["activityEndDate"] < credential.document["validFrom"]  # the badge had it the other way

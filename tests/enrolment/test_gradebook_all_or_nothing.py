"""A gradebook column is saved whole or not at all, and every bad row is named (issue 14;
R-RS-1 marks are out of the component's maximum)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from courses.api import ready_course_get
from enrolment.models import Mark
from enrolment.services import MarkEntry, MarksRefused, enrolment_create, marks_record
from tests.enrolment import builders

pytestmark = pytest.mark.django_db


def _essay(offer):
    return next(c for c in ready_course_get(offer.proposal_id).components if c.title == "Essay")


def _class(offer, *names):
    return [enrolment_create(actor=builders.learner(full_name=name), offering=offer) for name in names]


def test_the_page_saves_nothing_when_one_row_is_wrong_and_names_every_bad_row(client, offer, teacher):
    # DOMAIN R-RS-1: the case, 50 for one learner and 9999 for another.
    good, too_high, not_a_number = _class(offer, "Aminah Binti Salleh", "Budi Santoso", "Chong Wei Ming")
    essay = _essay(offer)
    client.force_login(teacher)
    response = client.post(
        reverse("gradebook", args=[offer.pk]),
        {
            "form": "marks",
            "component": essay.id,
            f"score-{good.pk}": "50",
            f"score-{too_high.pk}": "9999",
            f"score-{not_a_number.pk}": "fifty",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Mark.objects.filter(component_id=essay.id).exists()  # the 50 is not kept either
    assert not AuditEvent.objects.filter(action="mark.record").exists()
    assert "No marks were saved: 2 rows need correcting." in html
    assert "Budi Santoso: The mark is above the maximum of 100." in html
    assert "Chong Wei Ming: The mark is not a number." in html
    assert "Aminah Binti Salleh:" not in html
    # Corrected, the whole column is saved.
    client.post(
        reverse("gradebook", args=[offer.pk]),
        {
            "form": "marks",
            "component": essay.id,
            f"score-{good.pk}": "50",
            f"score-{too_high.pk}": "99",
            f"score-{not_a_number.pk}": "55",
        },
    )
    assert sorted(Mark.objects.filter(component_id=essay.id).values_list("score", flat=True)) == [50, 55, 99]


def test_the_service_refuses_the_whole_column_listing_each_row(offer, teacher):
    # DOMAIN R-RS-1
    good, bad = _class(offer, "Aminah", "Budi")
    stranger = enrolment_create(actor=builders.learner(), offering=builders.offering(builders.ready_course()))
    entries = [MarkEntry(good.pk, "50"), MarkEntry(bad.pk, "-1"), MarkEntry(stranger.pk, "40")]
    with pytest.raises(MarksRefused) as exc:
        marks_record(actor=teacher, offering=offer, component_id=_essay(offer).id, entries=entries)
    assert exc.value.code == "marks_invalid" and exc.value.field == "marks"
    assert [pk for pk, _message in exc.value.problems] == [bad.pk, stranger.pk]
    assert exc.value.as_dict()["rows"][0] == {"enrolment": bad.pk, "message": "A mark cannot be negative."}
    assert not Mark.objects.exists()

"""The demo data for credit transfer: made through the services, idempotent."""

from __future__ import annotations

import pytest

from core.demo import demo_seed
from courses.models import Programme
from transfer.models import Application, PriorCredential

pytestmark = pytest.mark.django_db


def test_demo_names_coordinators_and_gives_the_learner_something_to_claim(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed()
    sk29 = Programme.objects.get(code="SK29")
    assert sk29.coordinator.email == "coordinator@demo.unimas.my"
    assert sk29.programme_courses.filter(course__is_mpu=True).count() >= 2
    outside = PriorCredential.objects.filter(learner__email="learner@demo.unimas.my", source="external")
    assert set(outside.values_list("code", "verification")) == {("KMK2053", "unverified"), ("GITS101", "unverified")}
    application = Application.objects.get(learner__email="learner@demo.unimas.my")
    assert (application.programme.code, application.status, application.credits_transferred) == (
        "SK37",
        "coordinator_review",
        3,
    )
    counts = (PriorCredential.objects.count(), Application.objects.count())
    demo_seed()
    assert (PriorCredential.objects.count(), Application.objects.count()) == counts

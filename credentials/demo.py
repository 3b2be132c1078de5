"""Demo: the demo learner completes an earlier offering of the ready course, the results go
through instructor, committee and Senate, and the learner's credential is issued, all through
the services. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses import api as courses_api
from credentials.models import Credential, IssuanceRequest
from credentials.services import credential_issue, credential_render
from enrolment.choices import Platform
from enrolment.models import LearnerProfile
from enrolment.services import (
    enrolment_create,
    learner_profile_save,
    mark_record,
    offering_create,
    results_transition,
)

DEMO_NRIC = "950505-13-5057"


def demo_credentials(users: dict[str, User]) -> list[Credential]:
    learner = users["learner"]
    existing = list(Credential.objects.filter(learner=learner))
    if existing:
        return existing
    ready = courses_api.ready_to_offer_ids()
    if not ready:
        return []
    course = courses_api.ready_course_get(sorted(ready)[0])
    today = timezone.localdate()
    if not LearnerProfile.objects.filter(user=learner).exists():
        learner_profile_save(
            actor=learner,
            legal_name=learner.full_name,
            identity_kind="nric",
            identity_number=DEMO_NRIC,
            nationality="Malaysia",
            birth_date=None,
            phone="+60 82-581 000",
            pdpa_consent=True,
        )
    with transaction.atomic():
        offering = offering_create(
            actor=users["cflex.admin"],
            proposal_id=course.id,
            session="2026/2027 Semester 1",
            starts_on=today - timedelta(days=120),
            ends_on=today - timedelta(days=14),
            platform=Platform.L4L,
            capacity=40,
            fee=Decimal("350.00"),
            enrolment_opens=today - timedelta(days=150),
            enrolment_closes=today - timedelta(days=125),
            instructor_ids=[users["instructor"].pk],
            minimum_requirements="Basic computer literacy",
        )
        enrolment = enrolment_create(
            actor=learner,
            offering=offering,
            confirmed_requirements=["Basic computer literacy"],
            today=today - timedelta(days=130),
        )
        for number, component in enumerate(course.components):
            maximum = offering.max_score_for(component.id)
            score = (maximum * Decimal("0.78") + number).quantize(Decimal("0.01"))
            mark_record(
                actor=users["instructor"],
                offering=offering,
                enrolment_id=enrolment.pk,
                component_id=component.id,
                score=min(score, maximum),
            )
        results_transition(actor=users["instructor"], offering=offering, action="submit")
        secretary = users[f"{offering.committee.lower()}.secretary"]
        results_transition(actor=secretary, offering=offering, action="endorse")
        results_transition(actor=users["senate.secretary"], offering=offering, action="approve")
    issued = []
    for request in IssuanceRequest.objects.filter(offering_id=offering.pk):
        credential = credential_issue(request_id=request.pk)
        credential_render(credential_id=credential.pk)
        issued.append(credential)
    return issued

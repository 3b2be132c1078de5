"""Senate-approved offerings with passing learners, built through the services, and their
issued credentials."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import Committee, User
from courses.api import ready_course_get
from credentials.models import Credential, IssuanceRequest
from credentials.services import credential_issue, credential_proof_record
from enrolment.models import Enrolment, Offering
from enrolment.services import enrolment_create, mark_record, results_transition
from tests.enrolment import builders as enrol


def approved_offering(
    *,
    passing: int = 1,
    failing: int = 0,
    learners: list[User] | None = None,
    title: str | None = None,
    kind: str | None = None,
    passing_scores: tuple[int, int, int] = (80, 70, 60),
) -> tuple[Offering, list[Enrolment]]:
    """An offering of a ready course (of ``kind``) whose results the Senate approved:
    ``passing`` learners at ``passing_scores`` and ``failing`` ones at 20/30/40 on quiz / forum /
    essay."""
    course = enrol.ready_course(**({"title": title} if title else {}), **({"kind": kind} if kind else {}))
    teacher = enrol.instructor()
    offering = enrol.offering(course, teacher=teacher, capacity=max(30, passing + failing + 1))
    components = {c.title: c for c in ready_course_get(offering.proposal_id).components}
    people = list(learners or []) + [enrol.learner() for _ in range(passing + failing - len(learners or []))]
    enrolments = []
    for n, person in enumerate(people):
        enrolment = enrolment_create(actor=person, offering=offering)
        scores = passing_scores if n < passing else (20, 30, 40)
        for name, score in zip(("Quiz", "Forum", "Essay"), scores, strict=True):
            mark_record(
                actor=teacher,
                offering=offering,
                enrolment_id=enrolment.pk,
                component_id=components[name].id,
                score=Decimal(score),
            )
        enrolments.append(enrolment)
    offering = enrol.course_has_run(offering)  # DOMAIN R-RS-4
    results_transition(actor=teacher, offering=offering, action="submit")
    results_transition(
        actor=enrol.committee_secretary(Committee(offering.committee)), offering=offering, action="endorse"
    )
    results_transition(actor=enrol.senate_secretary(), offering=offering, action="approve")
    return offering, enrolments


def issued(*, learner: User | None = None, title: str | None = None, checked: bool = True) -> Credential:
    """One issued credential (the task's service run inline); ``checked``: its proof checked and
    recorded as the render queue does after issue (decision 0240)."""
    offering, _ = approved_offering(learners=[learner] if learner else None, title=title)
    request = IssuanceRequest.objects.get(offering_id=offering.pk)
    credential = credential_issue(request_id=request.pk)
    if checked:
        credential_proof_record(credential)
    return credential


def set_document(credential: Credential, **changes) -> None:
    """Change fields of the stored signed document (as tampering with the database would), from
    the document as ``credential`` holds it; the proof check recorded at issue is left as it is."""
    Credential.objects.filter(pk=credential.pk).update(document={**credential.document, **changes})

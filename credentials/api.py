"""The door other apps use into credentials (OEP-49)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from credentials.data import IssuanceRequestData
from credentials.models import IssuanceRequest


def _to_data(request: IssuanceRequest, *, created: bool) -> IssuanceRequestData:
    return IssuanceRequestData(
        id=request.pk,
        enrolment_id=request.enrolment_id,
        learner_id=request.learner_id,
        course_code=request.course_code,
        grade=request.grade,
        final_mark=request.final_mark,
        requested_at=request.requested_at,
        issued_at=request.issued_at,
        created=created,
    )


@transaction.atomic
def credential_issue_request(
    *,
    actor: User,
    enrolment_id: int,
    offering_id: int,
    learner_id: int,
    course_code: str,
    course_title: str,
    final_mark: Decimal,
    grade: str,
    policy_version_id: int,
) -> IssuanceRequestData:
    """R-RS-2 / R-CR-1: ask for a passing learner's credentials once Senate has approved the
    results. Idempotent: one request per enrolment, however often it is called. The issuance
    itself (certificate, MMS, badge) is the credentials issue's."""
    request, created = IssuanceRequest.objects.get_or_create(
        enrolment_id=enrolment_id,
        defaults={
            "offering_id": offering_id,
            "learner_id": learner_id,
            "course_code": course_code,
            "course_title": course_title,
            "final_mark": final_mark,
            "grade": grade,
            "policy_version_id": policy_version_id,
            "requested_by": actor,
        },
    )
    if created:
        audit_record(actor=actor, action="credential.request", obj=request, to_state="requested")
    return _to_data(request, created=created)


def issuance_requests_for(enrolment_ids: list[int]) -> dict[int, IssuanceRequestData]:
    return {
        r.enrolment_id: _to_data(r, created=False)
        for r in IssuanceRequest.objects.filter(enrolment_id__in=enrolment_ids)
    }

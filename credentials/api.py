"""The door other apps use into credentials (OEP-49)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from audit.services import audit_record, audit_record_many
from credentials.data import CredentialAsk, IssuanceRequestData, IssuedCredentialData, VerificationData
from credentials.models import Credential, IssuanceRequest
from credentials.services import batch_for_offering, issuance_enqueue, issuance_enqueue_many
from credentials.services.verification import credential_verify_document as _verify


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
    itself (certificate, MMS, badge) runs in a Celery task queued when the caller commits."""
    batch = batch_for_offering(offering_id=offering_id, course_code=course_code, course_title=course_title)
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
            "batch": batch,
        },
    )
    if created:
        audit_record(actor=actor, action="credential.request", obj=request, to_state="requested")
        issuance_enqueue(request.pk)
    return _to_data(request, created=created)


@transaction.atomic
def credential_issue_requests(
    *, actor: User, offering_id: int, course_code: str, course_title: str, asks: list[CredentialAsk]
) -> int:
    """``credential_issue_request`` for every passing learner of one offering at once (Senate
    approval of a 5,000-learner offering): one query finds the requests already made, one INSERT
    makes the others, one their audit events, and their tasks are queued in one go after commit.
    Idempotent in the same way. Returns how many requests it made."""
    batch = batch_for_offering(offering_id=offering_id, course_code=course_code, course_title=course_title)
    existing = set(
        IssuanceRequest.objects.filter(enrolment_id__in=[a.enrolment_id for a in asks]).values_list(
            "enrolment_id", flat=True
        )
    )
    fresh = [a for a in sorted(asks, key=lambda a: a.enrolment_id) if a.enrolment_id not in existing]
    IssuanceRequest.objects.bulk_create(
        IssuanceRequest(
            enrolment_id=a.enrolment_id,
            offering_id=offering_id,
            learner_id=a.learner_id,
            course_code=course_code,
            course_title=course_title,
            final_mark=a.final_mark,
            grade=a.grade,
            policy_version_id=a.policy_version_id,
            requested_by=actor,
            batch=batch,
        )
        for a in fresh
    )
    made = list(IssuanceRequest.objects.filter(enrolment_id__in=[a.enrolment_id for a in fresh]).order_by("pk"))
    audit_record_many(actor=actor, action="credential.request", objs=list(made), to_state="requested")
    issuance_enqueue_many([r.pk for r in made])
    return len(made)


def issuance_requests_for(enrolment_ids: list[int]) -> dict[int, IssuanceRequestData]:
    return {
        r.enrolment_id: _to_data(r, created=False)
        for r in IssuanceRequest.objects.filter(enrolment_id__in=enrolment_ids)
    }


def credentials_for_learner(learner_id: int) -> list[IssuedCredentialData]:
    """Every credential the portal issued to a learner, newest first, with its status."""
    return [
        IssuedCredentialData(
            id=c.pk,
            verification_id=str(c.verification_id),
            serial=c.serial,
            learner_id=c.learner_id,
            enrolment_id=c.enrolment_id,
            offering_id=c.offering_id,
            course_code=c.course_code,
            course_title=c.course_title,
            credits=c.credits,
            grade=c.grade,
            issued_at=c.issued_at,
            status=c.status,
            replaced_by_id=getattr(getattr(c, "replaced_by", None), "pk", None),
        )
        for c in Credential.objects.filter(learner_id=learner_id).select_related("replaced_by")
    ]


def credential_verify_document(document: object) -> VerificationData:
    """Verify a credential document (signature, issuer binding, status); never raises."""
    return _verify(document)


def learner_has_credentials(learner_id: int) -> bool:
    """R-CR-7: has the portal issued this learner any credential (whatever its status now)? From
    then on their legal name changes only through a checked request."""
    return Credential.objects.filter(learner_id=learner_id).exists()


def credentials_reissue_for_learner(*, actor: User, learner_id: int, reason: str) -> list[str]:
    """R-CR-7: re-issue every credential of a learner that is not revoked, through the one
    re-issue path (the old one is revoked with a pointer to the new one). Runs inside the
    caller's transaction; returns the new serials, oldest award first."""
    from credentials.services import credential_reissue

    current = Credential.objects.filter(learner_id=learner_id).exclude(status="revoked").order_by("pk")
    return [
        credential_reissue(actor=actor, credential_id=pk, reason=reason).serial
        for pk in current.values_list("pk", flat=True)
    ]


def institution_name() -> str:
    """The awarding institution as printed on every credential (R-CR-2)."""
    from credentials import conf

    return conf.institution()

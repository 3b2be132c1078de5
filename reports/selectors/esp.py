"""R-QA-3: who took one micro-credential in a period and who passed, with the fields of MQA's eSP
form. Reads other apps' tables read-only (docs/decisions/0060); identity numbers come through
``enrolment.api`` (the caller has checked the permission and audits the export)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from courses import api as courses_api
from courses.models import Proposal
from credentials import api as credentials_api
from credentials.models import Credential, CredentialStatus
from enrolment import api as enrolment_api
from enrolment.choices import SEAT_HOLDING, EnrolmentStatus
from enrolment.models import Enrolment, Offering

_IDENTITY = {"nric": "NRIC", "passport": "Passport"}


@dataclass(frozen=True)
class EspOffering:
    session: str
    starts_on: date
    ends_on: date
    took: int
    passed: int


@dataclass(frozen=True)
class EspData:
    course_code: str
    course_title: str
    rows: list[dict[str, Any]]
    offerings: list[EspOffering]

    @property
    def took(self) -> int:
        return len(self.rows)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r["passed"] == "Yes")


def esp_data(*, proposal_id: int, date_from: date, date_to: date) -> EspData:
    """Every learner who took the micro-credential in an offering that ended in the period
    (enrolled, completed or failed: withdrawn and deferred learners did not take it), and
    whether they passed. Raises ``LookupError`` for an unknown course."""
    course = courses_api.ready_course_get(proposal_id)
    quality = courses_api.quality_reference_current(proposal_id)
    offerings = list(
        Offering.objects.filter(proposal_id=proposal_id, ends_on__gte=date_from, ends_on__lte=date_to).order_by(
            "starts_on", "pk"
        )
    )
    enrolments = list(
        Enrolment.objects.filter(offering__in=offerings, status__in=list(SEAT_HOLDING))
        .select_related("offering", "learner", "learner__learner_profile")
        .order_by("offering__starts_on", "offering_id", "pk")
    )
    in_force: dict[int, Credential] = {}
    for credential in (
        Credential.objects.filter(enrolment_id__in=[e.pk for e in enrolments])
        .exclude(status=CredentialStatus.REVOKED)
        .order_by("generation")
    ):
        in_force[credential.enrolment_id] = credential
    identities = enrolment_api.identity_numbers([e.learner_id for e in enrolments])
    programme = (
        f"{course.origin_programme_name} ({course.origin_course_code} {course.origin_course_name})"
        if course.origin_programme_name
        else ""
    )
    institution = credentials_api.institution_name()
    rows = []
    for e in enrolments:
        profile = getattr(e.learner, "learner_profile", None)
        kind, number = identities.get(e.learner_id, ("", ""))
        found = in_force.get(e.pk)
        passed = bool(e.passed) and e.status == EnrolmentStatus.COMPLETED
        rows.append(
            {
                "offering_id": e.offering_id,
                "institution": institution,
                "mc_code": course.code,
                "mc_title": course.title,
                "category": course.category,
                "programme": programme,
                "quality_reference": quality.reference if quality else "",
                "quality_valid_until": quality.valid_until.isoformat() if quality else "",
                "mqf_level": course.course_level or "",
                "credits": course.credits,
                "session": e.offering.session,
                "start_date": e.offering.starts_on.isoformat(),
                "end_date": e.offering.ends_on.isoformat(),
                "learner_name": profile.legal_name if profile else e.learner.full_name,
                "identity_type": _IDENTITY.get(kind, ""),
                "identity_number": number,
                "nationality": profile.nationality if profile else "",
                "birth_date": profile.birth_date.isoformat() if profile else "",
                "email": e.learner.email,
                "phone": profile.phone if profile else "",
                "enrolled_on": timezone.localdate(e.enrolled_at).isoformat(),
                "status": e.get_status_display(),
                "passed": "Yes" if passed else "No",
                "final_mark": e.final_mark if e.final_mark is not None else "",
                "grade": e.grade,
                "certificate_serial": found.serial if found else "",
                "issued_on": timezone.localdate(found.issued_at).isoformat() if found else "",
            }
        )
    per_offering = [
        EspOffering(
            session=o.session,
            starts_on=o.starts_on,
            ends_on=o.ends_on,
            took=sum(1 for r in rows if r["offering_id"] == o.pk),
            passed=sum(1 for r in rows if r["offering_id"] == o.pk and r["passed"] == "Yes"),
        )
        for o in offerings
    ]
    return EspData(course_code=course.code, course_title=course.title, rows=rows, offerings=per_offering)


def esp_course_choices() -> list[tuple[int, str]]:
    """The micro-credentials that have had an offering, by code."""
    return [
        (pk, f"{code} {title}")
        for pk, code, title in Offering.objects.order_by("course_code")
        .values_list("proposal_id", "course_code", "course_title")
        .distinct()
    ]


def esp_course(proposal_id: int) -> Proposal | None:
    """The course an export is for (the audit event's object), or None."""
    return Proposal.objects.filter(pk=proposal_id).first()

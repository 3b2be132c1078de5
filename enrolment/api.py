"""The door other apps use into enrolment (OEP-49)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet

from courses import api as courses_api
from enrolment.data import AwardData
from enrolment.models import Enrolment, LearnerProfile
from enrolment.ports import credentials_port_set as credentials_port_set  # credentials fills it


def award_get(enrolment_id: int) -> AwardData:
    """One enrolment's result with its learner and offering. Raises ``Enrolment.DoesNotExist``
    (a ``LookupError``) when there is none."""
    return _award_of(_awards().get(pk=enrolment_id))


def awards_get(enrolment_ids: list[int]) -> dict[int, AwardData]:
    """The results of many enrolments (an issuance batch) in one query, by enrolment id; an id
    with no enrolment is left out."""
    return {enrolment.pk: _award_of(enrolment) for enrolment in _awards().filter(pk__in=enrolment_ids)}


def _awards() -> QuerySet[Enrolment]:
    # One query: the learner's profile and the course record's stamp come with the enrolment.
    return (
        Enrolment.objects.select_related("offering", "learner", "learner__learner_profile")
        .annotate(**{f"course_{field}": F(f"offering__proposal__{field}") for field in courses_api.COURSE_STAMP_FIELDS})
        .annotate(credential_validity_months=F("policy_version__credential_validity_months"))
    )


def _award_of(enrolment: Enrolment) -> AwardData:
    try:
        profile: LearnerProfile | None = enrolment.learner.learner_profile
    except LearnerProfile.DoesNotExist:
        profile = None
    offering = enrolment.offering
    stamp = courses_api.course_stamp_of(
        offering.proposal_id, *(getattr(enrolment, f"course_{field}") for field in courses_api.COURSE_STAMP_FIELDS)
    )
    return AwardData(
        enrolment_id=enrolment.pk,
        offering_id=offering.pk,
        proposal_id=offering.proposal_id,
        learner_id=enrolment.learner_id,
        learner_email=enrolment.learner.email,
        learner_name=profile.legal_name if profile else enrolment.learner.full_name,
        identity_kind=profile.identity_kind if profile else "",
        identity_last4=profile.identity_last4 if profile else "",
        passed=bool(enrolment.passed),
        final_mark=enrolment.final_mark,
        grade=enrolment.grade,
        clo_attainment={int(k): Decimal(str(v)) for k, v in (enrolment.clo_attainment or {}).items()},
        starts_on=offering.starts_on,
        ends_on=offering.ends_on,
        session=offering.session,
        platform=offering.platform,
        minimum_requirements=offering.minimum_requirements,
        results_approved_at=offering.results_approved_at,
        course_stamp=stamp,
        credential_validity_months=enrolment.credential_validity_months,  # type: ignore[attr-defined]  # annotated by _awards
    )


def learner_birth_date(learner_id: int) -> date | None:
    """The learner's date of birth from their profile (R-AP-4 ages), or None without a profile."""
    return LearnerProfile.objects.filter(user_id=learner_id).values_list("birth_date", flat=True).first()


def identity_numbers(learner_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(kind, full number) of each learner's identity document, for the MQA eSP export (R-QA-3),
    which only CFLEX and BJKA may run: the caller checks that permission and audits the export
    (docs/decisions/0182). Never for a page, a log line or an error."""
    from enrolment.identity import identity_decrypt

    return {
        user_id: (kind, identity_decrypt(token))
        for user_id, kind, token in LearnerProfile.objects.filter(user_id__in=learner_ids).values_list(
            "user_id", "identity_kind", "identity_encrypted"
        )
    }

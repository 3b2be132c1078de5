"""Offerings (intakes) of ready courses, enrolment, withdrawal, deferral and fees (R-EN)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import audit_record
from core.errors import UNCHECKED, ApplicationError, ErrorKind, Unchecked, not_found, stale_check
from courses import api as courses_api
from enrolment.choices import SEAT_HOLDING, EnrolmentStatus, FeeStatus, Platform, ResultsStatus
from enrolment.models import Enrolment, LearnerProfile, Offering
from enrolment.policies import (
    IllegalTransition,
    enrolment_next,
    enrolment_window_open,
    minimum_requirements,
    needs_international_notice,
    seat_to_take,
    unconfirmed_requirements,
)
from enrolment.services._common import locked_enrolment, locked_offering


def offering_may_create(*, actor: User) -> None:
    """403 to whoever is not a CFLEX administrator. The APIs and pages check the may-functions of
    this module before reading their input; the services check them again."""
    if not actor.has_perm("enrolment.add_offering"):
        raise ApplicationError(
            "offering_forbidden", _("Only CFLEX administrators open offerings."), kind=ErrorKind.FORBIDDEN
        )


def enrolment_fee_may(*, actor: User) -> None:
    """404 (another's enrolment) to whoever does not record fees."""
    if not actor.has_perm("enrolment.record_fee"):
        raise not_found("enrolment")


def offering_assessment_end_may(*, actor: User) -> None:
    """404 (an offering not theirs) to whoever does not set assessment dates."""
    if not actor.has_perm("enrolment.add_offering"):
        raise not_found("offering")


@transaction.atomic
def offering_create(
    *,
    actor: User,
    proposal_id: int,
    session: str,
    starts_on: date,
    ends_on: date,
    platform: str,
    capacity: int,
    fee: Decimal,
    enrolment_opens: date,
    enrolment_closes: date,
    instructor_ids: Sequence[int],
    minimum_requirements: str = "",
) -> Offering:
    """An intake of a course that is ready to offer (R-WF-1), by CFLEX."""
    offering_may_create(actor=actor)
    try:
        course = courses_api.ready_course_get(proposal_id)
    except LookupError:
        raise not_found("course") from None
    if not course.is_ready_to_offer:
        raise ApplicationError(
            "course_not_ready",
            _("Only a course that is ready to offer can have offerings."),
            field="proposal",
            kind=ErrorKind.CONFLICT,
        )
    lapsed = courses_api.quality_lapsed(proposal_id, starts_on)
    if lapsed is not None:
        # R-CR-6: a stand-alone MC's QVC verification lasts at most 3 years; once it has lapsed
        # the course is not offered until CFLEX records the renewal.
        raise ApplicationError(
            "qvc_lapsed",
            _(
                "This course's QVC verification (%(reference)s) is valid until %(until)s; renew it before opening an offering that starts later."
            )
            % {"reference": lapsed.reference, "until": lapsed.valid_until.isoformat()},
            field="starts_on",
            kind=ErrorKind.CONFLICT,
        )
    if platform not in Platform.values:
        raise ApplicationError("platform_invalid", _("Choose eLEAP or L4L."), field="platform")
    if ends_on < starts_on:
        raise ApplicationError("dates_order", _("The offering ends before it starts."), field="ends_on")
    if enrolment_closes < enrolment_opens:
        raise ApplicationError("window_order", _("Enrolment closes before it opens."), field="enrolment_closes")
    if enrolment_closes > ends_on:
        raise ApplicationError(
            "window_after_end", _("Enrolment must close before the offering ends."), field="enrolment_closes"
        )
    if capacity < 1:
        raise ApplicationError("capacity_invalid", _("Capacity is at least one learner."), field="capacity")
    if fee < 0:
        raise ApplicationError("fee_invalid", _("A fee cannot be negative."), field="fee")
    instructors = list(
        User.objects.filter(
            pk__in=instructor_ids,
            is_active=True,
            role_assignments__role=Role.INSTRUCTOR,
            role_assignments__revoked_at=None,
        ).distinct()
    )
    if not instructor_ids or len(instructors) != len(set(instructor_ids)):
        raise ApplicationError(
            "instructor_unknown", _("Choose instructors who hold the instructor role."), field="instructors"
        )
    offering = Offering.objects.create(
        proposal_id=course.id,
        course_code=course.code,
        course_title=course.title,
        ptj_id=course.ptj_id,
        course_level=course.course_level,
        delivery_mode=course.delivery_mode,
        committee=course.committee,
        session=session.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        platform=platform,
        capacity=capacity,
        fee=fee,
        enrolment_opens=enrolment_opens,
        enrolment_closes=enrolment_closes,
        minimum_requirements=minimum_requirements.strip(),
        created_by=actor,
    )
    offering.instructors.set(instructors)
    audit_record(actor=actor, action="offering.create", obj=offering, to_state=offering.results_status)
    return offering


def _profile(user: User) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(user=user).first()


def enrolment_may(*, actor: User) -> None:
    """403 to whoever may not enrol (only learners do). The service checks it; the API checks it
    first too, before reading its input."""
    if not actor.has_perm("enrolment.enrol"):
        raise ApplicationError(
            "enrol_forbidden", _("Only learners enrol. Register as a learner first."), kind=ErrorKind.FORBIDDEN
        )


@transaction.atomic
def enrolment_create(
    *,
    actor: User,
    offering: Offering,
    confirmed_requirements: Sequence[str] = (),
    requirements_evidence: str = "",
    international_notice_accepted: bool = False,
    today: date | None = None,
) -> Enrolment:
    """R-EN-2, R-EN-3, R-EN-5: enrol the actor. The offering row is locked and its seats counted
    inside the transaction; a unique seat number per offering is the database's backstop."""
    enrolment_may(actor=actor)
    profile = _profile(actor)
    if profile is None:
        raise ApplicationError(
            "profile_required", _("Complete your learner profile before enrolling."), field="profile"
        )
    offering = locked_offering(offering)
    today = today or timezone.localdate()
    if not enrolment_window_open(offering.enrolment_opens, offering.enrolment_closes, today):
        raise ApplicationError(
            "enrolment_closed", _("Enrolment for this offering is not open."), kind=ErrorKind.CONFLICT
        )
    missing = unconfirmed_requirements(minimum_requirements(offering.minimum_requirements), confirmed_requirements)
    if missing:
        raise ApplicationError(
            "requirements_unconfirmed",
            _("R-EN-3: confirm every minimum requirement: %(missing)s") % {"missing": "; ".join(missing)},
            field="requirements",
        )
    if needs_international_notice(profile.is_malaysian) and not international_notice_accepted:
        raise ApplicationError(
            "international_notice_required",
            _("R-EN-2: please confirm you have read the notice for international learners."),
            field="international_notice",
        )
    active = Enrolment.objects.filter(offering=offering, status__in=sorted(SEAT_HOLDING))
    if active.filter(learner=actor).exists():
        raise ApplicationError(
            "already_enrolled", _("You are already enrolled in this offering."), kind=ErrorKind.CONFLICT
        )
    seat = seat_to_take(offering.capacity, [s for s in active.values_list("seat", flat=True) if s is not None])
    if seat is None:
        raise ApplicationError("offering_full", _("This offering is full."), kind=ErrorKind.CONFLICT)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                offering=offering,
                learner=actor,
                status=EnrolmentStatus.ENROLLED,
                seat=seat,
                requirements_confirmed=list(confirmed_requirements),
                requirements_evidence=requirements_evidence.strip(),
                international_notice_at=timezone.now() if not profile.is_malaysian else None,
                fee_status=FeeStatus.WAIVED if offering.fee == 0 else FeeStatus.PENDING,
            )
    except IntegrityError:
        raise ApplicationError("offering_full", _("This offering is full."), kind=ErrorKind.CONFLICT) from None
    audit_record(actor=actor, action="enrolment.create", obj=enrolment, to_state=enrolment.status, data={"seat": seat})
    return enrolment


def _leave(*, actor: User, enrolment: Enrolment, action: str, reason: str) -> Enrolment:
    enrolment = locked_enrolment(enrolment)
    if not actor.has_perm("enrolment.change_enrolment", enrolment):
        raise not_found("enrolment")
    if not reason.strip():
        raise ApplicationError("reason_required", _("Give a reason."), field="reason")
    if enrolment.offering.results_status == ResultsStatus.SENATE_APPROVED:
        raise ApplicationError(
            "results_final", _("Results are approved: the enrolment is closed."), kind=ErrorKind.CONFLICT
        )
    try:
        status = enrolment_next(enrolment.status, action)
    except IllegalTransition:
        raise ApplicationError(
            "enrolment_not_active", _("Only an active enrolment can be withdrawn or deferred."), kind=ErrorKind.CONFLICT
        ) from None
    previous = enrolment.status
    enrolment.status = status
    enrolment.seat = None  # the seat is free again
    enrolment.reason = reason.strip()
    enrolment.updated_at = timezone.now()
    enrolment.save(update_fields=["status", "seat", "reason", "updated_at"])
    audit_record(
        actor=actor, action=f"enrolment.{action}", obj=enrolment, from_state=previous, to_state=status, comment=reason
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor: User, enrolment: Enrolment, reason: str) -> Enrolment:
    return _leave(actor=actor, enrolment=enrolment, action="withdraw", reason=reason)


@transaction.atomic
def enrolment_defer(*, actor: User, enrolment: Enrolment, reason: str) -> Enrolment:
    return _leave(actor=actor, enrolment=enrolment, action="defer", reason=reason)


@transaction.atomic(durable=True)
def enrolment_fee_record(
    *,
    actor: User,
    enrolment: Enrolment,
    fee_status: str,
    reference: str = "",
    expected_fee_status: str | Unchecked = UNCHECKED,
) -> Enrolment:
    """R-EN-5: CFLEX records the fee: pending, paid (with a reference) or waived.
    ``expected_fee_status`` is the status the administrator saw; if another changed it since, the
    change is refused with 409 ``stale_change`` and the current fee (issue 12)."""
    enrolment_fee_may(actor=actor)
    enrolment = locked_enrolment(enrolment)
    stale_check(
        expected_fee_status,
        enrolment.fee_status,
        field="expected_fee_status",
        current={"fee_status": enrolment.fee_status, "reference": enrolment.fee_reference},
        message=_("Someone else recorded this fee as %(status)s while you were editing. Check, then save again.")
        % {"status": FeeStatus(enrolment.fee_status).label},
    )
    if fee_status not in FeeStatus.values:
        raise ApplicationError("fee_status_invalid", _("Choose pending, paid or waived."), field="fee_status")
    reference = reference.strip()
    if fee_status == FeeStatus.PAID and not reference:
        raise ApplicationError(
            "fee_reference_required", _("A paid fee needs its payment reference."), field="reference"
        )
    previous = enrolment.fee_status
    enrolment.fee_status = fee_status
    enrolment.fee_reference = reference if fee_status == FeeStatus.PAID else ""
    enrolment.updated_at = timezone.now()
    enrolment.save(update_fields=["fee_status", "fee_reference", "updated_at"])
    audit_record(
        actor=actor,
        action="enrolment.fee",
        obj=enrolment,
        from_state=previous,
        to_state=fee_status,
        data={"reference": reference},
    )
    return enrolment


@transaction.atomic(durable=True)
def offering_assessment_end_set(
    *,
    actor: User,
    offering: Offering,
    assessment_ends_on: date | None,
    expected_assessment_ends_on: date | Unchecked | None = UNCHECKED,
) -> Offering:
    """R-RS-4: CFLEX sets the day of an offering's last assessment (empty: its end date). It moves
    only while the results are still with the instructor, and never before the offering starts.
    ``expected_assessment_ends_on`` is the date the administrator saw (None: none set); if someone
    set another since, 409 ``stale_change`` with the current date (issue 12)."""
    offering_assessment_end_may(actor=actor)
    offering = locked_offering(offering)
    now = offering.assessment_ends_on
    stale_check(
        expected_assessment_ends_on,
        now,
        field="expected_assessment_ends_on",
        current={"assessment_ends_on": now.isoformat() if now else None},
        message=(
            _("Someone else set the last assessment to %(date)s while you were editing. Check, then save again.")
            % {"date": date_format(now, "j F Y")}
            if now
            else _("Someone else cleared the last assessment date while you were editing. Check, then save again.")
        ),
    )
    if offering.results_status != ResultsStatus.DRAFT:
        raise ApplicationError(
            "results_already_submitted",
            _("The results have been submitted; the last assessment date can no longer change."),
            field="assessment_ends_on",
            kind=ErrorKind.CONFLICT,
        )
    if assessment_ends_on is not None and assessment_ends_on < offering.starts_on:
        raise ApplicationError(
            "assessment_before_start",
            _("The last assessment cannot be before the offering starts on %(date)s.")
            % {"date": date_format(offering.starts_on, "j F Y")},
            field="assessment_ends_on",
        )
    previous = offering.assessment_ends_on
    if previous == assessment_ends_on:
        return offering
    offering.assessment_ends_on = assessment_ends_on
    offering.save(update_fields=["assessment_ends_on"])
    audit_record(
        actor=actor,
        action="offering.assessment_end_set",
        obj=offering,
        data={
            "from": previous.isoformat() if previous else None,
            "to": assessment_ends_on.isoformat() if assessment_ends_on else None,
        },
    )
    return offering

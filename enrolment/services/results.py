"""Results approval (R-RS-2) and the course survey (R-RS-3)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind, not_found
from courses import api as courses_api
from enrolment.choices import EnrolmentStatus, ResultsStatus
from enrolment.data import PassedResult
from enrolment.models import CourseSurvey, Enrolment, Offering
from enrolment.policies import (
    RESULTS_ACTIONS_NEEDING_COMMENT,
    IllegalTransition,
    enrolment_next,
    results_next,
    results_open_on,
)
from enrolment.ports import credentials
from enrolment.services._common import locked_enrolment, locked_offering, require_on_offering
from policy.api import policy_in_force

_PERM_FOR = {
    "instructor": "enrolment.submit_results",
    "committee": "enrolment.endorse_results",
    "senate": "enrolment.approve_results",
}


def results_may(*, actor: User, offering: Offering) -> None:
    """404 to whoever does not deal with the offering, 403 to whoever takes no step of its
    results (R-RS-2). The service checks the step's role under the row lock; the API checks this
    first, before reading its input."""
    if any(actor.has_perm(perm, offering) for perm in _PERM_FOR.values()):
        return
    require_on_offering(actor, _PERM_FOR["instructor"], offering)


@transaction.atomic
def results_transition(*, actor: User, offering: Offering, action: str, comment: str = "") -> Offering:
    """One step of R-RS-2 by the one role allowed to take it, audited with its comment. Senate
    approval closes every active enrolment as completed or failed and asks the credentials app,
    once per passing learner, to issue their credentials."""
    offering = locked_offering(offering)
    try:
        next_state, who = results_next(offering.results_status, action)
    except IllegalTransition:
        raise ApplicationError(
            "results_illegal_transition",
            _("Results that are '%(state)s' cannot be '%(action)s'.")
            % {"state": ResultsStatus(offering.results_status).label, "action": action},
            kind=ErrorKind.CONFLICT,
        ) from None
    require_on_offering(actor, _PERM_FOR[who], offering)
    _require_assessment_over(offering)
    comment = comment.strip()
    if action in RESULTS_ACTIONS_NEEDING_COMMENT and not comment:
        raise ApplicationError("comment_required", _("Say what needs to change."), field="comment")
    active = list(
        Enrolment.objects.select_for_update().filter(offering=offering, status=EnrolmentStatus.ENROLLED).order_by("pk")
    )
    if action == "submit":
        unmarked = [e for e in active if e.final_mark is None]
        if unmarked:
            raise ApplicationError(
                "marks_missing",
                _("%(count)s learners do not have every mark yet.") % {"count": len(unmarked)},
                kind=ErrorKind.CONFLICT,
            )
    previous = offering.results_status
    offering.results_status = next_state
    offering.results_comment = comment
    if next_state == ResultsStatus.SENATE_APPROVED:
        offering.results_approved_at = timezone.now()
    offering.save(update_fields=["results_status", "results_comment", "results_approved_at"])
    audit_record(
        actor=actor, action=f"results.{action}", obj=offering, from_state=previous, to_state=next_state, comment=comment
    )
    if next_state == ResultsStatus.SENATE_APPROVED:
        _close_and_request_credentials(actor=actor, offering=offering, active=active)
    return offering


def _require_assessment_over(offering: Offering) -> None:
    """R-RS-4: no step of the results flow before the offering's assessment has ended (plus the
    policy's days), so the Senate approval date, which credentials carry as their issue date, is
    never before the course ended."""
    days = policy_in_force().results_days_after_assessment
    opens = results_open_on(offering.assessment_end, days)
    if timezone.localdate() < opens:
        raise ApplicationError(
            "results_before_assessment_end",
            _(
                "Results can go forward only after the course has run: its assessment ends on "
                "%(end)s, so results are accepted from %(opens)s."
            )
            % {"end": date_format(offering.assessment_end, "j F Y"), "opens": date_format(opens, "j F Y")},
            field="assessment_ends_on",
            kind=ErrorKind.CONFLICT,
        )


def _close_and_request_credentials(*, actor: User, offering: Offering, active: list[Enrolment]) -> None:
    course = courses_api.ready_course_get(offering.proposal_id)
    asks = []
    for enrolment in active:
        status = enrolment_next(enrolment.status, "pass" if enrolment.passed else "fail")
        previous = enrolment.status
        enrolment.status = status
        enrolment.updated_at = timezone.now()
        enrolment.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="enrolment.close", obj=enrolment, from_state=previous, to_state=status)
        if enrolment.passed:
            assert enrolment.final_mark is not None and enrolment.policy_version_id is not None
            asks.append(
                PassedResult(
                    enrolment_id=enrolment.pk,
                    learner_id=enrolment.learner_id,
                    final_mark=enrolment.final_mark,
                    grade=enrolment.grade,
                    policy_version_id=enrolment.policy_version_id,
                )
            )
    # One call for the whole offering: its requests are made and queued together (issue 15), by the
    # credentials app through enrolment's port (enrolment does not import the app above it).
    credentials().credential_issue_requests(
        actor=actor, offering_id=offering.pk, course_code=course.code, course_title=course.title, asks=asks
    )


def survey_open(enrolment: Enrolment, final_component_ids: set[int], marked_ids: set[int]) -> bool:
    """R-RS-3: once the final assessment is marked (or results are approved)."""
    if enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DEFERRED):
        return False
    return enrolment.status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED) or (
        bool(final_component_ids) and final_component_ids <= marked_ids
    )


@transaction.atomic
def survey_submit(
    *,
    actor: User,
    enrolment: Enrolment,
    content_rating: int,
    instructor_rating: int,
    platform_rating: int,
    overall_rating: int,
    comment: str = "",
) -> CourseSurvey:
    enrolment = locked_enrolment(enrolment)
    if enrolment.learner_id != actor.pk:
        raise not_found("enrolment")
    course = courses_api.ready_course_get(enrolment.offering.proposal_id)
    finals = {c.id for c in course.components if c.kind == "final"}
    marked = set(enrolment.marks.values_list("component_id", flat=True))
    if not survey_open(enrolment, finals, marked):
        raise ApplicationError(
            "survey_not_open", _("The survey opens after your final assessment."), kind=ErrorKind.CONFLICT
        )
    ratings = (content_rating, instructor_rating, platform_rating, overall_rating)
    if any(not isinstance(r, int) or not 1 <= r <= 5 for r in ratings):
        raise ApplicationError("rating_invalid", _("Answer each question from 1 to 5."), field="ratings")
    if CourseSurvey.objects.filter(enrolment=enrolment).exists():
        raise ApplicationError(
            "survey_done", _("You have already answered this survey. Thank you!"), kind=ErrorKind.CONFLICT
        )
    survey = CourseSurvey.objects.create(
        enrolment=enrolment,
        content_rating=content_rating,
        instructor_rating=instructor_rating,
        platform_rating=platform_rating,
        overall_rating=overall_rating,
        comment=comment.strip()[:4000],
    )
    audit_record(actor=actor, action="survey.submit", obj=survey)
    return survey

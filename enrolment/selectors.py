"""Reads for the catalogue, learner home, gradebook and results queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Role, User
from accounts.rules import committees_for, is_senate_secretary
from enrolment.choices import SEAT_HOLDING, EnrolmentStatus
from enrolment.models import Enrolment, LearnerProfile, Mark, Offering, QuizAttempt
from enrolment.policies import RESULTS_MACHINE


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    ptj: str = ""
    level: int | None = None
    mode: str = ""
    max_fee: Decimal | None = None
    starts_after: date | None = None
    open_only: bool = False


def catalogue_offerings(filters: CatalogueFilters, *, today: date) -> QuerySet[Offering]:
    """Public: every offering of a ready course that has not ended, with seats taken."""
    qs = (
        Offering.objects.select_related("ptj")
        .filter(ends_on__gte=today)
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=sorted(SEAT_HOLDING))))
    )
    if filters.q:
        qs = qs.filter(Q(course_title__icontains=filters.q) | Q(course_code__icontains=filters.q))
    if filters.ptj:
        qs = qs.filter(ptj__code=filters.ptj)
    if filters.level:
        qs = qs.filter(course_level=filters.level)
    if filters.mode:
        qs = qs.filter(delivery_mode=filters.mode)
    if filters.max_fee is not None:
        qs = qs.filter(fee__lte=filters.max_fee)
    if filters.starts_after:
        qs = qs.filter(starts_on__gte=filters.starts_after)
    if filters.open_only:
        qs = qs.filter(enrolment_opens__lte=today, enrolment_closes__gte=today)
    return qs.order_by("starts_on", "course_code", "pk")


def offering_public(pk: int) -> Offering | None:
    return (
        Offering.objects.select_related("ptj")
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=sorted(SEAT_HOLDING))))
        .filter(pk=pk)
        .first()
    )


def learner_profile(user: Any) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(user=user).first() if user.is_authenticated else None


def learner_enrolments(user: Any) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(learner=user)
        .select_related("offering", "offering__ptj", "survey")
        .prefetch_related("marks")
        .order_by("-enrolled_at")
    )


def learner_enrolment(user: Any, pk: int) -> Enrolment | None:
    return (
        Enrolment.objects.filter(learner=user, pk=pk)
        .select_related("offering", "offering__ptj")
        .prefetch_related("marks", "attempts")
        .first()
    )


def learner_enrolment_in(user: Any, offering: Offering) -> Enrolment | None:
    """The visitor's own seat in ``offering`` (enrolled, completed or failed), if any: the course
    page then says "Enrolled" and links to it instead of offering to enrol again."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(learner=user, offering=offering, status__in=sorted(SEAT_HOLDING))
        .order_by("-enrolled_at")
        .first()
    )


def instructor_offerings(user: Any) -> QuerySet[Offering]:
    return (
        Offering.objects.filter(instructors=user)
        .select_related("ptj")
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=sorted(SEAT_HOLDING))))
        .order_by("-starts_on")
    )


def gradebook_offering(pk: int) -> Offering | None:
    return Offering.objects.filter(pk=pk).select_related("ptj").prefetch_related("instructors").first()


def gradebook_rows(offering: Offering) -> QuerySet[Enrolment]:
    """Active learners with their marks and attempts, in a fixed number of queries."""
    return (
        Enrolment.objects.filter(offering=offering, status__in=sorted(SEAT_HOLDING))
        .select_related("learner")
        .prefetch_related(
            Prefetch("marks", queryset=Mark.objects.order_by("component_id")),
            Prefetch("attempts", queryset=QuizAttempt.objects.order_by("component_id", "number")),
        )
        .order_by("learner__full_name", "pk")
    )


def gradebook_learner_names(offering: Offering, enrolment_ids: list[int]) -> dict[int, str]:
    """The names of this offering's learners by enrolment id (to name a gradebook row)."""
    return dict(
        Enrolment.objects.filter(offering=offering, pk__in=enrolment_ids).values_list("pk", "learner__full_name")
    )


def results_queue(user: Any) -> QuerySet[Offering]:
    """Offerings whose results wait for this person: their committee's, or Senate's. The states
    come from the results table (``RESULTS_MACHINE``), as the permission checks do, so the queue
    and the buttons cannot disagree (tests/enrolment/test_results_queue_agreement.py)."""
    condition = Q(
        results_status__in=RESULTS_MACHINE.states_for_actor("committee"), committee__in=sorted(committees_for(user))
    )
    if is_senate_secretary(user):
        condition |= Q(results_status__in=RESULTS_MACHINE.states_for_actor("senate"))
    return (
        Offering.objects.filter(condition)
        .select_related("ptj")
        .annotate(learners=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
        .order_by("course_code")
    )


def cflex_offerings() -> QuerySet[Offering]:
    """Every offering with its number of active enrolments (CFLEX's offerings page)."""
    return (
        Offering.objects.select_related("ptj")
        .annotate(active=Count("enrolments", filter=Q(enrolments__status__in=sorted(SEAT_HOLDING))))
        .order_by("-starts_on", "course_code")
    )


def offering_roster(offering: Offering) -> QuerySet[Enrolment]:
    return offering.enrolments.select_related("learner").order_by("learner__full_name")


def instructor_choices() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.INSTRUCTOR, role_assignments__revoked_at=None)
        .distinct()
        .order_by("full_name")
    )


def grade_import_last_mapping(offering: Offering, *, other_than: int) -> dict[str, int]:
    """The column mapping this offering's last import used: the next export from the same Moodle
    course has the same columns, so it starts from there (issue 17)."""
    from enrolment.models import GradeImport

    last = (
        GradeImport.objects.filter(offering=offering)
        .exclude(pk=other_than)
        .exclude(mapping={})
        .order_by("-pk")
        .values_list("mapping", flat=True)
        .first()
    )
    return {str(k): int(v) for k, v in (last or {}).items()}

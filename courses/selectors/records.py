"""Records a proposal chooses from: origins, lecturers, co-developers, and the codes in use."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from accounts.models import Role, User
from courses.choices import ProposalKind
from courses.models import Course, ProgrammeCourse, ProgrammeLevel, Proposal
from courses.policies import suggest_code


def origin_choices() -> QuerySet[ProgrammeCourse]:
    """R-CAT-1 / R-CAT-5: courses of active programmes, never of a Foundation programme."""
    return (
        ProgrammeCourse.objects.filter(programme__is_active=True, course__is_active=True)
        .exclude(programme__level=ProgrammeLevel.FOUNDATION)
        .select_related("programme", "course")
        .order_by("course__code", "programme__code")
    )


def staff_users() -> QuerySet[User]:
    """Lecturers are chosen from staff: anyone active holding a role other than learner."""
    staff_roles = [role for role in Role.values if role != Role.LEARNER]
    return (
        User.objects.filter(
            is_active=True, role_assignments__role__in=staff_roles, role_assignments__revoked_at__isnull=True
        )
        .distinct()
        .order_by("full_name")
    )


def course_developers() -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True, role_assignments__role=Role.COURSE_DEVELOPER, role_assignments__revoked_at__isnull=True
        )
        .distinct()
        .order_by("full_name")
    )


def codes_in_series(kind: str, origin_code: str | None, *, exclude_pk: int | None) -> list[str]:
    """The proposal codes a suggestion must avoid."""
    if kind == ProposalKind.CAT1_PART and origin_code:
        pattern = "^" + re.escape(origin_code[:-1]) + r"[0-9]MC[A-Za-z]$"
    elif kind in (ProposalKind.CAT3_SAMC, ProposalKind.CAT3_QVC):
        pattern = r"^[Mm][Cc][Vv]?[0-9]{3}$"
    else:
        return []
    proposals = Proposal.objects.filter(code__iregex=pattern)
    if exclude_pk is not None:
        proposals = proposals.exclude(pk=exclude_pk)
    return list(proposals.values_list("code", flat=True))


def code_suggestion(
    *, kind: str, origin_course_id: int | None, part_credits: int | None, exclude_pk: int | None = None
) -> str:
    """R-NM-2 / R-NM-3: the next free code for this type and origin."""
    origin_code = None
    if origin_course_id is not None:
        origin_code = Course.objects.filter(pk=origin_course_id).values_list("code", flat=True).first()
    taken = codes_in_series(kind, origin_code, exclude_pk=exclude_pk)
    return suggest_code(kind, origin_code, part_credits, taken)

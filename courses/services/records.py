"""Writes to programme and course records."""

from __future__ import annotations

from django.db import transaction

from accounts.models import PTj, User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from courses.models import Course, Programme, ProgrammeCourse


@transaction.atomic
def course_ensure(
    *, code: str, name: str, credits: int, ptj: PTj, is_mpu: bool = False, actor: User | None = None
) -> Course:
    """Create an accredited course record, or return the existing one with that code."""
    code = code.strip().upper()
    existing = Course.objects.filter(code=code).first()
    if existing is not None:
        return existing
    course = Course(code=code, name=name, credits=credits, ptj=ptj, is_mpu=is_mpu)
    course.full_clean()
    course.save()
    audit_record(actor=actor, action="course.add", obj=course)
    return course


@transaction.atomic
def programme_ensure(
    *,
    code: str,
    name: str,
    ptj: PTj,
    level: str,
    graduating_credits: int,
    mqa_accredited: bool = True,
    entry_requirements: str = "",
    courses: list[Course] | None = None,
    actor: User | None = None,
) -> Programme:
    """Create a programme record (or return the one with that code) and link its courses."""
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        if graduating_credits <= 0:
            raise ApplicationError(
                "programme_credits", "Graduating credits must be positive.", field="graduating_credits"
            )
        programme = Programme(
            code=code,
            name=name,
            ptj=ptj,
            level=level,
            graduating_credits=graduating_credits,
            mqa_accredited=mqa_accredited,
            entry_requirements=entry_requirements,
        )
        programme.full_clean()
        programme.save()
        audit_record(actor=actor, action="programme.add", obj=programme)
    for course in courses or []:
        ProgrammeCourse.objects.get_or_create(programme=programme, course=course)
    return programme


@transaction.atomic
def programme_coordinator_set(
    *, programme: Programme, coordinator: User | None, actor: User | None = None
) -> Programme:
    """Name the programme coordinator who reviews credit-transfer applications (R-CT-6). They must
    hold the programme coordinator role in the programme's PTj. ``actor`` None: demo data and
    migrations; otherwise a CFLEX administrator."""
    from accounts.models import Role, RoleAssignment
    from accounts.rules import is_cflex_admin

    if actor is not None and not is_cflex_admin(actor):
        raise ApplicationError(
            "programme_forbidden", "Only a CFLEX administrator names programme coordinators.", kind=ErrorKind.FORBIDDEN
        )
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if (
        coordinator is not None
        and not RoleAssignment.objects.filter(
            user=coordinator, role=Role.PROGRAMME_COORDINATOR, ptj_id=programme.ptj_id, revoked_at__isnull=True
        ).exists()
    ):
        raise ApplicationError(
            "coordinator_role_missing",
            "The coordinator must hold the programme coordinator role in the programme's PTj.",
            field="coordinator",
        )
    previous = programme.coordinator_id
    if previous == (coordinator.pk if coordinator else None):
        return programme
    programme.coordinator = coordinator
    programme.save(update_fields=["coordinator"])
    audit_record(
        actor=actor,
        action="programme.coordinator",
        obj=programme,
        data={"previous": previous, "coordinator": coordinator.pk if coordinator else None},
    )
    return programme

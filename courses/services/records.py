"""Writes to programme and course records."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import PTj, User
from audit.services import audit_record
from core.errors import UNCHECKED, ApplicationError, ErrorKind, Unchecked, stale_check
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
    mqa_reference: str = "",
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
            mqa_reference=mqa_reference,
        )
        programme.full_clean()
        programme.save()
        audit_record(actor=actor, action="programme.add", obj=programme)
    for course in courses or []:
        ProgrammeCourse.objects.get_or_create(programme=programme, course=course)
    return programme


@transaction.atomic
def programme_coordinator_set(
    *,
    programme: Programme,
    coordinator: User | None,
    actor: User | None = None,
    expected_coordinator_id: int | Unchecked | None = UNCHECKED,
) -> Programme:
    """Name the programme coordinator who reviews credit-transfer applications (R-CT-6). They must
    hold the programme coordinator role in the programme's PTj. ``actor`` None: demo data and
    migrations; otherwise a CFLEX administrator. ``expected_coordinator_id`` is the coordinator the
    administrator saw (None: none); if another was named since, 409 ``stale_change`` (issue 12)."""
    from accounts.rules import is_cflex_admin

    if actor is not None and not is_cflex_admin(actor):
        raise ApplicationError(
            "programme_forbidden", "Only a CFLEX administrator names programme coordinators.", kind=ErrorKind.FORBIDDEN
        )
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    current = programme.coordinator
    stale_check(
        expected_coordinator_id,
        programme.coordinator_id,
        field="coordinator",
        current={"coordinator": programme.coordinator_id, "name": current.full_name if current else None},
        message=(
            _("Someone else named %(name)s as the coordinator while you were editing. Check, then save again.")
            % {"name": current.full_name}
            if current is not None
            else _("Someone else removed the coordinator while you were editing. Check, then save again.")
        ),
    )
    problem = coordinator_problem(coordinator=coordinator, ptj_id=programme.ptj_id)
    if problem:
        raise problem
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


def coordinator_problem(*, coordinator: User | None, ptj_id: int | None) -> ApplicationError | None:
    """R-CT-6, written once: a programme's coordinator holds the programme coordinator role in the
    programme's PTj. The service raises it; the admin's form shows it."""
    from accounts.models import Role, RoleAssignment

    if coordinator is None or ptj_id is None:
        return None
    if RoleAssignment.objects.filter(
        user=coordinator, role=Role.PROGRAMME_COORDINATOR, ptj_id=ptj_id, revoked_at__isnull=True
    ).exists():
        return None
    return ApplicationError(
        "coordinator_role_missing",
        "The coordinator must hold the programme coordinator role in the programme's PTj.",
        field="coordinator",
    )


_PROGRAMME_FIELDS = (
    "name",
    "ptj",
    "level",
    "mqa_accredited",
    "mqa_reference",
    "graduating_credits",
    "entry_requirements",
    "is_active",
)
_COURSE_FIELDS = ("name", "credits", "ptj", "is_mpu", "synopsis", "is_active")


def _require_cflex(actor: User | None, what: str) -> None:
    from accounts.rules import is_cflex_admin

    if actor is not None and not is_cflex_admin(actor):
        raise ApplicationError(
            f"{what}_forbidden", "Only a CFLEX administrator keeps these records.", kind=ErrorKind.FORBIDDEN
        )


@transaction.atomic
def programme_update(*, actor: User | None, programme: Programme, changes: dict[str, object]) -> Programme:
    """Change a programme record's facts (not its code, not its coordinator: see
    :func:`programme_coordinator_set`), validated and audited."""
    _require_cflex(actor, "programme")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    changed = sorted(k for k, v in changes.items() if k in _PROGRAMME_FIELDS and getattr(locked, k) != v)
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])
    if locked.graduating_credits <= 0:
        raise ApplicationError("programme_credits", "Graduating credits must be positive.", field="graduating_credits")
    locked.full_clean()
    locked.save(update_fields=changed)
    audit_record(actor=actor, action="programme.change", obj=locked, data={"fields": changed})
    return locked


@transaction.atomic
def course_update(*, actor: User | None, course: Course, changes: dict[str, object]) -> Course:
    """Change a course record's facts (not its code), validated and audited."""
    _require_cflex(actor, "course")
    locked = Course.objects.select_for_update().get(pk=course.pk)
    changed = sorted(k for k, v in changes.items() if k in _COURSE_FIELDS and getattr(locked, k) != v)
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])
    locked.full_clean()
    locked.save(update_fields=changed)
    audit_record(actor=actor, action="course.change", obj=locked, data={"fields": changed})
    return locked


@transaction.atomic
def programme_course_link(*, actor: User | None, programme: Programme, course: Course, is_core: bool = True) -> None:
    """A course belongs to a programme (core or elective), audited."""
    _require_cflex(actor, "programme")
    link, created = ProgrammeCourse.objects.get_or_create(
        programme=programme, course=course, defaults={"is_core": is_core}
    )
    if not created and link.is_core == is_core:
        return
    if not created:
        link.is_core = is_core
        link.save(update_fields=["is_core"])
    audit_record(
        actor=actor, action="programme.course_link", obj=programme, data={"course": course.code, "core": is_core}
    )


@transaction.atomic
def programme_course_unlink(*, actor: User | None, programme: Programme, course: Course) -> None:
    _require_cflex(actor, "programme")
    deleted, _ = ProgrammeCourse.objects.filter(programme=programme, course=course).delete()
    if deleted:
        audit_record(actor=actor, action="programme.course_unlink", obj=programme, data={"course": course.code})

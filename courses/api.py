"""The door other apps use to read courses (OEP-49): functions returning frozen dataclasses.

Enrolment, credentials and reports read micro-credentials only through here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import QuerySet

from accounts.models import Committee, Role, RoleAssignment
from courses.choices import ACCREDITED_KINDS, ProposalKind, ProposalStatus, category_of
from courses.data import (
    CLOInfo,
    ComponentInfo,
    McOriginData,
    ProgrammeCourseData,
    ProgrammeData,
    QualityData,
    ReadyCourseData,
    UnitInfo,
)
from courses.models import Programme, Proposal, QualityReference, Registration
from courses.policies import slt_totals, valid_units
from courses.policies.workflow import PIPELINE as PIPELINE  # the board's columns, for the reports
from courses.selectors.proposals import proposal_data, with_design
from courses.selectors.workflow import overdue_q as overdue_q  # "overdue" as the queues mean it (reports)
from policy.api import policy_in_force
from policy.data import PolicyData

# Postgraduate: MQF level 7 (Master) and above.
POSTGRADUATE_MIN_LEVEL = 7


def committee_for(kind: str, course_level: int | None) -> str:
    """R-WF-1 / R-RS-2: JPPEU for non-MQA (stand-alone) courses; JTSPS for accredited postgraduate
    courses, JTSPPA for accredited undergraduate ones."""
    if kind not in ACCREDITED_KINDS:
        return Committee.JPPEU.value
    if course_level is not None and course_level >= POSTGRADUATE_MIN_LEVEL:
        return Committee.JTSPS.value
    return Committee.JTSPPA.value


def committee_for_proposal(proposal_id: int) -> str:
    proposal = Proposal.objects.only("kind", "course_level").get(pk=proposal_id)
    return committee_for(proposal.kind, proposal.course_level)


def _to_data(proposal: Proposal, policy: PolicyData) -> ReadyCourseData:
    """``policy`` is the policy in force, read once by the caller however many courses it maps
    (reading it costs five queries; issue 15 found it read per row)."""
    data = proposal_data(proposal)
    totals = slt_totals(valid_units(data.units, policy), policy)
    clos = list(proposal.clos.all())
    clo_numbers = {c.pk: n for n, c in enumerate(clos, start=1)}
    units = list(proposal.units.all())
    unit_numbers = {u.pk: n for n, u in enumerate(units, start=1)}
    unit_hm = {t.number: t.total_hm for t in totals.units}
    return ReadyCourseData(
        id=proposal.pk,
        code=proposal.code,
        title=proposal.title,
        kind=proposal.kind,
        kind_label=str(proposal.get_kind_display()),
        category=category_of(proposal.kind),
        is_accredited=proposal.kind in ACCREDITED_KINDS,
        status=proposal.status,
        ptj_id=proposal.ptj_id,
        ptj_code=proposal.ptj.code,
        ptj_name=proposal.ptj.name,
        ptj_name_ms=proposal.ptj.name_ms,
        course_level=proposal.course_level,
        delivery_mode=proposal.delivery_mode,
        delivery_mode_label=str(proposal.get_delivery_mode_display()) if proposal.delivery_mode else "",
        synopsis=proposal.synopsis,
        objectives=proposal.objectives,
        entry_requirements=proposal.entry_requirements,
        learner_commitment=proposal.learner_commitment,
        study_session=proposal.study_session,
        fee=proposal.fee,
        origin_course_code=proposal.origin_course.code if proposal.origin_course else "",
        origin_course_name=proposal.origin_course.name if proposal.origin_course else "",
        origin_programme_name=proposal.origin_programme.name if proposal.origin_programme else "",
        lecturers=tuple(u.full_name for u in proposal.lecturers.all()),
        clos=tuple(
            CLOInfo(
                id=c.pk,
                number=clo_numbers[c.pk],
                verb=c.verb,
                content=c.outcome,
                criteria=c.criteria,
                conditions=c.conditions,
                mqf_level=c.mqf_level,
            )
            for c in clos
        ),
        units=tuple(UnitInfo(n, u.title, unit_hm.get(n, "")) for n, u in enumerate(units, start=1)),
        components=tuple(
            ComponentInfo(
                id=c.pk,
                number=n,
                title=c.title or str(c.get_method_display()),
                method=c.method,
                method_label=str(c.get_method_display()),
                kind=c.kind,
                weight=c.weight,
                clo_ids=tuple(sorted(clo.pk for clo in c.clos.all())),
                retake_allowed=c.retake_allowed,
                unit_number=unit_numbers.get(c.unit_id) if c.unit_id else None,
            )
            for n, c in enumerate(proposal.components.all(), start=1)
        ),
        slt_hours=totals.total_hours,
        slt_hm=totals.total_hm,
        credits=totals.credit_value,
        committee=committee_for(proposal.kind, proposal.course_level),
    )


def ready_course_get(proposal_id: int) -> ReadyCourseData:
    """One course, whatever its status (callers check ``is_ready_to_offer``); ``LookupError``
    when there is none (``Proposal.DoesNotExist`` is not one)."""
    try:
        proposal = with_design(Proposal.objects.all()).get(pk=proposal_id)
    except Proposal.DoesNotExist:
        raise LookupError(proposal_id) from None
    return _to_data(proposal, policy_in_force())


def ready_courses(proposal_ids: Iterable[int]) -> dict[int, ReadyCourseData]:
    """Several courses in a fixed number of queries."""
    proposals = list(with_design(Proposal.objects.filter(pk__in=list(proposal_ids))))
    if not proposals:
        return {}
    policy = policy_in_force()
    return {p.pk: _to_data(p, policy) for p in proposals}


def ready_to_offer_ids() -> list[int]:
    return list(Proposal.objects.filter(status=ProposalStatus.READY_TO_OFFER).values_list("pk", flat=True))


def registration_references(proposal_id: int) -> dict[str, str]:
    """R-WF-1: the registration references recorded for a course, by kind ("mqa", "unimas"), and
    its current quality reference (R-CR-6): "quality_kind", "quality_reference",
    "quality_valid_from" and "quality_valid_until" (ISO dates)."""
    found = dict(Registration.objects.filter(proposal_id=proposal_id).values_list("kind", "reference"))
    quality = quality_reference_current(proposal_id)
    if quality is not None:
        found.update(
            quality_kind=quality.kind,
            quality_reference=quality.reference,
            quality_valid_from=quality.valid_from.isoformat(),
            quality_valid_until=quality.valid_until.isoformat(),
        )
    return found


def _quality(row: QualityReference) -> QualityData:
    return QualityData(
        kind=row.kind,
        kind_label=str(row.get_kind_display()),
        reference=row.reference,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def quality_reference_current(proposal_id: int) -> QualityData | None:
    """R-CR-6: the course's current MQR reference or QVC verification, if one is recorded."""
    row = QualityReference.objects.filter(proposal_id=proposal_id, superseded_at__isnull=True).first()
    return _quality(row) if row else None


def quality_references_current(proposal_ids: Iterable[int]) -> dict[int, QualityData]:
    """``quality_reference_current`` for many courses in one query."""
    rows = QualityReference.objects.filter(proposal_id__in=list(proposal_ids), superseded_at__isnull=True)
    return {row.proposal_id: _quality(row) for row in rows}


def quality_lapsed(proposal_id: int, on: date) -> QualityData | None:
    """R-CR-6: the course's QVC verification when it has lapsed by ``on`` (an offering of it cannot
    open), else None."""
    quality = quality_reference_current(proposal_id)
    return quality if quality is not None and quality.kind == "qvc" and quality.lapsed_on(on) else None


# --- programmes and the origin of micro-credentials (credit transfer, R-CT / R-AP) -------------


def _programmes(queryset: QuerySet[Programme]) -> list[ProgrammeData]:
    programmes = list(
        queryset.select_related("ptj", "coordinator").prefetch_related("programme_courses__course").order_by("code")
    )
    deans: dict[int, list[str]] = {}
    for ptj_id, name in (
        RoleAssignment.objects.filter(
            role=Role.DEAN, revoked_at__isnull=True, ptj_id__in={p.ptj_id for p in programmes}, user__is_active=True
        )
        .order_by("user__full_name")
        .values_list("ptj_id", "user__full_name")
    ):
        deans.setdefault(ptj_id, []).append(name)
    return [
        ProgrammeData(
            id=p.pk,
            code=p.code,
            name=p.name,
            level=p.level,
            level_label=str(p.get_level_display()),
            graduating_credits=p.graduating_credits,
            mqa_accredited=p.mqa_accredited,
            mqa_reference=p.mqa_reference,
            entry_requirements=p.entry_requirements,
            ptj_id=p.ptj_id,
            ptj_code=p.ptj.code,
            ptj_name=p.ptj.name,
            ptj_name_ms=p.ptj.name_ms,
            coordinator_id=p.coordinator_id,
            coordinator_name=p.coordinator.full_name if p.coordinator else "",
            dean_names=tuple(deans.get(p.ptj_id, [])),
            is_active=p.is_active,
            courses=tuple(
                ProgrammeCourseData(pc.course.code, pc.course.name, pc.course.credits, pc.course.is_mpu, pc.is_core)
                for pc in sorted(p.programme_courses.all(), key=lambda pc: pc.course.code)
            ),
        )
        for p in programmes
    ]


def programme_list(*, active_only: bool = True) -> list[ProgrammeData]:
    """Every programme with its courses, in a fixed number of queries."""
    queryset = Programme.objects.all()
    return _programmes(queryset.filter(is_active=True) if active_only else queryset)


def programme_get(programme_id: int) -> ProgrammeData:
    """One programme; ``LookupError`` when there is none."""
    found = _programmes(Programme.objects.filter(pk=programme_id))
    if not found:
        raise LookupError(programme_id)
    return found[0]


def mc_origins(codes: Iterable[str]) -> dict[str, McOriginData]:
    """The origin of each UNIMAS micro-credential code (case-insensitive), keyed by the code as
    given. Codes no proposal carries are left out."""
    wanted = {c.upper(): c for c in codes if c}
    found: dict[str, McOriginData] = {}
    proposals = Proposal.objects.filter(code__in=[*wanted, *wanted.values()]).select_related("origin_course")
    for proposal in proposals:
        given = wanted.get(proposal.code.upper())
        if given is None:
            continue
        origin = proposal.origin_course
        found[given] = McOriginData(
            code=proposal.code,
            kind=proposal.kind,
            category=category_of(proposal.kind),
            is_qvc=proposal.kind == ProposalKind.CAT3_QVC,
            origin_course_code=origin.code if origin else "",
            origin_course_credits=origin.credits if origin else None,
            origin_course_is_mpu=bool(origin and origin.is_mpu),
            part_credits=proposal.part_credits if proposal.kind == ProposalKind.CAT1_PART else None,
        )
    return found


def proposal_id_for_code(code: str) -> int | None:
    """The ready course with this code, if any (an Achievement's id resolves through it)."""
    return Proposal.objects.filter(code=code, status=ProposalStatus.READY_TO_OFFER).values_list("pk", flat=True).first()


def course_stamp(proposal_id: int) -> str:
    """Changes whenever the course record does: callers may cache ``ready_course_get`` by it."""
    row = Proposal.objects.filter(pk=proposal_id).values_list(*COURSE_STAMP_FIELDS).first()
    return course_stamp_of(proposal_id, *row) if row else ""


# The course record's fields course_stamp reads, for a caller that reads them in its own query.
COURSE_STAMP_FIELDS = ("updated_at", "state_entered_at")


def course_stamp_of(proposal_id: int, updated_at: datetime, state_entered_at: datetime) -> str:
    """``course_stamp`` from the two fields it reads (COURSE_STAMP_FIELDS)."""
    return f"{proposal_id}:{updated_at.isoformat()}:{state_entered_at.isoformat()}"

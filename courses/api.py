"""The door other apps use to read courses (OEP-49): functions returning frozen dataclasses.

Enrolment, credentials and reports read micro-credentials only through here."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import Committee
from courses.choices import ACCREDITED_KINDS, ProposalStatus, category_of
from courses.data import CLOInfo, ComponentInfo, ReadyCourseData, UnitInfo
from courses.models import Proposal
from courses.policies import slt_totals, valid_units
from courses.selectors.proposals import proposal_data, with_design
from policy.api import policy_in_force

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


def _to_data(proposal: Proposal) -> ReadyCourseData:
    data = proposal_data(proposal)
    policy = policy_in_force()
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
                text=" ".join(x for x in (c.verb, c.outcome, c.criteria, c.conditions) if x),
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
    """One course, whatever its status (callers check ``is_ready_to_offer``). Raises
    ``Proposal.DoesNotExist`` (a ``LookupError``) when there is none."""
    return _to_data(with_design(Proposal.objects.all()).get(pk=proposal_id))


def ready_courses(proposal_ids: Iterable[int]) -> dict[int, ReadyCourseData]:
    """Several courses in a fixed number of queries."""
    proposals = with_design(Proposal.objects.filter(pk__in=list(proposal_ids)))
    return {p.pk: _to_data(p) for p in proposals}


def ready_to_offer_ids() -> list[int]:
    return list(Proposal.objects.filter(status=ProposalStatus.READY_TO_OFFER).values_list("pk", flat=True))

"""Reading proposals: who sees which, and a proposal as plain values for the pure rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.rules import committees_for, is_bjka_officer, is_cflex, is_senate_secretary, ptj_ids_for
from core.errors import ApplicationError, ErrorKind
from courses.choices import ACCREDITED_KINDS, ProposalKind, ProposalStatus
from courses.models import (
    AssessmentComponent,
    Course,
    LearningUnit,
    MarketSurvey,
    Programme,
    ProgrammeCourse,
    Proposal,
)
from courses.policies import (
    CLOData,
    ComponentData,
    CourseFacts,
    LineData,
    ProgrammeFacts,
    ProposalData,
    ProposalSnapshot,
    UnitData,
)
from courses.policies.outcomes import OutcomeSentence, outcome_sentence


def not_found() -> ApplicationError:
    """The one answer for a proposal that does not exist and for someone else's: nothing leaks."""
    return ApplicationError("proposal_not_found", _("No such proposal."), kind=ErrorKind.NOT_FOUND)


def proposals_authored_by(user: Any) -> QuerySet[Proposal]:
    """ "My proposals": the ones the user owns or co-develops."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    authored = Proposal.objects.filter(Q(created_by=user) | Q(co_developers=user)).values("pk")
    return Proposal.objects.filter(pk__in=authored).select_related("origin_course", "ptj", "created_by")


def proposals_visible_to(user: Any) -> QuerySet[Proposal]:
    """Authors see theirs; once submitted, CFLEX and the Senate secretary see all, a Head of PTj
    their PTj's, an SME the ones they are appointed to, a committee secretary their committee's and
    BJKA the MQA ones (``courses.view_proposal`` in SQL)."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    visible = Q(created_by=user) | Q(co_developers=user)
    submitted = ~Q(status=ProposalStatus.DRAFT)
    if is_cflex(user) or is_senate_secretary(user):
        visible |= submitted
    heads = ptj_ids_for(user, [Role.HEAD_OF_PTJ_MQA, Role.HEAD_OF_PTJ_NON_MQA])
    if heads:
        visible |= submitted & Q(ptj_id__in=heads)
    visible |= submitted & Q(sme=user)
    committees = committees_for(user)
    if committees:
        visible |= submitted & Q(committee__in=sorted(committees))
    if is_bjka_officer(user):
        visible |= submitted & Q(kind__in=sorted(ACCREDITED_KINDS))
    return Proposal.objects.filter(pk__in=Proposal.objects.filter(visible).values("pk"))


def with_design(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Everything ``proposal_data`` reads, in a fixed number of queries."""
    return queryset.select_related(
        "origin_course", "origin_programme", "ptj", "created_by", "market_survey"
    ).prefetch_related(
        "lecturers",
        "co_developers",
        "clos",
        Prefetch("units", queryset=LearningUnit.objects.prefetch_related("lines")),
        Prefetch("components", queryset=AssessmentComponent.objects.select_related("unit").prefetch_related("clos")),
    )


def proposal_get(user: Any, pk: Any, *, design: bool = True) -> Proposal:
    """A proposal the user may see; anyone else's is "not found" (404), never "forbidden"."""
    queryset = with_design(Proposal.objects.all()) if design else Proposal.objects.all()
    try:
        proposal = queryset.get(pk=int(pk))
    except (Proposal.DoesNotExist, TypeError, ValueError):
        proposal = None
    if proposal is None or not user.has_perm("courses.view_proposal", proposal):
        raise not_found()
    return proposal


def _survey(proposal: Proposal) -> MarketSurvey | None:
    try:
        return proposal.market_survey
    except MarketSurvey.DoesNotExist:
        return None


def proposal_data(proposal: Proposal) -> ProposalData:
    """The proposal as typed, from the database (load it through ``with_design``)."""
    clos = list(proposal.clos.all())
    clo_number = {clo.pk: n for n, clo in enumerate(clos, start=1)}
    units = list(proposal.units.all())
    unit_number = {unit.pk: n for n, unit in enumerate(units, start=1)}
    survey = _survey(proposal)
    return ProposalData(
        kind=proposal.kind,
        title=proposal.title,
        code=proposal.code,
        origin_programme_id=proposal.origin_programme_id,
        origin_course_id=proposal.origin_course_id,
        part_credits=proposal.part_credits,
        justification=proposal.justification,
        objectives=proposal.objectives,
        entry_requirements=proposal.entry_requirements,
        synopsis=proposal.synopsis,
        study_session=proposal.study_session,
        offer_start=proposal.offer_start,
        offer_end=proposal.offer_end,
        course_level=proposal.course_level,
        learner_commitment=proposal.learner_commitment,
        promotion=proposal.promotion,
        continuous_improvement=proposal.continuous_improvement,
        fee=proposal.fee,
        delivery_mode=proposal.delivery_mode,
        ptg_reference=proposal.ptg_reference,
        lecturer_ids=tuple(sorted(u.pk for u in proposal.lecturers.all())),
        co_developer_ids=tuple(sorted(u.pk for u in proposal.co_developers.all())),
        survey_respondents=survey.respondents if survey else None,
        clos=tuple(CLOData(c.verb, c.outcome, c.criteria, c.conditions, c.mqf_level, c.effort_hours) for c in clos),
        units=tuple(
            UnitData(
                u.title,
                tuple(LineData(li.activity, li.quantity, li.rate_minutes, li.is_online) for li in u.lines.all()),
            )
            for u in units
        ),
        components=tuple(
            ComponentData(
                method=c.method,
                kind=c.kind,
                weight=c.weight,
                title=c.title,
                unit=unit_number.get(c.unit_id) if c.unit_id else None,
                clos=tuple(sorted(clo_number[clo.pk] for clo in c.clos.all())),
                retake_allowed=c.retake_allowed,
            )
            for c in proposal.components.all()
        ),
    )


def proposal_outcomes(proposal: Proposal) -> list[OutcomeSentence]:
    """The proposal's learning outcomes as the sentences the course page will print (R-AF-4)."""
    return [
        outcome_sentence(verb=c.verb, content=c.outcome, criteria=c.criteria, conditions=c.conditions)
        for c in proposal.clos.all()
    ]


def code_in_use(code: str, *, exclude_pk: int | None) -> bool:
    """R-NM-2: another proposal has this code (in any case)."""
    if not code:
        return False
    same = Proposal.objects.annotate(lc=Lower("code")).filter(lc=code.lower())
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def proposal_snapshot(proposal: Proposal | None, data: ProposalData | None = None) -> ProposalSnapshot:
    """``data`` (default: the proposal as saved) with the facts its rules need from other records.
    ``proposal`` is None for a proposal not created yet."""
    if data is None:
        assert proposal is not None
        data = proposal_data(proposal)
    programme = _programme(proposal, data.origin_programme_id)
    course = _course(proposal, data.origin_course_id)
    in_programme = (
        programme is None
        or course is None
        or ProgrammeCourse.objects.filter(programme=programme, course=course).exists()
    )
    other_parts: tuple[int, ...] = ()
    if data.kind == ProposalKind.CAT1_PART and course is not None:
        parts = Proposal.objects.filter(kind=ProposalKind.CAT1_PART, origin_course=course, part_credits__isnull=False)
        if proposal is not None:
            parts = parts.exclude(pk=proposal.pk)
        other_parts = tuple(c for c in parts.values_list("part_credits", flat=True) if c is not None)
    survey = _survey(proposal) if proposal is not None else None
    return ProposalSnapshot(
        data=data,
        origin_programme=ProgrammeFacts(programme.code, programme.name, programme.is_foundation) if programme else None,
        origin_course=CourseFacts(course.code, course.name, course.credits, course.is_mpu) if course else None,
        course_in_programme=in_programme,
        qualification_names=tuple(
            Programme.objects.filter(mqa_accredited=True).order_by("pk").values_list("name", flat=True)
        ),
        other_part_credits=other_parts,
        code_taken=code_in_use(data.code, exclude_pk=proposal.pk if proposal else None),
        survey_file_present=bool(survey and survey.has_file),
    )


def _programme(proposal: Proposal | None, pk: int | None) -> Programme | None:
    if pk is None:
        return None
    if proposal is not None and proposal.origin_programme_id == pk:
        return proposal.origin_programme
    return Programme.objects.filter(pk=pk).first()


def _course(proposal: Proposal | None, pk: int | None) -> Course | None:
    if pk is None:
        return None
    if proposal is not None and proposal.origin_course_id == pk:
        return proposal.origin_course
    return Course.objects.filter(pk=pk).first()

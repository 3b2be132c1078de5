"""Demo proposals, made and moved only through the services, each step by the demo user whose
role takes it: one course ready to offer, one waiting for its Head of PTj, one draft.

Idempotent: a proposal whose code exists is left as it is."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from courses.choices import (
    ACCREDITED_KINDS,
    AssessmentKind,
    AssessmentMethod,
    Decision,
    DeliveryMode,
    MeetingBody,
    ProposalKind,
)
from courses.choices import ProposalStatus as S
from courses.models import Course, Programme, Proposal
from courses.policies import CLOData, ComponentData, LineData, ProposalData, UnitData
from courses.services import proposal_create, proposal_submit
from courses.services.meetings import agenda_add, agenda_decide, meeting_create
from courses.services.workflow import proposal_sme_appoint, proposal_transition

D = Decimal

# 6620 SLT minutes = 110h 20m: within 10% of the origin course's 3 credits x 40 h (R-SLT-3).
_UNITS = (
    UnitData(
        "Computers and their parts",
        (
            LineData("slide", 200, D("7.5"), True),
            LineData("video", 300, D("3.5"), True),
            LineData("reading", 100, D("7.5")),
            LineData("quiz", 20, D("4"), True),
        ),
    ),
    UnitData(
        "Networks and the internet",
        (
            LineData("lecture", 600, D("3.5")),
            LineData("reading", 100, D("7.5")),
            LineData("assignment_essay", 5, D("60")),
            LineData("exam_long", 6, D("15")),
        ),
    ),
)
_CLOS = (
    CLOData(
        "Explain", "the parts of a computer and what each does", "correctly naming each part", "given a diagram", 6, 40
    ),
    CLOData("Compare", "network technologies for a small office", "against three criteria", "in a short essay", 6, 70),
)
_COMPONENTS = (
    ComponentData(AssessmentMethod.QUIZ, AssessmentKind.CONTINUOUS, 30, "Weekly quiz", 1, (1,), True),
    ComponentData(AssessmentMethod.FORUM, AssessmentKind.CONTINUOUS, 20, "Forum discussion", 2, (2,)),
    ComponentData(AssessmentMethod.ASSIGNMENT_ESSAY, AssessmentKind.FINAL, 50, "Final essay", 2, (1, 2)),
)


def _data(
    *, code: str, title: str, course: Course, programme: Programme, lecturer: User, **extra: object
) -> ProposalData:
    today = timezone.localdate()
    values: dict[str, object] = {
        "kind": ProposalKind.CAT1_WHOLE,
        "code": code,
        "title": title,
        "origin_programme_id": programme.pk,
        "origin_course_id": course.pk,
        "justification": "Employers in Sarawak ask for staff who can set up and look after office computers.",
        "entry_requirements": "SPM or equivalent; no programme entry requirement (R-EN-3).",
        "synopsis": "What a computer is made of, how networks connect them, and how to choose between them.",
        "study_session": "2026/2027 Semester 2",
        "offer_start": today + timedelta(days=30),
        "offer_end": today + timedelta(days=150),
        "course_level": 6,
        "learner_commitment": "About 6 hours a week for 18 weeks, fully online.",
        "promotion": "Faculty website, LinkedIn and the UNIMAS L4L catalogue.",
        "continuous_improvement": "Learner survey after each intake; reviewed by the programme committee.",
        "fee": D("350.00"),
        "delivery_mode": DeliveryMode.ODL,
        "lecturer_ids": (lecturer.pk,),
        "clos": _CLOS,
        "units": _UNITS,
        "components": _COMPONENTS,
    }
    values.update(extra)
    return ProposalData(**values)  # type: ignore[arg-type]


def _fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def _decide(*, keeper: User, cflex: User, body: str, proposal: Proposal) -> None:
    meeting = meeting_create(actor=keeper, body=body, date=timezone.localdate() - timedelta(days=7))
    item = agenda_add(actor=cflex, meeting=meeting, proposal=_fresh(proposal))
    agenda_decide(actor=keeper, item=item, decision=Decision.APPROVED, minute_reference=f"{body}/2026/11")


def walk_to_ready(proposal: Proposal, u: Mapping[str, User]) -> Proposal:
    """Every step of R-WF-1, each by the person whose role takes it (``u`` by the local part of
    the demo emails: developer, head.mqa, head.nonmqa, cflex.reviewer, sme, jtsppa.secretary,
    jtsps.secretary, jppeu.secretary, senate.secretary, bjka)."""
    accredited = proposal.kind in ACCREDITED_KINDS
    proposal_submit(actor=u["developer"], proposal=proposal)
    head = u["head.mqa"] if accredited else u["head.nonmqa"]  # R-WF-2
    proposal_transition(actor=head, proposal=_fresh(proposal), action="head_approve")
    proposal_transition(actor=u["cflex.reviewer"], proposal=_fresh(proposal), action="cflex_approve")
    proposal_sme_appoint(actor=u["cflex.reviewer"], proposal=_fresh(proposal), sme=u["sme"])
    while _fresh(proposal).status != S.UPLOADED:
        proposal_transition(actor=u["developer"], proposal=_fresh(proposal), action="milestone_done")
        proposal_transition(actor=u["cflex.reviewer"], proposal=_fresh(proposal), action="milestone_confirm")
    proposal_transition(actor=u["sme"], proposal=_fresh(proposal), action="sme_approve")
    committee = _fresh(proposal).committee
    keeper = u[f"{committee.lower()}.secretary"]
    _decide(keeper=keeper, cflex=u["cflex.reviewer"], body=committee, proposal=proposal)
    _decide(keeper=u["senate.secretary"], cflex=u["cflex.reviewer"], body=MeetingBody.SENATE, proposal=proposal)
    if accredited:
        proposal_transition(
            actor=u["bjka"], proposal=_fresh(proposal), action="record_mqa_registration", reference="MQA/MC/2026/0117"
        )
    proposal_transition(
        actor=u["cflex.reviewer"],
        proposal=_fresh(proposal),
        action="record_unimas_registration",
        reference="UNIMAS/CFLEX/MC/2026/031",
    )
    return _fresh(proposal)


def demo_proposals(users: dict[str, User]) -> list[Proposal]:
    """The demo proposals (``users`` by the local part of their demo email)."""
    made = []
    programme = Programme.objects.get(code="SK29")
    specs = [
        ("TMUI233MC", "Micro-Credential in Introduction to Computer Technologies", "TMUI233", "ready"),
        ("TMN3013MC", "Micro-Credential in Network Security Essentials", "TMN3013", "submitted"),
        ("TMF1434MC", "Micro-Credential in Data Structures for Practitioners", "TMF1434", "draft"),
    ]
    for code, title, course_code, goal in specs:
        if Proposal.objects.filter(code__iexact=code).exists():
            continue
        course = Course.objects.get(code=course_code)
        proposal = proposal_create(
            actor=users["developer"],
            data=_data(code=code, title=title, course=course, programme=programme, lecturer=users["instructor"]),
        )
        if goal == "ready":
            proposal = walk_to_ready(proposal, users)
        elif goal == "submitted":
            proposal_submit(actor=users["developer"], proposal=proposal)
        made.append(_fresh(proposal))
    return made

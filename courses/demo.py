"""Demo records and proposals, made and moved only through the services, each step by the demo
user whose role takes it: the PTjs' programmes and courses (with the programme coordinators), one
course ready to offer, one waiting for its Head of PTj, one draft; and, for the reports' history,
a second PTj's course and a proposal returned for revision. Steps of ``core.demo``.

Idempotent: a proposal whose code exists is left as it is."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import PTj, Role, User
from accounts.services import role_assign
from core.demo import DEMO_DOMAIN, DEMO_PASSWORD, DemoRun, demo_step
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
from courses.models import Course, Programme, ProgrammeLevel, Proposal
from courses.policies import CLOData, ComponentData, LineData, ProposalData, UnitData
from courses.services import (
    course_ensure,
    programme_coordinator_set,
    programme_ensure,
    proposal_create,
    proposal_submit,
)
from courses.services.meetings import agenda_add, agenda_decide, meeting_create
from courses.services.workflow import proposal_sme_appoint, proposal_transition

D = Decimal

# code, name, credits, PTj, MPU
COURSES = [
    ("TMN4033", "Internet of Things", 3, "FCSIT", False),
    ("TMUI233", "Introduction to Computer Technologies", 3, "FCSIT", False),
    ("TMN3013", "Network Security", 3, "FCSIT", False),
    ("TMF1434", "Data Structures and Algorithms", 4, "FCSIT", False),
    ("MPU3183", "Penghayatan Etika dan Peradaban", 3, "FCSIT", True),
    ("KNS2153", "Engineering Surveying", 3, "FENG", False),
    ("KNS3063", "Geotechnical Engineering", 3, "FENG", False),
    ("KMP6013", "Human Resource Development Practice", 3, "FCSHD", False),
    ("PPU0013", "Foundation Mathematics", 3, "CPU", False),
]

# code, qualification name, PTj, level, graduating credits, MQA, courses
PROGRAMMES = [
    (
        "SK29",
        "Bachelor of Computer Science with Honours (Network Computing)",
        "FCSIT",
        ProgrammeLevel.BACHELOR,
        128,
        True,
        ["TMN4033", "TMUI233", "TMN3013", "TMF1434", "MPU3183"],
    ),
    (
        "SK37",
        "Diploma in Computer Science",
        "FCSIT",
        ProgrammeLevel.DIPLOMA,
        90,
        True,
        ["TMUI233", "TMF1434", "MPU3183"],
    ),
    (
        "KC11",
        "Bachelor of Engineering with Honours (Civil Engineering)",
        "FENG",
        ProgrammeLevel.BACHELOR,
        140,
        True,
        ["KNS2153", "KNS3063", "MPU3183"],
    ),
    ("MHRD", "Master of Human Resource Development", "FCSHD", ProgrammeLevel.MASTER, 40, True, ["KMP6013"]),
    ("ASC", "Foundation in Science", "CPU", ProgrammeLevel.FOUNDATION, 36, True, ["PPU0013"]),
]

# code, name, credits, MPU: SK29's other courses, so a plan of study can be stacked towards it
# (credit transfer).
SK29_COURSES = [
    ("TMN4013", "Cloud Computing", 3, False),
    ("TMN2053", "Computer Networks", 3, False),
    ("TMF2954", "Software Engineering", 4, False),
    ("TMI3013", "Data Analytics", 3, False),
    ("MPU3193", "Falsafah dan Isu Semasa", 3, True),
    ("MPU3213", "Bahasa Kebangsaan A", 3, True),
]


@demo_step(10)
def demo_records(run: DemoRun) -> None:
    """Programmes and their courses, and the programme coordinator named on the FCSIT ones."""
    ptjs = run.ptjs
    courses = {
        code: course_ensure(code=code, name=name, credits=credits, ptj=ptjs[ptj], is_mpu=mpu)
        for code, name, credits, ptj, mpu in COURSES
    }
    for code, name, ptj, level, credits, mqa, course_codes in PROGRAMMES:
        programme_ensure(
            code=code,
            name=name,
            ptj=ptjs[ptj],
            level=level,
            graduating_credits=credits,
            mqa_accredited=mqa,
            courses=[courses[c] for c in course_codes],
        )


@demo_step(50)
def demo_transfer_records(run: DemoRun) -> None:
    """More of SK29's courses (MPU among them) and the coordinator of SK29 and SK37."""
    ptj = PTj.objects.get(code="FCSIT")
    courses = [course_ensure(code=c, name=n, credits=cr, ptj=ptj, is_mpu=m) for c, n, cr, m in SK29_COURSES]
    sk29 = Programme.objects.get(code="SK29")
    programme_ensure(
        code=sk29.code,
        name=sk29.name,
        ptj=ptj,
        level=sk29.level,
        graduating_credits=sk29.graduating_credits,
        courses=courses,
    )
    for code in ("SK29", "SK37"):
        programme_coordinator_set(programme=Programme.objects.get(code=code), coordinator=run.users["coordinator"])


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
        "entry_requirements": "SPM or equivalent; no programme entry requirement is needed.",
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
    proposal_sme_appoint(actor=u["cflex.reviewer"], proposal=_fresh(proposal), sme=u["sme"], expected_sme_id=None)
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


@demo_step(20)
def demo_proposals_step(run: DemoRun) -> None:
    if run.proposals:
        demo_proposals(run.users)


# The reports' history: a second PTj's course walked to ready, and an FCSIT proposal returned.
HISTORY_MARKER_CODE = "KNS2153MC"


def _person(email_local: str, name: str, role: Role, ptj: PTj | None) -> User:
    email = f"{email_local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    role_assign(user=user, role=role, ptj=ptj)
    return user


@demo_step(60)
def demo_history_proposals(run: DemoRun) -> None:
    users = run.users
    if not (run.proposals and run.history) or Proposal.objects.filter(code__iexact=HISTORY_MARKER_CODE).exists():
        return
    feng = PTj.objects.get(code="FENG")
    people = {
        **users,
        "developer": _person("developer.feng", "Ir. Dr. Kho Siaw Ling", Role.COURSE_DEVELOPER, feng),
        "head.mqa": _person("head.feng", "Prof. Ir. Dr. Awang Bujang", Role.HEAD_OF_PTJ_MQA, feng),
    }
    surveying = proposal_create(
        actor=people["developer"],
        data=_data(
            code=HISTORY_MARKER_CODE,
            title="Micro-Credential in Engineering Surveying",
            course=Course.objects.get(code="KNS2153"),
            programme=Programme.objects.get(code="KC11"),
            lecturer=users["instructor"],
        ),
    )
    walk_to_ready(surveying, people)
    # An FCSIT proposal the Head of PTj returned for revision (R-WF-3).
    iot = proposal_create(
        actor=users["developer"],
        data=_data(
            code="TMN4033MC",
            title="Micro-Credential in Internet of Things",
            course=Course.objects.get(code="TMN4033"),
            programme=Programme.objects.get(code="SK29"),
            lecturer=users["instructor"],
        ),
    )
    proposal_submit(actor=users["developer"], proposal=iot)
    proposal_transition(
        actor=users["head.mqa"],
        proposal=Proposal.objects.get(pk=iot.pk),
        action="return",
        comment="Please align CLO2 with MQF level 6 and attach the industry letter.",
    )

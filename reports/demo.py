"""Demo history for the reports: past intakes with results, withdrawals, deferrals and survey
answers, a second PTj's course and a proposal returned for revision, so that the dashboards have
something to show in the demo. Everything goes through the services, each step by the person
whose role takes it. Idempotent: nothing is added when the FENG demo course exists.

Only the demo and the browser tests load it (``demo_seed(history=True)``): it takes a few
seconds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import PTj, Role, User
from accounts.services import role_assign
from courses import api as courses_api
from courses.choices import ProposalStatus
from courses.demo import _data, walk_to_ready
from courses.models import Course, Programme, Proposal
from courses.services import proposal_create, proposal_submit
from courses.services.workflow import proposal_transition
from enrolment.choices import Platform
from enrolment.models import Enrolment, Offering
from enrolment.services import (
    enrolment_create,
    enrolment_defer,
    enrolment_withdraw,
    learner_profile_save,
    mark_record,
    offering_create,
    results_transition,
    survey_submit,
)

MARKER_CODE = "KNS2153MC"

# Invented people. NRIC numbers are made up (valid in form only); passports likewise.
LEARNERS = [
    ("Nur Aina Binti Zulkifli", "nric", "990214-13-5522", "", "", "82012"),
    ("Muhammad Irfan Bin Roslan", "nric", "980705-13-6117", "", "", ""),
    ("Chong Li Ting", "nric", "010322-13-7040", "", "", "84511"),
    ("Priya A/P Raman", "nric", "970911-10-5368", "", "", ""),
    ("Jason Anak Ujang", "nric", "000130-13-6251", "", "", "85130"),
    ("Siti Hajar Binti Ismail", "nric", "950607-13-5904", "", "", ""),
    ("Lee Wen Jie", "nric", "020418-13-6333", "", "", "86002"),
    ("Dayang Nurul Binti Awang", "nric", "961225-13-5186", "", "", ""),
    ("Ahmad Faiz Bin Hassan", "nric", "990903-13-6479", "", "", "82977"),
    ("Tan Mei Qi", "nric", "940516-13-5010", "", "", ""),
    ("Rahmat Bin Jais", "nric", "930820-13-6691", "", "", ""),
    ("Melissa Anak Nyaring", "nric", "011109-13-5778", "", "", "87210"),
    ("Budi Santoso", "passport", "B4471203", "Indonesia", "1994-03-12", ""),
    ("Amina Yusuf", "passport", "A09812345", "Nigeria", "1996-07-21", ""),
    ("Zhang Wei", "passport", "E55501823", "China", "1998-11-02", "88123"),
    ("Haji Rosli Bin Daud", "passport", "BR0098213", "Brunei", "1990-01-30", ""),
]

# (learner index, score on every component or None to withdraw / defer, survey answers, comment)
FIRST_INTAKE = [
    (0, 86, (5, 5, 4, 5), "The network labs were the best part; more of them please."),
    (1, 74, (4, 4, 4, 4), ""),
    (2, 91, (5, 5, 5, 5), "Clear videos. The essay brief could say how long it should be."),
    (3, 58, (4, 3, 3, 4), "Feedback on the forum came late in week 6."),
    (4, 67, (4, 4, 3, 4), ""),
    (5, 44, (2, 3, 2, 2), "Too much reading for a working adult; shorter chapters would help."),
    (6, 79, (5, 4, 4, 4), ""),
    (7, 63, None, ""),
    (8, 52, (3, 3, 4, 3), "Quizzes closed before the weekend."),
    (9, "withdraw", None, ""),
    (12, 71, (4, 5, 3, 4), "Good course. The platform was slow from Indonesia."),
    (13, "defer", None, ""),
]
SECOND_INTAKE = [
    (10, 55, (3, 4, 4, 3), ""),
    (11, 88, (5, 5, 4, 5), "Loved the case studies from Sarawak."),
    (14, 69, (4, 4, 5, 4), ""),
    (15, "withdraw", None, ""),
]
FENG_INTAKE = [
    (1, 61, (4, 3, 4, 4), "The total station videos were excellent."),
    (2, 77, (5, 4, 5, 5), ""),
    (3, 38, (2, 2, 3, 2), "Needed more worked examples before the assessment."),
    (5, 72, (4, 4, 4, 4), ""),
    (6, "defer", None, ""),
    (13, 84, (5, 5, 4, 5), "Practical and well paced."),
]


def _person(email_local: str, name: str, role: Role, ptj: PTj | None, password: str) -> User:
    from core.demo import DEMO_DOMAIN

    email = f"{email_local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=name)
    role_assign(user=user, role=role, ptj=ptj)
    return user


def _learners(password: str) -> list[User]:
    people = []
    for number, (name, kind, identity, nationality, born, student_id) in enumerate(LEARNERS, start=1):
        user = _person(f"learner.{number:02d}", name, Role.LEARNER, None, password)
        learner_profile_save(
            actor=user,
            legal_name=name,
            identity_kind=kind,
            identity_number=identity,
            nationality=nationality,
            birth_date=date.fromisoformat(born) if born else None,
            phone="+60 82-583 000",
            student_id=student_id,
            pdpa_consent=True,
        )
        people.append(user)
    return people


def _intake(
    *,
    proposal: Proposal,
    session: str,
    starts_on: date,
    plan: list[tuple[int, object, tuple[int, int, int, int] | None, str]],
    learners: list[User],
    users: dict[str, User],
) -> Offering:
    """A past intake: enrolment, marks, withdrawals and deferrals, results approved by the
    committee and the Senate, then the survey."""
    offering = offering_create(
        actor=users["cflex.admin"],
        proposal_id=proposal.pk,
        session=session,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=120),
        platform=Platform.L4L,
        capacity=40,
        fee=Decimal("350.00"),
        enrolment_opens=starts_on - timedelta(days=35),
        enrolment_closes=starts_on - timedelta(days=2),
        instructor_ids=[users["instructor"].pk],
    )
    components = courses_api.ready_course_get(proposal.pk).components
    enrolled: list[tuple[Enrolment, User, object, tuple[int, int, int, int] | None, str]] = []
    for index, score, answers, comment in plan:
        learner = learners[index]
        enrolment = enrolment_create(
            actor=learner,
            offering=offering,
            international_notice_accepted=True,
            today=starts_on - timedelta(days=10),
        )
        enrolled.append((enrolment, learner, score, answers, comment))
    for enrolment, learner, score, _answers, _comment in enrolled:
        if score == "withdraw":
            enrolment_withdraw(actor=learner, enrolment=enrolment, reason="Work commitments.")
        elif score == "defer":
            enrolment_defer(actor=learner, enrolment=enrolment, reason="Family matters; next intake.")
        elif isinstance(score, int):
            for component in components:
                mark_record(
                    actor=users["instructor"],
                    offering=offering,
                    enrolment_id=enrolment.pk,
                    component_id=component.id,
                    score=Decimal(score),
                )
    if any(isinstance(score, int) for _, _, score, _, _ in enrolled):
        results_transition(actor=users["instructor"], offering=offering, action="submit")
        keeper = users[f"{offering.committee.lower()}.secretary"]
        results_transition(actor=keeper, offering=Offering.objects.get(pk=offering.pk), action="endorse")
        results_transition(
            actor=users["senate.secretary"], offering=Offering.objects.get(pk=offering.pk), action="approve"
        )
    for enrolment, learner, _score, answers, comment in enrolled:
        if answers is not None:
            survey_submit(
                actor=learner,
                enrolment=Enrolment.objects.get(pk=enrolment.pk),
                content_rating=answers[0],
                instructor_rating=answers[1],
                platform_rating=answers[2],
                overall_rating=answers[3],
                comment=comment,
            )
    return offering


def demo_history(users: dict[str, User]) -> None:
    from core.demo import DEMO_PASSWORD

    if Proposal.objects.filter(code__iexact=MARKER_CODE).exists():
        return
    feng = PTj.objects.get(code="FENG")
    people = {
        **users,
        "developer": _person("developer.feng", "Ir. Dr. Kho Siaw Ling", Role.COURSE_DEVELOPER, feng, DEMO_PASSWORD),
        "head.mqa": _person("head.feng", "Prof. Ir. Dr. Awang Bujang", Role.HEAD_OF_PTJ_MQA, feng, DEMO_PASSWORD),
    }
    surveying = proposal_create(
        actor=people["developer"],
        data=_data(
            code=MARKER_CODE,
            title="Micro-Credential in Engineering Surveying",
            course=Course.objects.get(code="KNS2153"),
            programme=Programme.objects.get(code="KC11"),
            lecturer=users["instructor"],
        ),
    )
    surveying = walk_to_ready(surveying, people)
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
    learners = _learners(DEMO_PASSWORD)
    computers = Proposal.objects.get(code__iexact="TMUI233MC", status=ProposalStatus.READY_TO_OFFER)
    for proposal, session, starts_on, plan in (
        (computers, "2025/2026 Semester 1", date(2025, 10, 6), FIRST_INTAKE),
        (computers, "2025/2026 Semester 2", date(2026, 3, 2), SECOND_INTAKE),
        (surveying, "2025/2026 Semester 2", date(2026, 3, 9), FENG_INTAKE),
    ):
        _intake(proposal=proposal, session=session, starts_on=starts_on, plan=plan, learners=learners, users=users)

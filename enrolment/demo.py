"""Demo offerings and results, through the services: an offering of each course that is ready to
offer, open for enrolment now; the demo learner's completed earlier offering whose results go
through instructor, committee and Senate (the credentials app then issues the credential); and,
for the reports, past intakes with results, withdrawals, deferrals and survey answers. Steps of
``core.demo``.

Idempotent: a course that has an offering gets no second one; the rest is made once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import role_assign
from core.demo import DEMO_DOMAIN, DEMO_PASSWORD, DemoRun, demo_step
from courses import api as courses_api
from enrolment.choices import EnrolmentStatus, Platform
from enrolment.models import Enrolment, LearnerProfile, Offering
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

DEMO_NRIC = "950505-13-5057"


@demo_step(30)
def demo_offerings_step(run: DemoRun) -> None:
    if run.proposals:
        demo_offerings(run.users)


def demo_offerings(users: dict[str, User]) -> list[Offering]:
    made = []
    today = timezone.localdate()
    ready = courses_api.ready_courses(courses_api.ready_to_offer_ids())
    for proposal_id in sorted(ready, key=lambda pk: ready[pk].code):
        if Offering.objects.filter(proposal_id=proposal_id).exists():
            continue
        made.append(
            offering_create(
                actor=users["cflex.admin"],
                proposal_id=proposal_id,
                session="2026/2027 Semester 2",
                starts_on=today + timedelta(days=30),
                ends_on=today + timedelta(days=150),
                platform=Platform.L4L,
                capacity=40,
                fee=Decimal("350.00"),
                enrolment_opens=today - timedelta(days=1),
                enrolment_closes=today + timedelta(days=25),
                instructor_ids=[users["instructor"].pk],
                minimum_requirements="Basic computer literacy\nAccess to a computer and the internet",
            )
        )
    return made


@demo_step(35)
def demo_completed(run: DemoRun) -> None:
    """The demo learner completes an earlier offering of the first ready course; Senate approval
    asks the credentials app for the credential (through ``enrolment.ports``)."""
    users = run.users
    learner = users["learner"]
    if not run.proposals or Enrolment.objects.filter(learner=learner, status=EnrolmentStatus.COMPLETED).exists():
        return
    ready = courses_api.ready_to_offer_ids()
    if not ready:
        return
    course = courses_api.ready_course_get(sorted(ready)[0])
    today = timezone.localdate()
    if not LearnerProfile.objects.filter(user=learner).exists():
        learner_profile_save(
            actor=learner,
            legal_name=learner.full_name,
            identity_kind="nric",
            identity_number=DEMO_NRIC,
            nationality="Malaysia",
            birth_date=None,
            phone="+60 82-581 000",
            pdpa_consent=True,
        )
    with transaction.atomic():
        offering = offering_create(
            actor=users["cflex.admin"],
            proposal_id=course.id,
            session="2026/2027 Semester 1",
            starts_on=today - timedelta(days=120),
            ends_on=today - timedelta(days=14),
            platform=Platform.L4L,
            capacity=40,
            fee=Decimal("350.00"),
            enrolment_opens=today - timedelta(days=150),
            enrolment_closes=today - timedelta(days=125),
            instructor_ids=[users["instructor"].pk],
            minimum_requirements="Basic computer literacy",
        )
        enrolment = enrolment_create(
            actor=learner,
            offering=offering,
            confirmed_requirements=["Basic computer literacy"],
            today=today - timedelta(days=130),
        )
        for number, component in enumerate(course.components):
            maximum = offering.max_score_for(component.id)
            score = (maximum * Decimal("0.78") + number).quantize(Decimal("0.01"))
            mark_record(
                actor=users["instructor"],
                offering=offering,
                enrolment_id=enrolment.pk,
                component_id=component.id,
                score=min(score, maximum),
            )
        results_transition(actor=users["instructor"], offering=offering, action="submit")
        secretary = users[f"{offering.committee.lower()}.secretary"]
        results_transition(actor=secretary, offering=offering, action="endorse")
        results_transition(actor=users["senate.secretary"], offering=offering, action="approve")


# --- the reports' history ---------------------------------------------------------------------

HISTORY_MARKER = "learner.01"

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


def _person(email_local: str, name: str, role: Role, password: str) -> User:
    email = f"{email_local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=name)
    role_assign(user=user, role=role)
    return user


def _learners(password: str) -> list[User]:
    people = []
    for number, (name, kind, identity, nationality, born, student_id) in enumerate(LEARNERS, start=1):
        user = _person(f"learner.{number:02d}", name, Role.LEARNER, password)
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
    proposal_id: int,
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
        proposal_id=proposal_id,
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
    components = courses_api.ready_course_get(proposal_id).components
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


@demo_step(70)
def demo_history_intakes(run: DemoRun) -> None:
    """Past intakes of the ready FCSIT course and the FENG one (courses.demo's history step)."""
    if not (run.proposals and run.history):
        return
    if User.objects.filter(email__iexact=f"{HISTORY_MARKER}@{DEMO_DOMAIN}").exists():
        return
    computers = courses_api.proposal_id_for_code("TMUI233MC")
    surveying = courses_api.proposal_id_for_code("KNS2153MC")
    if computers is None or surveying is None:
        return
    learners = _learners(DEMO_PASSWORD)
    for proposal_id, session, starts_on, plan in (
        (computers, "2025/2026 Semester 1", date(2025, 10, 6), FIRST_INTAKE),
        (computers, "2025/2026 Semester 2", date(2026, 3, 2), SECOND_INTAKE),
        (surveying, "2025/2026 Semester 2", date(2026, 3, 9), FENG_INTAKE),
    ):
        _intake(
            proposal_id=proposal_id, session=session, starts_on=starts_on, plan=plan, learners=learners, users=run.users
        )

"""Ready courses, offerings and learners for the enrolment tests, built through the services."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Committee, PTj, Role, User
from courses.choices import ProposalKind, ProposalStatus
from courses.demo import walk_to_ready
from courses.models import Proposal
from courses.services import course_ensure, market_survey_attach, programme_ensure, proposal_create
from enrolment.models import Offering
from enrolment.services import learner_profile_save, offering_create
from tests.courses.builders import ready_data
from tests.factories import user_with_role

_counter = iter(range(1, 10**6))


def ready_course(
    *,
    ptj: PTj | None = None,
    kind: str = ProposalKind.CAT1_WHOLE,
    title: str = "Micro-Credential in Introduction to Computer Technologies",
    course_level: int = 6,
    **overrides,
) -> Proposal:
    """A complete proposal made by the course services, then moved to READY_TO_OFFER."""
    n = next(_counter)
    if ptj is None:
        ptj, _ = PTj.objects.get_or_create(
            code="FCSIT", defaults={"name": "Faculty of Computer Science and Information Technology"}
        )
    developer = user_with_role(Role.COURSE_DEVELOPER, ptj=ptj, full_name="Dr. Aisyah Binti Rahman")
    data = ready_data(kind, lecturer_ids=(developer.pk,), title=title, course_level=course_level, **overrides)
    if kind in (ProposalKind.CAT1_WHOLE, ProposalKind.CAT1_PART):
        origin = course_ensure(code=f"TMU{n:03d}3"[-7:], name=f"Origin course {n}", credits=3, ptj=ptj)
        programme = programme_ensure(
            code=f"SK{n}",
            name=f"Bachelor of Testing {n}",
            ptj=ptj,
            level="bachelor",
            graduating_credits=128,
            courses=[origin],
        )
        data = dataclasses.replace(data, origin_programme_id=programme.pk, origin_course_id=origin.pk, code="")
    else:
        data = dataclasses.replace(data, code=f"MC{n:03d}" if kind == ProposalKind.CAT3_SAMC else f"MCV{n:03d}")
    proposal = proposal_create(actor=developer, data=data, ptj=ptj)
    if kind in (ProposalKind.CAT3_SAMC, ProposalKind.CAT3_QVC):
        survey = SimpleUploadedFile("survey.csv", b"respondent,answer\n1,yes\n2,no\n", content_type="text/csv")
        market_survey_attach(actor=developer, proposal=proposal, upload=survey)  # R-AF-3
    # Through every step of the approval workflow, each by the person whose role takes it.
    proposal = walk_to_ready(proposal, {"developer": developer, **_approvers(ptj)})
    assert proposal.status == ProposalStatus.READY_TO_OFFER
    return proposal


def _approvers(ptj: PTj) -> dict[str, User]:
    """One person per reviewing role (the same people for every course of a test)."""
    wanted: dict[str, tuple[Role, dict[str, Any]]] = {
        "head.mqa": (Role.HEAD_OF_PTJ_MQA, {"ptj": ptj}),
        "head.nonmqa": (Role.HEAD_OF_PTJ_NON_MQA, {"ptj": ptj}),
        "cflex.reviewer": (Role.CFLEX_REVIEWER, {}),
        "sme": (Role.SME, {}),
        "jtsppa.secretary": (Role.COMMITTEE_SECRETARY, {"committee": Committee.JTSPPA}),
        "jtsps.secretary": (Role.COMMITTEE_SECRETARY, {"committee": Committee.JTSPS}),
        "jppeu.secretary": (Role.COMMITTEE_SECRETARY, {"committee": Committee.JPPEU}),
        "senate.secretary": (Role.SENATE_SECRETARY, {}),
        "bjka": (Role.BJKA_OFFICER, {}),
    }
    people = {}
    for key, (role, scope) in wanted.items():
        email = f"wf-{key}-{scope['ptj'].code.lower() if 'ptj' in scope else 'all'}@example.test"
        user = User.objects.filter(email=email).first() or user_with_role(role, email=email, **scope)
        people[key] = user
    return people


def cflex_admin() -> User:
    return user_with_role(Role.CFLEX_ADMIN, full_name="Nurul Huda Binti Ahmad")


def instructor() -> User:
    return user_with_role(Role.INSTRUCTOR, full_name="Dr. Tan Kok Leong")


def committee_secretary(committee: str = Committee.JTSPPA) -> User:
    return user_with_role(Role.COMMITTEE_SECRETARY, committee=committee)


def senate_secretary() -> User:
    return user_with_role(Role.SENATE_SECRETARY)


def offering(
    proposal: Proposal, *, admin: User | None = None, teacher: User | None = None, capacity: int = 30, **overrides
) -> Offering:
    today = timezone.localdate()
    values = {
        "session": "2026/2027 Semester 1",
        "starts_on": today + timedelta(days=14),
        "ends_on": today + timedelta(days=120),
        "platform": "l4l",
        "capacity": capacity,
        "fee": Decimal("350.00"),
        "enrolment_opens": today - timedelta(days=1),
        "enrolment_closes": today + timedelta(days=10),
        "minimum_requirements": "",
    }
    values.update(overrides)
    return offering_create(
        actor=admin or cflex_admin(),
        proposal_id=proposal.pk,
        instructor_ids=[(teacher or instructor()).pk],
        **values,
    )


NRICS = iter(f"900101-13-{n:04d}" for n in range(1000, 9999))


def learner(*, email: str | None = None, nric: str | None = None, passport: str | None = None, **kw) -> User:
    user = user_with_role(Role.LEARNER, **({"email": email} if email else {}), **kw)
    learner_profile_save(
        actor=user,
        legal_name=user.full_name or "Learner",
        identity_kind="passport" if passport else "nric",
        identity_number=passport or nric or next(NRICS),
        nationality="Indonesia" if passport else "",
        birth_date=date(1995, 5, 5) if passport else None,
        phone="+60 12-345 6789",
        pdpa_consent=True,
    )
    return user


def course_has_run(offering: Offering, *, ended_days_ago: int = 1) -> Offering:
    """Time passes: every date of the offering moves back so that it ended ``ended_days_ago`` days
    ago (R-RS-4: results go forward only after the course has run). A test stand-in for waiting."""
    today = timezone.localdate()
    shift = offering.ends_on - (today - timedelta(days=ended_days_ago))
    Offering.objects.filter(pk=offering.pk).update(
        starts_on=offering.starts_on - shift,
        ends_on=offering.ends_on - shift,
        enrolment_opens=offering.enrolment_opens - shift,
        enrolment_closes=offering.enrolment_closes - shift,
    )
    offering.refresh_from_db()
    return offering

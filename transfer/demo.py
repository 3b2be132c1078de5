"""Demo data for credit transfer, through the services: the programme coordinator named on the
FCSIT programmes, more of SK29's courses (MPU among them), two credentials the demo learner brings
from outside, and one application waiting for the coordinator. Idempotent."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import PTj, User
from courses.models import Programme
from courses.services import course_ensure, programme_coordinator_set, programme_ensure
from transfer.models import Application, PriorCredential
from transfer.selectors import learner_credentials

# code, name, credits, MPU: SK29's other courses, so a plan of study can be stacked towards it.
SK29_COURSES = [
    ("TMN4013", "Cloud Computing", 3, False),
    ("TMN2053", "Computer Networks", 3, False),
    ("TMF2954", "Software Engineering", 4, False),
    ("TMI3013", "Data Analytics", 3, False),
    ("MPU3193", "Falsafah dan Isu Semasa", 3, True),
    ("MPU3213", "Bahasa Kebangsaan A", 3, True),
]


def _evidence(title: str) -> SimpleUploadedFile:
    from core.pdf import render_pdf

    pdf = render_pdf(f"<html><body><h1>Academic transcript</h1><p>{title}</p></body></html>")
    return SimpleUploadedFile("transcript.pdf", pdf, content_type="application/pdf")


def demo_transfer(users: dict[str, User], *, applications: bool = True) -> None:
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
        programme_coordinator_set(programme=Programme.objects.get(code=code), coordinator=users["coordinator"])
    if applications:
        _demo_learner(users)


def _demo_learner(users: dict[str, User]) -> None:
    from transfer.services import Claim, application_submit, prior_credential_add

    learner = users["learner"]
    if not PriorCredential.objects.filter(learner=learner, code="KMK2053").exists():
        prior_credential_add(
            actor=learner,
            kind="cat2",
            code="KMK2053",
            title="Computer Networks",
            provider="Universiti Malaysia Sabah",
            credits=3,
            completed_on=date(2025, 6, 30),
            accreditation_reference="MQA/FA 4471",
            evidence=_evidence("KMK2053 Computer Networks, grade A-, 3 credits"),
        )
    if not PriorCredential.objects.filter(learner=learner, code="GITS101").exists():
        prior_credential_add(
            actor=learner,
            kind="samc",
            code="GITS101",
            title="IT Support Fundamentals",
            provider="Coursera",
            credits=3,
            completed_on=date(2025, 11, 15),
            evidence=_evidence("IT Support Fundamentals, completed"),
        )
    sk37 = Programme.objects.get(code="SK37")
    if Application.objects.filter(learner=learner, programme=sk37).exists():
        return
    portal = [h for h in learner_credentials(learner.pk) if h.source == "unimas" and h.code == "TMUI233MC"]
    if portal:
        application_submit(
            actor=learner,
            programme_id=sk37.pk,
            claims=[Claim(portal[0].ref, "TMUI233")],
            comment="I completed TMUI233MC at UNIMAS and would like it credited to the Diploma.",
        )

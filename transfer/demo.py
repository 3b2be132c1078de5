"""Demo data for credit transfer, through the services: two credentials the demo learner brings
from outside, and one application waiting for the coordinator (SK29's extra courses and the
coordinator are courses.demo's). A step of ``core.demo``. Idempotent."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from core.demo import DemoRun, demo_step
from courses import api as courses_api
from transfer.models import Application, PriorCredential
from transfer.selectors import learner_credentials


def _evidence(title: str) -> SimpleUploadedFile:
    from core.pdf import render_pdf

    pdf = render_pdf(f"<html><body><h1>Academic transcript</h1><p>{title}</p></body></html>")
    return SimpleUploadedFile("transcript.pdf", pdf, content_type="application/pdf")


@demo_step(55)
def demo_transfer(run: DemoRun) -> None:
    if run.proposals:
        _demo_learner(run.users)


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
    sk37 = next(p for p in courses_api.programme_list(active_only=False) if p.code == "SK37")
    if Application.objects.filter(learner=learner, programme_id=sk37.id).exists():
        return
    portal = [h for h in learner_credentials(learner.pk) if h.source == "unimas" and h.code == "TMUI233MC"]
    if portal:
        application_submit(
            actor=learner,
            programme_id=sk37.id,
            claims=[Claim(portal[0].ref, "TMUI233")],
            comment="I completed TMUI233MC at UNIMAS and would like it credited to the Diploma.",
        )

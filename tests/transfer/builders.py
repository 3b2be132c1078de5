"""Programmes, reviewers, learners and their credentials for the credit-transfer tests, all made
through the services (courses, accounts, enrolment, credentials, transfer)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import PTj, Role, User
from courses.models import Programme
from courses.services import course_ensure, programme_coordinator_set, programme_ensure
from tests.enrolment import builders as enrol
from tests.factories import user_with_role
from transfer.models import PriorCredential
from transfer.services import prior_credential_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    ptj: PTj
    programme: Programme
    coordinator: User
    dean: User
    apelc: User
    admin: User
    learner: User


# code, name, credits, MPU: a 120-credit bachelor's courses (the issue's examples).
COURSES = [
    ("TMN4033", "Internet of Things", 3, False),
    ("TMUI233", "Introduction to Computer Technologies", 3, False),
    ("TMN3013", "Network Security", 3, False),
    ("TMF1434", "Data Structures and Algorithms", 4, False),
    ("MPU3183", "Penghayatan Etika dan Peradaban", 3, True),
] + [(f"TMX{n:03d}3", f"Elective {n}", 3, False) for n in range(1, 33)]


def world(*, graduating: int = 120, level: str = "bachelor", code: str = "SK99") -> World:
    ptj, _ = PTj.objects.get_or_create(
        code="FCSIT", defaults={"name": "Faculty of Computer Science and Information Technology"}
    )
    courses = [course_ensure(code=c, name=n, credits=cr, ptj=ptj, is_mpu=m) for c, n, cr, m in COURSES]
    programme = programme_ensure(
        code=code,
        name="Bachelor of Computer Science (Testing)",
        ptj=ptj,
        level=level,
        graduating_credits=graduating,
        entry_requirements="STPM with CGPA 2.00, or APEL.A",
        courses=courses,
    )
    coordinator = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=ptj, full_name="Dr. Rina Binti Mahmud")
    programme_coordinator_set(programme=programme, coordinator=coordinator)
    return World(
        ptj=ptj,
        programme=programme,
        coordinator=coordinator,
        dean=user_with_role(Role.DEAN, ptj=ptj, full_name="Prof. Dr. Wan Azlan"),
        apelc=user_with_role(Role.APELC_OFFICER, full_name="Norazila Binti Bujang"),
        admin=user_with_role(Role.CFLEX_ADMIN, full_name="Nurul Huda Binti Ahmad"),
        learner=enrol.learner(full_name="Ahmad Danial Bin Kamal", nric="900101-13-5001"),
    )


def pdf(name: str = "transcript.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def outside(
    learner: User,
    code: str,
    *,
    kind: str = "cat2",
    credits: int = 3,
    provider: str = "Universiti Malaysia Sabah",
    evidence: SimpleUploadedFile | None = None,
    **kw,
) -> PriorCredential:
    """A credential from another provider, with a PDF as evidence unless told otherwise."""
    extra = {"accreditation_reference": "MQA/FA 1234"} if kind == "cat2" else {}
    if kind == "samc_qvc":
        extra = {"qvc_reference": "QVC/2026/77"}
    extra.update(kw)
    return prior_credential_add(
        actor=learner,
        kind=kind,
        code=code,
        title=f"Course {code}",
        provider=provider,
        credits=credits,
        evidence=evidence or pdf(),
        completed_on=date(2025, 6, 30),
        **extra,
    )


def outside_badge(credential_document: dict, *, credits: int = 3, tamper: bool = False) -> dict:
    """An Open Badges 3.0 credential of another provider (a did:key issuer, a status list on its
    own host): made from one this portal issued, re-signed with an outside key."""
    from credentials import ld

    secret = ld.SigningKey.generate("outside")
    document = copy.deepcopy(credential_document)
    del document["proof"]
    document["issuer"]["id"] = ld.did_key_for(secret.public_key)
    document["issuer"]["name"] = "Open University Example"
    achievement = document["credentialSubject"]["achievement"]
    achievement["creditsAvailable"] = credits
    entries = document.get("credentialStatus") or []
    for entry in [entries] if isinstance(entries, dict) else entries:
        entry["statusListCredential"] = "https://status.example.org/lists/1"
        entry["id"] = "https://status.example.org/lists/1#5"
    signed = ld.sign(document, key=secret, verification_method=ld.did_key_verification_method(secret.public_key))
    if tamper:
        signed["credentialSubject"]["achievement"]["name"] = "Something else entirely"
    return signed


def issued_credential(learner: User, *, kind: str = "cat1_whole", scores: tuple[int, int, int] = (80, 70, 60)):
    """A micro-credential this portal issued to ``learner``: a ready course (of ``kind``), an
    offering, marks on quiz / forum / essay, results approved by committee and Senate, and the
    credential issued, all through the services. Returns (credential, proposal)."""
    from courses.models import Proposal
    from credentials.models import IssuanceRequest
    from credentials.services import credential_issue
    from tests.credentials.builders import approved_offering

    title = "Micro-Credential in Smart Farming Sensors" if kind != "cat1_whole" else "Micro-Credential in IoT Basics"
    offering, _ = approved_offering(learners=[learner], title=title, kind=kind, passing_scores=scores)
    request = IssuanceRequest.objects.get(offering_id=offering.pk, learner=learner)
    return credential_issue(request_id=request.pk), Proposal.objects.get(pk=offering.proposal_id)

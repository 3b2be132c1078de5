"""A small world for the security tests: the demo's records (proposals at several steps, a
meeting, an offering with enrolments, issued credentials, credit-transfer claims and
applications), all owned by the demo's people, plus one person per role who owns none of it.

The outsiders hold every role of ``accounts.models.Role``; PTj-scoped roles sit in a PTj of
their own and the committee secretary on a committee none of the demo's proposals goes to, so
whatever they reach of the demo's records they reach through their role alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import PTJ_SCOPED_ROLES, Committee, PTj, Role, User
from tests.factories import user_with_role

OUTSIDER_PTJ = "FMTX"


@dataclass
class World:
    """The records the matrix fills URL arguments with, by name (see ``matrix.ARGS``)."""

    people: dict[str, User]  # role value -> an outsider holding only that role
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def build_world() -> World:
    from core.demo import demo_seed
    from courses.choices import ProposalStatus
    from courses.models import AgendaItem, Meeting, Proposal
    from credentials.models import Credential, IssuanceBatch, StatusList
    from enrolment.models import Enrolment, Offering
    from enrolment.services import grade_import_upload
    from transfer.models import AgeException, Application, ApplicationLine, PriorCredential
    from transfer.services.apel import age_exception_grant

    demo_seed()
    own = PTj.objects.create(code=OUTSIDER_PTJ, name="Faculty of Matrix Outsiders")
    people: dict[str, User] = {}
    for role in Role:
        scope: dict[str, Any] = {}
        if role in PTJ_SCOPED_ROLES:
            scope["ptj"] = own
        if role == Role.COMMITTEE_SECRETARY:
            scope["committee"] = Committee.JPPEU
        people[str(role)] = user_with_role(role, email=f"matrix.{role}@example.test", **scope)

    offering = Offering.objects.order_by("pk").first()
    assert offering is not None
    teacher = offering.instructors.first()
    upload = grade_import_upload(
        actor=teacher,
        offering=offering,
        file_name="grades.csv",
        content=b"First name,Last name,Email address,Quiz: Week 1 (Real)\nNur,Aisyah,nur@example.test,5\n",
    )
    application = Application.objects.order_by("pk").first()
    assert application is not None
    exception = AgeException.objects.first()
    if exception is None:
        from core.demo import DEMO_DOMAIN

        dean = User.objects.get(email=f"dean@{DEMO_DOMAIN}")
        exception = age_exception_grant(
            actor=dean,
            learner_id=application.learner_id,
            programme_id=application.programme_id,
            reason="Sixteen years in industry, assessed by APEL.C in person.",
        )
    # Someone else's authenticator (the demo CFLEX administrator's), for the admin's device pages.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.demo import DEMO_DOMAIN as demo_domain

    TOTPDevice.objects.create(user=User.objects.get(email=f"cflex.admin@{demo_domain}"), name="phone", confirmed=True)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enrolment.services.names import name_change_request

    name_change = name_change_request(
        actor=User.objects.get(email=f"learner@{demo_domain}"),
        new_name="Ahmad Danial Bin Kamaruddin",
        reason="My identity card was re-issued with my full name.",
        evidence=SimpleUploadedFile("ic.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"),
    )
    # A ZIP of the batch still being built (the task is queued only after a commit that never
    # comes here), asked for by the demo's CFLEX administrator.
    from credentials.services.bulk import bulk_download_request

    bulk_download = bulk_download_request(
        actor=User.objects.get(email=f"cflex.admin@{demo_domain}"),
        batch_id=IssuanceBatch.objects.order_by("pk").values_list("pk", flat=True)[0],
    )
    credential = Credential.objects.order_by("pk").first()
    assert credential is not None
    from credentials.services.transcripts import transcript_create

    transcript = transcript_create(actor=credential.learner, credential_ids=[credential.pk], title="My transcript")
    status_list = StatusList.objects.order_by("pk").first()
    objects = {
        # A proposal in the workflow (submitted to its Head of PTj) and the course made ready.
        "proposal": Proposal.objects.filter(status=ProposalStatus.SUBMITTED).order_by("pk").first(),
        "proposal_ready": Proposal.objects.filter(status=ProposalStatus.READY_TO_OFFER).order_by("pk").first(),
        "meeting": Meeting.objects.order_by("pk").first(),
        "agenda_item": AgendaItem.objects.order_by("pk").first(),
        "offering": offering,
        "enrolment": Enrolment.objects.order_by("pk").first(),
        "grade_import": upload,
        "credential": credential,
        "batch": IssuanceBatch.objects.order_by("pk").first(),
        "status_list": status_list,
        "prior_credential": PriorCredential.objects.order_by("pk").first(),
        "application": application,
        "line": ApplicationLine.objects.filter(application=application).order_by("pk").first(),
        "age_exception": exception,
        "name_change": name_change,
        "bulk_download": bulk_download,
        "transcript": transcript,
        "learner": User.objects.get(email__startswith="learner@"),
        "superuser": User.objects.create_superuser(email="matrix.superuser@example.test", full_name="Super User"),
    }
    missing = [name for name, value in objects.items() if value is None]
    assert not missing, f"the demo no longer makes {missing}; build them in tests/security/world.py"
    return World(people=people, objects=objects)

"""The pages every browser check visits: (id, path, who is logged in, language).

Paths may name demo records in braces (``{offering}``), looked up when the page is opened: the
demo data (core.demo) has one course ready to offer with an open offering, one proposal waiting
for its Head of PTj, one draft, and the committee and Senate meetings that approved the first."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import log_in, use_language


class Visit(NamedTuple):
    path: str
    email: str | None = None
    language: str = "en"


VISITS = {
    "landing": Visit("/"),
    "login": Visit("/accounts/login/"),
    "register": Visit("/accounts/register/"),
    "password-reset": Visit("/accounts/password-reset/"),
    "home-cflex-admin": Visit("/", email="cflex.admin@demo.unimas.my"),
    "home-learner": Visit("/", email="learner@demo.unimas.my"),
    "landing-ms": Visit("/", language="ms"),
    "login-ms": Visit("/accounts/login/", language="ms"),
    # Course design and the approval workflow
    "proposals": Visit("/proposals/", email="developer@demo.unimas.my"),
    "proposal-editor": Visit("/proposals/{draft}/", email="developer@demo.unimas.my"),
    "proposal-new": Visit("/proposals/new/", email="developer@demo.unimas.my"),
    "queue-head": Visit("/proposals/queue/", email="head.mqa@demo.unimas.my"),
    "review-head": Visit("/proposals/{submitted}/review/", email="head.mqa@demo.unimas.my"),
    "review-ready-ms": Visit("/proposals/{ready}/review/", email="cflex.reviewer@demo.unimas.my", language="ms"),
    "board": Visit("/proposals/board/", email="cflex.reviewer@demo.unimas.my"),
    "meetings": Visit("/proposals/meetings/", email="jtsppa.secretary@demo.unimas.my"),
    "meeting": Visit("/proposals/meetings/{meeting}/", email="jtsppa.secretary@demo.unimas.my"),
    # Catalogue, enrolment, gradebook, results
    "catalogue": Visit("/catalogue/"),
    "catalogue-ms": Visit("/catalogue/", language="ms"),
    "course-page": Visit("/catalogue/{offering}/"),
    "my-learning": Visit("/learning/", email="learner@demo.unimas.my"),
    "learner-profile": Visit("/learning/profile/", email="learner@demo.unimas.my"),
    "teaching": Visit("/teaching/", email="instructor@demo.unimas.my"),
    "gradebook": Visit("/teaching/{offering}/", email="instructor@demo.unimas.my"),
    "results-queue": Visit("/results/", email="senate.secretary@demo.unimas.my"),
    "offerings": Visit("/offerings/", email="cflex.admin@demo.unimas.my"),
    "offering-roster": Visit("/offerings/{offering}/", email="cflex.admin@demo.unimas.my"),
    # Reports (issue 8)
    "reports": Visit("/reports/", email="dean@demo.unimas.my"),
    "report-pipeline": Visit("/reports/pipeline/", email="cflex.reviewer@demo.unimas.my"),
    "report-delivery": Visit("/reports/delivery/", email="cflex.admin@demo.unimas.my"),
    "report-experience-ms": Visit("/reports/experience/", email="instructor@demo.unimas.my", language="ms"),
    "report-credentials": Visit("/reports/credentials/", email="cflex.admin@demo.unimas.my"),
    "report-transfer": Visit("/reports/transfer/", email="dean@demo.unimas.my"),
    "report-register": Visit("/reports/register/", email="bjka@demo.unimas.my"),
    # Credentials
    "verify": Visit("/verify/{credential}/"),
    "verify-ms": Visit("/verify/{credential}/", language="ms"),
    "verify-lookup": Visit("/verify/"),
    "issuer": Visit("/issuer/"),
    "issuer-ms": Visit("/issuer/", language="ms"),
    "wallet": Visit("/credentials/", email="learner@demo.unimas.my"),
    "transcripts": Visit("/credentials/transcripts/", email="learner@demo.unimas.my"),
    "transcript": Visit("/transcripts/{transcript}/"),
    "transcript-ms": Visit("/transcripts/{transcript}/", language="ms"),
    "credential-batches": Visit("/cflex/credentials/", email="cflex.admin@demo.unimas.my"),
    "credential-batch": Visit("/cflex/credentials/batch/{batch}/", email="cflex.admin@demo.unimas.my"),
    "credential-manage": Visit("/cflex/credentials/{credential}/", email="cflex.admin@demo.unimas.my"),
    # Credit transfer and APEL
    "transfer-home": Visit("/transfer/", email="learner@demo.unimas.my"),
    "transfer-check": Visit("/transfer/check/?programme={sk29}", email="learner@demo.unimas.my"),
    "transfer-check-ms": Visit("/transfer/check/?programme={sk29}", email="learner@demo.unimas.my", language="ms"),
    "transfer-credential-add": Visit("/transfer/credentials/add/", email="learner@demo.unimas.my"),
    "transfer-programmes": Visit("/transfer/programmes/"),
    "transfer-queue": Visit("/transfer/queue/", email="coordinator@demo.unimas.my"),
    "transfer-application": Visit("/transfer/applications/{transfer_application}/", email="coordinator@demo.unimas.my"),
    "transfer-application-learner": Visit(
        "/transfer/applications/{transfer_application}/", email="learner@demo.unimas.my"
    ),
}

visits = pytest.mark.parametrize("visit", list(VISITS.values()), ids=list(VISITS))


def demo_ids() -> dict[str, int | str]:
    from courses.choices import ProposalStatus
    from courses.models import Meeting, Programme, Proposal
    from credentials.models import Credential
    from enrolment.models import Offering
    from transfer.models import Application

    status = dict(Proposal.objects.values_list("status", "pk"))
    return {
        "ready": status[ProposalStatus.READY_TO_OFFER],
        "submitted": status[ProposalStatus.SUBMITTED],
        "draft": status[ProposalStatus.DRAFT],
        "offering": Offering.objects.order_by("-starts_on").values_list("pk", flat=True)[0],  # the open one
        "meeting": Meeting.objects.exclude(body="SENATE").get().pk,
        "sk29": Programme.objects.get(code="SK29").pk,
        "credential": str(Credential.objects.values_list("verification_id", flat=True)[0]),
        "batch": Credential.objects.values_list("request__batch_id", flat=True)[0],
        "transfer_application": Application.objects.order_by("pk").values_list("pk", flat=True).first() or 0,
        "transcript": _transcript_token(),
    }


def _transcript_token() -> str:
    """The demo learner's shared transcript (issue 16), signed through the service once."""
    from credentials.models import Credential, CredentialStatus, Transcript
    from credentials.services import transcript_create

    token = Transcript.objects.values_list("share_token", flat=True).first()
    if token:
        return token
    credential = Credential.objects.filter(
        learner__email="learner@demo.unimas.my", status=CredentialStatus.ACTIVE
    ).first()
    if credential is None:
        return "none"
    return transcript_create(actor=credential.learner, credential_ids=[credential.pk]).share_token


def open_visit(page: Page, context: BrowserContext, live_server_url: str, visit: Visit) -> None:
    if visit.email:
        # A signed-in person sees their own language (issue 17), whatever the cookie says.
        from accounts.models import User

        User.objects.filter(email=visit.email).update(preferred_language=visit.language)
        log_in(page, visit.email)
    if visit.language != "en":
        use_language(context, visit.language, live_server_url)
    response = page.goto(visit.path.format(**demo_ids()) if "{" in visit.path else visit.path)
    assert response is not None and response.status == 200, f"{visit.path}: {response and response.status}"
    assert page.locator("html").get_attribute("lang") == visit.language

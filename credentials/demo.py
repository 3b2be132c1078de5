"""Demo: the demo learner's credential is issued and rendered, through the services, once Senate
approval of their completed offering (enrolment.demo) has asked for it. A step of ``core.demo``.
Idempotent."""

from __future__ import annotations

from core.demo import DemoRun, demo_step
from credentials.models import Credential, IssuanceRequest
from credentials.services import credential_issue, credential_render, verification_url


@demo_step(40)
def demo_credentials(run: DemoRun) -> None:
    learner = run.users["learner"]
    if run.proposals and not Credential.objects.filter(learner=learner).exists():
        for request in IssuanceRequest.objects.filter(learner=learner).order_by("pk"):
            credential = credential_issue(request_id=request.pk)
            credential_render(credential_id=credential.pk)
    for credential in Credential.objects.filter(learner=learner).order_by("pk")[:3]:
        run.notes.append(f"Demo credential {credential.serial}: {verification_url(str(credential.verification_id))}")

"""A demo offering of the demo course that is ready to offer, open for enrolment now.

Idempotent: a course that has an offering gets no second one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from courses.choices import ProposalStatus
from courses.models import Proposal
from enrolment.choices import Platform
from enrolment.models import Offering
from enrolment.services import offering_create


def demo_offerings(users: dict[str, User]) -> list[Offering]:
    made = []
    today = timezone.localdate()
    for proposal in Proposal.objects.filter(status=ProposalStatus.READY_TO_OFFER).order_by("code"):
        if Offering.objects.filter(proposal=proposal).exists():
            continue
        made.append(
            offering_create(
                actor=users["cflex.admin"],
                proposal_id=proposal.pk,
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

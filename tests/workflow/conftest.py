"""People for every actor of the table, and a walker that takes a proposal along the happy path
through the services (the same doors a user uses)."""

from __future__ import annotations

import dataclasses
from datetime import date
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from accounts.models import Committee, Role
from courses.choices import Decision, MeetingBody, ProposalKind, ProposalStatus
from courses.models import AgendaItem, Proposal
from courses.services import (
    agenda_add,
    agenda_decide,
    meeting_create,
    proposal_create,
    proposal_sme_appoint,
    proposal_submit,
    proposal_transition,
)
from tests.courses.conftest import developer, make_ready, other_developer, records  # noqa: F401
from tests.factories import PTjFactory, user_with_role


@pytest.fixture
def ptj(db):
    return PTjFactory(code="FCSIT", name="Faculty of Computer Science and Information Technology")


@pytest.fixture
def other_ptj(db):
    return PTjFactory(code="FENG", name="Faculty of Engineering")


@pytest.fixture
def people(ptj, other_ptj, developer, other_developer):  # noqa: F811
    return SimpleNamespace(
        developer=developer,
        other_developer=other_developer,
        head_mqa=user_with_role(Role.HEAD_OF_PTJ_MQA, ptj=ptj, full_name="Head MQA"),
        head_nonmqa=user_with_role(Role.HEAD_OF_PTJ_NON_MQA, ptj=ptj, full_name="Head non-MQA"),
        head_mqa_other=user_with_role(Role.HEAD_OF_PTJ_MQA, ptj=other_ptj, full_name="Head MQA elsewhere"),
        head_nonmqa_other=user_with_role(Role.HEAD_OF_PTJ_NON_MQA, ptj=other_ptj, full_name="Head non-MQA elsewhere"),
        cflex=user_with_role(Role.CFLEX_REVIEWER, full_name="CFLEX reviewer"),
        cflex_admin=user_with_role(Role.CFLEX_ADMIN, full_name="CFLEX admin"),
        sme=user_with_role(Role.SME, full_name="Appointed SME"),
        other_sme=user_with_role(Role.SME, full_name="Other SME"),
        jtsppa=user_with_role(Role.COMMITTEE_SECRETARY, committee=Committee.JTSPPA, full_name="JTSPPA secretary"),
        jtsps=user_with_role(Role.COMMITTEE_SECRETARY, committee=Committee.JTSPS, full_name="JTSPS secretary"),
        jppeu=user_with_role(Role.COMMITTEE_SECRETARY, committee=Committee.JPPEU, full_name="JPPEU secretary"),
        senate=user_with_role(Role.SENATE_SECRETARY, full_name="Senate secretary"),
        bjka=user_with_role(Role.BJKA_OFFICER, full_name="BJKA officer"),
    )


def secretary_for(people, proposal: Proposal):
    return {"JTSPPA": people.jtsppa, "JTSPS": people.jtsps, "JPPEU": people.jppeu}[proposal.committee]


def head_for(people, proposal: Proposal):
    return people.head_mqa if proposal.kind in (ProposalKind.CAT1_WHOLE, ProposalKind.CAT1_PART) else people.head_nonmqa


def fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


class Walker:
    """Moves a proposal one happy step at a time, each step by the right person."""

    def __init__(self, people):
        self.p = people

    def add_to_agenda(self, proposal: Proposal) -> AgendaItem:
        proposal = fresh(proposal)
        senate = proposal.status == ProposalStatus.COMMITTEE_APPROVED
        body = MeetingBody.SENATE if senate else proposal.committee
        keeper = self.p.senate if senate else secretary_for(self.p, proposal)
        meeting = meeting_create(actor=keeper, body=body, date=date(2026, 12, 1))
        return agenda_add(actor=self.p.cflex, meeting=meeting, proposal=proposal)

    def pending_item(self, proposal: Proposal) -> AgendaItem:
        return AgendaItem.objects.get(proposal=proposal, decision="")

    def step(self, proposal: Proposal) -> Proposal:
        p, s = self.p, fresh(proposal).status
        proposal = fresh(proposal)
        if s == ProposalStatus.DRAFT:
            proposal_submit(actor=p.developer, proposal=proposal)
        elif s == ProposalStatus.SUBMITTED:
            proposal_transition(actor=head_for(p, proposal), proposal=proposal, action="head_approve")
        elif s == ProposalStatus.HEAD_APPROVED:
            proposal_transition(actor=p.cflex, proposal=proposal, action="cflex_approve")
            proposal_sme_appoint(actor=p.cflex, proposal=fresh(proposal), sme=p.sme, expected_sme_id=None)
        elif s in (
            ProposalStatus.CFLEX_APPROVED,
            ProposalStatus.TABLE4_APPROVED,
            ProposalStatus.CONTENT_DEVELOPED,
            ProposalStatus.VIDEO_MATERIALS,
            ProposalStatus.PROMO_VIDEO,
        ):
            if proposal.milestone_done_at is None:
                proposal_transition(actor=p.developer, proposal=proposal, action="milestone_done")
            proposal_transition(actor=p.cflex, proposal=fresh(proposal), action="milestone_confirm")
        elif s == ProposalStatus.UPLOADED:
            proposal_transition(actor=p.sme, proposal=proposal, action="sme_approve")
        elif s in (ProposalStatus.SME_VETTED,):
            self.add_to_agenda(proposal)
        elif s in (ProposalStatus.PRESENTED, ProposalStatus.COMMITTEE_APPROVED):
            if not AgendaItem.objects.filter(proposal=proposal, decision="").exists():
                self.add_to_agenda(proposal)
            item = self.pending_item(proposal)
            keeper = p.senate if s == ProposalStatus.COMMITTEE_APPROVED else secretary_for(p, proposal)
            agenda_decide(actor=keeper, item=item, decision=Decision.APPROVED, minute_reference="M1/2026")
        elif s == ProposalStatus.SENATE_APPROVED:
            if (
                proposal.kind in (ProposalKind.CAT1_WHOLE, ProposalKind.CAT1_PART)
                and not proposal.registrations.filter(kind="mqa").exists()
            ):
                proposal_transition(
                    actor=p.bjka, proposal=proposal, action="record_mqa_registration", reference="MQA/1"
                )
            else:
                proposal_transition(
                    actor=p.cflex, proposal=proposal, action="record_unimas_registration", reference="UNIMAS/1"
                )
        else:
            raise AssertionError(f"no happy step from {s}")
        return fresh(proposal)

    def to(self, proposal: Proposal, state: str) -> Proposal:
        for _ in range(40):
            if fresh(proposal).status == state:
                return fresh(proposal)
            proposal = self.step(proposal)
        raise AssertionError(f"never reached {state}")


@pytest.fixture
def walker(people):
    return Walker(people)


CSV = b"respondent,answer\n1,yes\n2,no\n"


@pytest.fixture
def new_proposal(make_ready, developer, settings, tmp_path):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.services import market_survey_attach

    settings.MEDIA_ROOT = tmp_path / "private-media"

    counter = {"n": 0}

    def make(kind=ProposalKind.CAT1_WHOLE, **overrides):
        counter["n"] += 1
        n = counter["n"]
        title = f"Micro-Credential in Computing Topic {n}"
        code = {
            ProposalKind.CAT1_WHOLE: f"TMUI23{n}MC" if n > 1 else "TMUI233MC",
            ProposalKind.CAT3_SAMC: f"MC{n:03d}",
            ProposalKind.CAT3_QVC: f"MCV{n:03d}",
            ProposalKind.CAT1_PART: f"TMN4031MC{chr(64 + n)}",
        }[kind]
        data = make_ready(kind, title=title, code=code)
        data = dataclasses.replace(data, **overrides)
        proposal = proposal_create(actor=developer, data=data)
        if kind in (ProposalKind.CAT3_SAMC, ProposalKind.CAT3_QVC):
            market_survey_attach(actor=developer, proposal=proposal, upload=SimpleUploadedFile("survey.csv", CSV))
        return fresh(proposal)

    return make


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for

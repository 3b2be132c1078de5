"""The approval pipeline against hand-worked proposals (DOMAIN R-QA-2, R-WF-1, R-WF-3, R-WF-4):
counts by step and PTj, returns by step, overdue items, time in each step and days from
submission to Senate approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEvent
from courses.models import Proposal
from courses.services.workflow import proposal_transition
from policy.api import workflow_plan
from reports.policies import NO_VALUE as N
from reports.policies import Filters
from reports.selectors import pipeline
from tests.reports.conftest import head_of, proposal_in

pytestmark = pytest.mark.django_db

EVERYTHING = Filters(everything=True)


@pytest.fixture
def proposals(fcsit, feng):
    draft = proposal_in(fcsit, submit=False)
    waiting = proposal_in(fcsit)
    returned = proposal_in(fcsit)
    proposal_transition(actor=head_of(fcsit), proposal=returned, action="return", comment="Align CLO2.")
    other = proposal_in(feng)
    # Nine days in "submitted" (suggested: 7), as the workflow tests do it: the row, not the trail.
    Proposal.objects.filter(pk=waiting.pk).update(state_entered_at=timezone.now() - timedelta(days=9))
    return draft, waiting, returned, other


def test_proposals_by_step_and_ptj(proposals):
    table = pipeline.by_state(EVERYTHING)
    assert table.header == ["Step", "FCSIT", "FENG", "Total"]
    counts = {row[0]: row[1:] for row in table.text_rows()}
    assert counts["Draft"] == ["1", "0", "1"]
    assert counts["Submitted"] == ["1", "1", "2"]
    assert counts["Returned for revision"] == ["1", "0", "1"]
    assert counts["Ready to offer"] == ["0", "0", "0"]
    assert counts["All steps"] == ["3", "1", "4"]


def test_returns_by_step_and_overdue_items(proposals):
    # DOMAIN R-WF-3: one return, by the Head of PTj at "submitted"; R-WF-4: 9 days > 7 suggested
    _, waiting, _, _ = proposals
    assert pipeline.returns(EVERYTHING).text_rows() == [["Submitted", "1"], ["All steps", "1"]]
    plan = workflow_plan()
    assert pipeline.overdue(EVERYTHING, plan).text_rows() == [
        [waiting.code, waiting.title, "FCSIT", "Submitted", "9", "7"]
    ]
    now = {row[0]: row[6:] for row in pipeline.time_in_step(EVERYTHING, plan).text_rows()}
    assert now["Submitted"] == ["2", "1"]  # in the step now, overdue now
    assert now["Returned for revision"] == ["1", "0"]


def test_a_dean_sees_only_their_ptj(proposals, feng):
    # DOMAIN R-QA-2
    table = pipeline.by_state(Filters(ptj_ids=frozenset({feng.pk})))
    assert table.header == ["Step", "FENG", "Total"]
    assert pipeline.returns(Filters(ptj_ids=frozenset({feng.pk}))).text_rows() == []
    assert pipeline.overdue(Filters(ptj_ids=frozenset({feng.pk})), workflow_plan()).text_rows() == []


def _history(proposal, *steps):
    """The audit trail is append-only (decision 0003) and cannot be backdated, so weeks of
    history are appended as the events the workflow writes: (days ago, action, from, to)."""
    kind = ContentType.objects.get_for_model(Proposal)
    now = timezone.now()
    for ago, action, source, target in steps:
        AuditEvent.objects.create(
            content_type=kind,
            object_id=str(proposal.pk),
            object_repr=str(proposal),
            action=f"proposal.{action}",
            from_state=source,
            to_state=target,
            created_at=now - timedelta(days=ago),
        )


def test_time_in_each_step_from_the_audit_trail(fcsit):
    # DOMAIN R-WF-4, R-WF-5: submitted 3 days; head-approved 8 then 1 day (8 > 7 suggested);
    # returned 2 days; a milestone marked done is no state change.
    proposal = proposal_in(fcsit, submit=False)
    _history(
        proposal,
        (40, "submit", "draft", "submitted"),
        (37, "head_approve", "submitted", "head_approved"),
        (29, "return", "head_approved", "returned"),
        (27, "resubmit", "returned", "head_approved"),
        (26, "cflex_approve", "head_approved", "cflex_approved"),
        (20, "milestone_done", "cflex_approved", "cflex_approved"),
    )
    only = Filters(everything=True, course_id=proposal.pk)
    rows = {r[0]: r[1:6] for r in pipeline.time_in_step(only, workflow_plan()).text_rows()}
    assert rows["Submitted"] == ["7", "1", "3.0", "3.0", "0"]
    assert rows["Approved by Head of PTj"] == ["7", "2", "4.5", "8.0", "1"]
    assert rows["Returned for revision"] == ["14", "1", "2.0", "2.0", "0"]
    assert rows["Approved by CFLEX (development starts)"] == ["14", "0", N, N, "0"]
    assert pipeline.returns(only).text_rows() == [["Approved by Head of PTj", "1"], ["All steps", "1"]]
    # Only stays that ended in the date range: the return's 2 days and the last 1 day.
    later = Filters(everything=True, course_id=proposal.pk, date_from=timezone.localdate() - timedelta(days=28))
    rows = {r[0]: r[1:6] for r in pipeline.time_in_step(later, workflow_plan()).text_rows()}
    assert rows["Submitted"][1] == "0"
    assert rows["Approved by Head of PTj"] == ["7", "1", "1.0", "1.0", "0"]
    assert rows["Returned for revision"] == ["14", "1", "2.0", "2.0", "0"]


def test_median_days_from_submission_to_senate(fcsit, feng):
    # DOMAIN R-QA-2: 30, 45 and 90 days -> median 45, average 55
    for submitted, senate, ptj in ((90, 60, fcsit), (85, 40, fcsit), (100, 10, feng)):
        _history(
            proposal_in(ptj, submit=False),
            (submitted, "submit", "draft", "submitted"),
            (senate, "senate_approve", "committee_approved", "senate_approved"),
        )
    assert pipeline.to_senate(EVERYTHING).text_rows() == [["3", "45.0", "55.0", "30.0", "90.0"]]
    recent = Filters(everything=True, date_from=timezone.localdate() - timedelta(days=50))
    assert pipeline.to_senate(recent).text_rows() == [["2", "67.5", "67.5", "45.0", "90.0"]]
    assert pipeline.to_senate(Filters(ptj_ids=frozenset({fcsit.pk}))).text_rows() == [
        ["2", "37.5", "37.5", "30.0", "45.0"]
    ]

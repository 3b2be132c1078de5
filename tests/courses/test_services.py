"""The proposal services, with the database: drafts save incomplete, input that can never be right
is refused with every problem named, submission re-runs the rules, and only authors write."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from accounts.models import Role
from audit.models import AuditEvent
from core.errors import ApplicationError, ErrorKind
from courses.choices import ProposalKind, ProposalStatus
from courses.models import Proposal, ProposalVersion, ProposalVersionError, Table4Line
from courses.policies import LineData, ProposalData, UnitData, proposal_readiness
from courses.selectors import proposal_data, proposal_snapshot
from courses.services import (
    ProposalInputError,
    proposal_create,
    proposal_delete,
    proposal_submit,
    proposal_update,
)
from policy.api import policy_in_force
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
D = Decimal


def codes(exc: ProposalInputError) -> list[str]:
    return [p.code for p in exc.problems]


def test_a_draft_saves_without_passing_the_rules(developer, records):
    # "Drafts save without passing the rules"
    proposal = proposal_create(
        actor=developer,
        data=ProposalData(
            kind=ProposalKind.CAT1_WHOLE,
            title="IoT",  # breaks R-NM-1
            origin_programme_id=records.bachelor.pk,
            origin_course_id=records.tmui.pk,
        ),
    )
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.code == "TMUI233MC"  # DOMAIN R-NM-2: suggested from the origin
    problems = proposal_readiness(proposal_snapshot(proposal), policy_in_force())
    assert {"title_prefix", "field_required", "clos_required", "table4_empty"} <= {p.code for p in problems}
    event = AuditEvent.objects.for_object(proposal).get()
    assert event.action == "proposal.create" and event.actor == developer


def test_a_complete_proposal_round_trips(developer, make_ready):
    data = make_ready()
    proposal = proposal_create(actor=developer, data=data)
    saved = proposal_data(Proposal.objects.get(pk=proposal.pk))
    assert saved == dataclasses.replace(data, code="TMUI233MC")
    assert proposal_readiness(proposal_snapshot(proposal), policy_in_force()) == []


def test_update_saves_the_design_and_records_what_changed(developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    data = proposal_data(proposal)
    units = (UnitData("Only unit", (LineData("slide", 20, D(7)),)), *data.units[1:])
    proposal_update(actor=developer, proposal=proposal, data=dataclasses.replace(data, units=units, synopsis="New"))
    line = Table4Line.objects.get(unit__proposal=proposal, unit__position=0)
    assert (line.activity, line.quantity, line.rate_minutes) == ("slide", 20, D(7))
    event = AuditEvent.objects.for_object(proposal).filter(action="proposal.update").get()
    assert event.data["changed"] == ["synopsis", "units"]


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        ((UnitData("W1", (LineData("slide", -3, D(7)),)),), ["slt_quantity_out_of_range"]),  # DOMAIN R-SLT-2
        ((UnitData("W1", (LineData("slide", 10**9, D(7)),)),), ["slt_quantity_out_of_range"]),
        ((UnitData("W1", (LineData("slide", 20, D(0)),)),), ["slt_rate_out_of_range"]),  # DOMAIN R-SLT-2
        (
            (UnitData("W1", (LineData("slide", 0, D(11)), LineData("dance", 1, D(1)))),),
            ["slt_quantity_out_of_range", "slt_activity_unknown"],
        ),
    ],
)
def test_impossible_lines_are_refused_and_nothing_is_saved(developer, make_ready, units, expected):
    proposal = proposal_create(actor=developer, data=make_ready())
    before = proposal_data(proposal)
    with pytest.raises(ProposalInputError) as refused:
        units = (*units, *before.units[1:])
        proposal_update(actor=developer, proposal=proposal, data=dataclasses.replace(before, units=units))
    assert codes(refused.value) == expected
    assert refused.value.status == 400
    assert refused.value.field.startswith("units[0].lines[0].")
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before


def test_a_draft_keeps_an_out_of_range_rate_and_readiness_blocks_submission(developer, make_ready):
    # DOMAIN R-SLT-2 (issue 17): drafts save with rules unmet; the rate shows as a problem.
    proposal = proposal_create(actor=developer, data=make_ready())
    before = proposal_data(proposal)
    units = (UnitData("W1", (LineData("slide", 20, D(11)),)), *before.units[1:])
    proposal_update(actor=developer, proposal=proposal, data=dataclasses.replace(before, units=units))
    saved = proposal_data(Proposal.objects.get(pk=proposal.pk))
    assert saved.units[0].lines[0].rate_minutes == D(11)
    problems = proposal_readiness(proposal_snapshot(Proposal.objects.get(pk=proposal.pk)), policy_in_force())
    assert "slt_rate_out_of_range" in {p.code for p in problems if p.blocking}


def test_a_foundation_origin_is_refused(developer, records):
    # DOMAIN R-CAT-5
    data = ProposalData(
        kind=ProposalKind.CAT1_WHOLE,
        origin_programme_id=records.foundation.pk,
        origin_course_id=records.maths.pk,
    )
    with pytest.raises(ProposalInputError) as refused:
        proposal_create(actor=developer, data=data)
    assert codes(refused.value) == ["origin_foundation"]
    assert refused.value.field == "origin_programme"
    assert not Proposal.objects.exists()


def test_the_origin_course_must_belong_to_the_programme(developer, records):
    # DOMAIN R-CAT-1
    data = ProposalData(
        kind=ProposalKind.CAT1_WHOLE, origin_programme_id=records.diploma.pk, origin_course_id=records.iot.pk
    )
    with pytest.raises(ProposalInputError) as refused:
        proposal_create(actor=developer, data=data)
    assert codes(refused.value) == ["origin_course_not_in_programme"]


def test_a_qualification_name_is_refused_as_title(developer, records):
    # DOMAIN R-NM-1
    with pytest.raises(ProposalInputError) as refused:
        proposal_create(
            actor=developer,
            data=ProposalData(kind=ProposalKind.CAT3_SAMC, title="Micro-Credential in Diploma in Computer Science"),
        )
    assert codes(refused.value) == ["title_is_qualification"]


def test_codes_are_unique_whatever_their_case(developer, make_ready):
    # DOMAIN R-NM-2
    proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_SAMC, code="MC007"))
    with pytest.raises(ProposalInputError) as refused:
        proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_SAMC, code="mc007"))
    assert codes(refused.value) == ["code_taken"]
    assert refused.value.field == "code"


def test_suggested_codes_follow_the_series(developer, make_ready):
    # DOMAIN R-NM-2, R-NM-3
    first = proposal_create(actor=developer, data=make_ready(ProposalKind.CAT1_PART, title="Micro-Credential in A"))
    second = proposal_create(actor=developer, data=make_ready(ProposalKind.CAT1_PART, title="Micro-Credential in B"))
    samc = proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_SAMC))
    qvc = proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_QVC))
    assert [first.code, second.code, samc.code, qvc.code] == ["TMN4031MCA", "TMN4031MCB", "MC001", "MCV001"]
    # Two 1-credit parts of a 3-credit course: a warning, not a refusal (R-NM-3).
    problems = proposal_readiness(proposal_snapshot(second), policy_in_force())
    mismatch = [p for p in problems if p.code == "parts_credits_mismatch"]
    assert mismatch and not mismatch[0].blocking and "2 of its 3" in mismatch[0].message


def test_a_standalone_mc_keeps_no_accredited_origin(developer, make_ready, records):
    # DOMAIN R-AF-2
    data = make_ready(ProposalKind.CAT3_SAMC, origin_programme_id=records.bachelor.pk, origin_course_id=records.tmui.pk)
    proposal = proposal_create(actor=developer, data=data)
    assert proposal.origin_course is None and proposal.origin_programme is None


def test_retakes_are_for_quizzes_only(developer, make_ready):
    # DOMAIN R-AS-4
    data = make_ready()
    components = (dataclasses.replace(data.components[2], retake_allowed=True), *data.components[:2])
    with pytest.raises(ProposalInputError) as refused:
        proposal_create(actor=developer, data=dataclasses.replace(data, components=components))
    assert codes(refused.value) == ["assessment_retake_not_quiz"]
    assert refused.value.field == "components[0].retake_allowed"


def test_lecturers_are_staff_and_co_developers_are_developers(developer, make_ready, ptj):
    learner = user_with_role(Role.LEARNER)
    with pytest.raises(ProposalInputError) as refused:
        proposal_create(actor=developer, data=make_ready(lecturer_ids=(learner.pk,), co_developer_ids=(learner.pk,)))
    assert codes(refused.value) == ["lecturer_unknown", "co_developer_unknown"]


def test_submit_refuses_with_the_list_of_unmet_rules(developer, make_ready):
    # The server runs proposal_readiness again: the same list as the page.
    data = make_ready()
    proposal = proposal_create(
        actor=developer, data=dataclasses.replace(data, components=data.components[:2], justification="")
    )
    with pytest.raises(ApplicationError) as refused:
        proposal_submit(actor=developer, proposal=proposal)
    assert refused.value.code == "proposal_not_ready"
    assert refused.value.rule == "R-AF-1" and "R-" not in refused.value.message  # words only (issue 17)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert not ProposalVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="proposal.submit").exists()


def test_submit_records_an_immutable_version_and_an_audit_event(developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    version = proposal_submit(actor=developer, proposal=proposal)
    proposal.refresh_from_db()
    policy = policy_in_force()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.policy_version_id == policy.id and proposal.submitted_at is not None
    assert (version.number, version.policy_version_id, version.submitted_by) == (1, policy.id, developer)
    snapshot = version.snapshot
    assert snapshot["code"] == "TMUI233MC" and snapshot["origin_course"]["code"] == "TMUI233"
    assert snapshot["slt"]["total_minutes"] == "6620.00" and snapshot["slt"]["credit_value"] == "2.8"
    assert snapshot["lecturers"] == [{"id": developer.pk, "name": developer.full_name, "email": developer.email}]
    assert len(snapshot["units"][0]["lines"]) == 4
    event = AuditEvent.objects.get(action="proposal.submit")
    assert (event.from_state, event.to_state, event.data["version"]) == ("draft", "submitted", 1)
    with pytest.raises(ProposalVersionError):
        version.save()
    with pytest.raises(ProposalVersionError):
        version.delete()


def test_a_submitted_proposal_is_no_longer_changed(developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    proposal_submit(actor=developer, proposal=proposal)
    for call in (
        lambda: proposal_update(actor=developer, proposal=proposal, data=make_ready(synopsis="Later")),
        lambda: proposal_submit(actor=developer, proposal=proposal),
        lambda: proposal_delete(actor=developer, proposal=proposal),
    ):
        with pytest.raises(ApplicationError) as refused:
            call()
        assert (refused.value.code, refused.value.kind) == ("proposal_not_draft", ErrorKind.CONFLICT)


def test_someone_elses_proposal_is_not_found(developer, other_developer, make_ready):
    # STYLE: other people's records are 404, not 403.
    proposal = proposal_create(actor=developer, data=make_ready())
    before = proposal_data(proposal)
    for call in (
        lambda: proposal_update(actor=other_developer, proposal=proposal, data=make_ready(synopsis="Mine now")),
        lambda: proposal_submit(actor=other_developer, proposal=proposal),
        lambda: proposal_delete(actor=other_developer, proposal=proposal),
    ):
        with pytest.raises(ApplicationError) as refused:
            call()
        assert (refused.value.code, refused.value.status) == ("proposal_not_found", 404)
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before


def test_co_developers_may_edit_and_submit(developer, other_developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready(co_developer_ids=(other_developer.pk,)))
    proposal_update(
        actor=other_developer,
        proposal=proposal,
        data=make_ready(code="TMUI233MC", co_developer_ids=(other_developer.pk,), fee=D("0")),
    )
    assert proposal_submit(actor=other_developer, proposal=proposal).submitted_by == other_developer
    # Only the owner deletes; co-developers cannot (a submitted one nobody can).


def test_a_co_developers_later_save_is_not_overwritten_by_a_stale_draft(developer, other_developer, make_ready):
    """Lost updates (issue 12): two co-developers open the same draft; the second save, made from
    the draft as it was before the first, is refused with 409 ``stale_change`` naming the newer save,
    and nothing of it is written. Without ``expected_saved_at`` (an API client) it is not checked."""
    proposal = proposal_create(actor=developer, data=make_ready(co_developer_ids=(other_developer.pk,)))
    opened = Proposal.objects.get(pk=proposal.pk).updated_at  # both open the editor
    team = {"co_developer_ids": (other_developer.pk,)}
    proposal_update(
        actor=other_developer, proposal=proposal, data=make_ready(synopsis="Theirs", **team), expected_saved_at=opened
    )
    saved = Proposal.objects.get(pk=proposal.pk)
    with pytest.raises(ApplicationError) as refused:
        proposal_update(
            actor=developer, proposal=proposal, data=make_ready(synopsis="Mine", **team), expected_saved_at=opened
        )
    assert refused.value.status == 409 and refused.value.code == "stale_change"
    assert refused.value.field == "expected_saved_at" and refused.value.current == saved.updated_at.isoformat()
    assert "saved again at" in refused.value.message
    assert Proposal.objects.get(pk=proposal.pk).synopsis == "Theirs"
    assert AuditEvent.objects.filter(action="proposal.update", object_id=str(proposal.pk)).count() == 1
    # from the newer save, it goes through
    proposal_update(
        actor=developer, proposal=proposal, data=make_ready(synopsis="Mine", **team), expected_saved_at=saved.updated_at
    )
    assert Proposal.objects.get(pk=proposal.pk).synopsis == "Mine"


def test_only_course_developers_propose(ptj):
    learner = user_with_role(Role.LEARNER)
    with pytest.raises(ApplicationError) as refused:
        proposal_create(actor=learner, data=ProposalData(kind=ProposalKind.CAT3_SAMC))
    assert refused.value.status == 403


def test_the_owner_deletes_a_draft(developer, other_developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready(co_developer_ids=(other_developer.pk,)))
    with pytest.raises(ApplicationError) as refused:
        proposal_delete(actor=other_developer, proposal=proposal)
    assert refused.value.code == "proposal_forbidden"
    proposal_delete(actor=developer, proposal=proposal)
    assert not Proposal.objects.exists()
    assert AuditEvent.objects.filter(action="proposal.delete").exists()

"""The one transition-table engine (core.fsm) and the five tables it runs (STYLE.md "state machines
are data"; docs/decisions/0150). Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from core import fsm
from core.fsm import GuardFailed, IllegalTransition, Machine, TableError, Transition
from courses.choices import ProposalStatus
from courses.policies import workflow as proposal_wf
from credentials.models import CredentialStatus
from credentials.policies import STATUS_BITS, STATUS_MACHINE
from enrolment.choices import EnrolmentStatus, ResultsStatus
from enrolment.policies import (
    ENROLMENT_MACHINE,
    RESULTS_MACHINE,
    enrolment_next,
    results_actions,
    results_next,
    results_reopen,
)
from transfer.choices import ApplicationStatus
from transfer.policies import workflow as transfer_wf


@dataclass(frozen=True)
class Facts:
    open: bool


def _guard(row: Transition, facts: Facts) -> str | None:
    return None if facts.open else "door_closed"


def _toy() -> Machine[Transition, Facts]:
    return Machine(
        "toy",
        (
            Transition("a", "go", "x", "b", guard="open"),
            Transition("b", "back", "y", "a", comment_required=True),
            Transition("b", "back", "x", "a"),
        ),
        actors=("x", "y"),
        guards=("open",),
        guard_problem=_guard,
        register=False,
    )


def test_a_legal_move_gives_the_row_and_the_next_state():
    row, target = _toy().move("a", "go", Facts(open=True))
    assert (row.actor, target) == ("x", "b")


def test_an_illegal_move_raises_a_named_error_never_passes():
    machine = _toy()
    with pytest.raises(IllegalTransition) as caught:
        machine.move("a", "back", Facts(open=True))
    assert (caught.value.machine, caught.value.state, caught.value.action) == ("toy", "a", "back")
    with pytest.raises(IllegalTransition):
        machine.move("b", "back", Facts(open=True), actor="z")  # a row exists, not for this actor
    with pytest.raises(IllegalTransition):
        machine.row("nowhere", "go")


def test_an_unmet_guard_raises_guard_failed_with_its_name():
    with pytest.raises(GuardFailed) as caught:
        _toy().move("a", "go", Facts(open=False))
    assert caught.value.problem == "door_closed"
    assert isinstance(caught.value, IllegalTransition)


def test_available_rows_are_the_actors_rows_with_their_guard_met():
    machine = _toy()
    assert [r.action for r in machine.available("a", {"x"}, Facts(open=True))] == ["go"]
    assert machine.available("a", {"x"}, Facts(open=False)) == []
    assert machine.available("a", {"y"}, Facts(open=True)) == []
    assert [r.actor for r in machine.rows_for("b", "back")] == ["y", "x"]
    assert machine.states() == ["a", "b"]
    assert machine.states_for_actor("x") == ["a", "b"]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ((Transition("a", "go", "x", "b"), Transition("a", "go", "x", "c")), "two rows"),
        ((Transition("a", "go", "nobody", "b"),), "unknown actor"),
        ((Transition("a", "go", "x", "b", guard="typo"),), "unknown guard"),
    ],
)
def test_a_table_that_cannot_be_run_is_refused_when_built(rows, problem):
    with pytest.raises(TableError, match=problem):
        Machine("broken", rows, actors=("x",), guards=("open",), register=False)


# --- the tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("machine", "states"),
    [
        (proposal_wf.MACHINE, set(ProposalStatus.values)),
        (transfer_wf.MACHINE, set(ApplicationStatus.values)),
        (RESULTS_MACHINE, set(ResultsStatus.values)),
        (ENROLMENT_MACHINE, set(EnrolmentStatus.values)),
        (STATUS_MACHINE, set(CredentialStatus.values)),
    ],
)
def test_every_table_names_only_states_of_its_model(machine, states):
    assert set(machine.states()) <= states
    assert fsm.MACHINES[machine.name] is machine


def test_results_follow_r_rs_2():
    # DOMAIN R-RS-2: instructor submits, the committee endorses, Senate approves; either returns.
    assert results_next("draft", "submit") == ("submitted", "instructor")
    assert results_next("committee_endorsed", "return") == ("draft", "senate")
    assert results_actions("submitted") == ["endorse", "return"]
    with pytest.raises(IllegalTransition):
        results_next("senate_approved", "return")


@pytest.mark.parametrize("state", ["submitted", "committee_endorsed"])
def test_a_mark_changed_after_submission_reopens_the_results(state):
    # DOMAIN R-RS-2: the change sends the results back to the instructor; it is not a button.
    assert results_reopen(state) == "draft"
    assert "reopen" not in results_actions(state)


@pytest.mark.parametrize("state", ["draft", "senate_approved"])
def test_results_reopen_only_after_submission_and_before_the_senate(state):
    with pytest.raises(IllegalTransition):
        results_reopen(state)


def test_enrolment_moves_only_from_enrolled():
    # DOMAIN R-EN-5
    assert enrolment_next("enrolled", "defer") == "deferred"
    with pytest.raises(IllegalTransition):
        enrolment_next("withdrawn", "withdraw")


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [("active", "revoke", "revoked"), ("suspended", "revoke", "revoked"), ("suspended", "reinstate", "active")],
)
def test_credential_status_moves(state, action, target):
    # DOMAIN R-CR-5: revocation is final; suspension can be lifted.
    assert STATUS_MACHINE.move(state, action, None)[1] == target
    assert action in STATUS_BITS


@pytest.mark.parametrize("action", ["revoke", "suspend", "reinstate"])
def test_revocation_is_final(action):
    # DOMAIN R-CR-5
    with pytest.raises(IllegalTransition):
        STATUS_MACHINE.move("revoked", action, None)


def test_proposal_returns_are_derived_from_returnable_rows():
    # DOMAIN R-WF-3: whoever may move a review step forward may return it, with a comment.
    returns = {(r.source, r.actor) for r in proposal_wf.MACHINE.rows if r.action == "return"}
    forward = {(r.source, r.actor) for r in proposal_wf.MACHINE.rows if r.returnable}
    assert returns == forward
    assert all(r.comment_required for r in proposal_wf.MACHINE.rows if r.action == "return")


def test_the_docs_print_the_tables():
    # docs/workflows.md is `manage.py workflow_tables`; regenerate it when a table changes.
    path = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"
    assert path.read_text() == fsm.tables_markdown()

"""R-CT-6: the credit-transfer application as a state machine, in data (STYLE.md "state machines
are data"), run by the one engine, ``core.fsm`` (``MACHINE``), like the proposal workflow.

``TABLE`` rows: from ``source``, ``action`` by the symbolic ``actor`` leads to ``target``. The
learner's submission routes by what is claimed: stand-alone MCs go through the APEL.C officer
first (R-CT-6 "SAMC learners apply through APEL.C"), everything to the programme coordinator, and
if supported to the Dean. ``EDITS`` say who may change the claim without moving it (the course
mapping, the evidence, the CLO assessment) and when. Actors are resolved per application by
``transfer.rules``. Pure: no ORM, no request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import fsm
from transfer.choices import OPEN_STATUSES
from transfer.choices import ApplicationStatus as S


class Actor:
    LEARNER = "learner"  # the applicant
    APELC = "apelc"  # an APEL.C officer (R-AP-1)
    COORDINATOR = "coordinator"  # the programme's coordinator
    DEAN = "dean"  # the Dean of the programme's PTj

    ALL = (LEARNER, APELC, COORDINATOR, DEAN)


ACTOR_LABELS: dict[str, Promise] = {
    Actor.LEARNER: _("Applicant"),
    Actor.APELC: _("APEL.C officer"),
    Actor.COORDINATOR: _("Programme coordinator"),
    Actor.DEAN: _("Dean"),
}


class Guard:
    NONE = ""
    APELC_ASSESSED = "apelc_assessed"  # every stand-alone claim has its CLOs assessed
    CLAIM_SETTLED = "claim_settled"  # ...and every evidence checked, and the mapping is whole


ROUTE = "@route"  # submission: to the APEL.C officer when stand-alone MCs are claimed


@dataclass(frozen=True)
class Transition(fsm.Transition):
    """A row of the engine's table (``core.fsm``) with the decision column."""

    final: bool = False  # a decision: the letter is written and sent (R-CT-6)

    @property
    def danger(self) -> bool:
        return self.action in ("not_support", "reject", "withdraw")


SUBMIT = Transition("", "submit", Actor.LEARNER, ROUTE)

TABLE: tuple[Transition, ...] = (
    SUBMIT,
    Transition(S.APELC_REVIEW, "apelc_complete", Actor.APELC, S.COORDINATOR_REVIEW, guard=Guard.APELC_ASSESSED),
    Transition(S.COORDINATOR_REVIEW, "support", Actor.COORDINATOR, S.DEAN_REVIEW, guard=Guard.CLAIM_SETTLED),
    Transition(S.COORDINATOR_REVIEW, "not_support", Actor.COORDINATOR, S.NOT_SUPPORTED, True, final=True),
    Transition(S.DEAN_REVIEW, "approve", Actor.DEAN, S.APPROVED, guard=Guard.CLAIM_SETTLED, final=True),
    Transition(S.DEAN_REVIEW, "reject", Actor.DEAN, S.REJECTED, True, final=True),
    *(Transition(state, "withdraw", Actor.LEARNER, S.WITHDRAWN) for state in sorted(OPEN_STATUSES)),
)

ACTION_LABELS: dict[str, Promise] = {
    "submit": pgettext_lazy("credit transfer", "Apply"),
    "apelc_complete": _("Assessment done: send to the coordinator"),
    "support": _("Support: send to the Dean"),
    "not_support": _("Do not support"),
    "approve": _("Approve the credit transfer"),
    "reject": _("Reject"),
    "withdraw": _("Withdraw my application"),
}


class Edit:
    MAP = "map"  # change the programme course a claim is mapped to
    EVIDENCE = "evidence"  # accept or reject a claim's evidence
    ASSESS = "assess"  # record the CLO attainment of a stand-alone claim (R-AP-1)


# (state, edit, actor): who may change the claim, and while it is where.
EDITS: frozenset[tuple[str, str, str]] = frozenset(
    {
        (S.APELC_REVIEW, Edit.ASSESS, Actor.APELC),
        (S.APELC_REVIEW, Edit.EVIDENCE, Actor.APELC),
        (S.COORDINATOR_REVIEW, Edit.MAP, Actor.COORDINATOR),
        (S.COORDINATOR_REVIEW, Edit.EVIDENCE, Actor.COORDINATOR),
    }
)


def edit_actors(state: str, edit: str) -> list[str]:
    return sorted(actor for s, e, actor in EDITS if s == state and e == edit)


@dataclass(frozen=True)
class Facts:
    """What the guards and the route need to know about one application."""

    status: str
    has_standalone: bool = False
    unassessed: int = 0  # stand-alone claims without a CLO assessment
    unverified: int = 0  # claims whose evidence nobody has checked
    problems: int = 0  # claim problems (a course mapped from too few credits...)


def target_of(row: Transition, facts: Facts) -> str:
    if row.target == ROUTE:
        return S.APELC_REVIEW if facts.has_standalone else S.COORDINATOR_REVIEW
    return row.target


def guard_problem(row: Transition, facts: Facts) -> str | None:
    """The name of the unmet precondition, or None."""
    if row.guard in (Guard.APELC_ASSESSED, Guard.CLAIM_SETTLED) and facts.unassessed:
        return "apelc_not_assessed"
    if row.guard == Guard.CLAIM_SETTLED and facts.unverified:
        return "evidence_not_checked"
    if row.guard == Guard.CLAIM_SETTLED and facts.problems:
        return "claim_has_problems"
    return None


MACHINE: fsm.Machine[Transition, Facts] = fsm.Machine(
    "transfer application",
    TABLE,
    actors=Actor.ALL,
    guards={Guard.APELC_ASSESSED, Guard.CLAIM_SETTLED},
    guard_problem=guard_problem,
    target_of=target_of,
)
rows_for = MACHINE.rows_for
rows_from = MACHINE.rows_from
actions = MACHINE.actions


def states_for_actor(actor: str) -> list[str]:
    """Where ``actor`` has a decision to take (withdrawing and the first submission are not)."""
    return [s for s in MACHINE.states_for_actor(actor, exclude_actions={"withdraw"}) if s]


GUARD_MESSAGES: dict[str, Promise] = {
    "apelc_not_assessed": _(
        "Every stand-alone micro-credential claimed needs its CLO attainment assessed first (R-AP-1)."
    ),
    "evidence_not_checked": _("Accept or reject the evidence of every claim that is not verified yet."),
    "claim_has_problems": _("The course mapping has a problem; correct it first."),
}

# Every event of an application's history, for the page and the emails.
EVENT_LABELS: dict[str, Promise] = {
    **ACTION_LABELS,
    "map": _("Course mapping changed"),
    "evidence": _("Evidence judged"),
    "assess": _("CLO attainment assessed (APEL.C)"),
    "letter": _("Decision letter written"),
    "letter_sent": _("Decision letter sent"),
    "age_exception": _("Age exception granted"),
    "age_exception_revoke": _("Age exception revoked"),
}

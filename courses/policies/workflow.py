"""R-WF-1..5: the proposal state machine as data (STYLE.md "state machines are data"), run by
the one engine, ``core.fsm`` (``MACHINE``).

``TABLE`` is the one transition table. The service (``courses.services.workflow``), the
buttons on the proposal page, the queues, the notifications and docs/decisions/0030 all read
it. Each row: from ``source``, ``action`` by the symbolic ``actor`` leads to ``target``.
Actors are resolved per proposal by ``courses.rules`` (R-WF-2 routing, PTj and committee scope,
separation of duties). Pure: no ORM, no request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import fsm
from courses.choices import ProposalStatus as S
from courses.choices import RegistrationKind
from courses.policies.outcomes import outcome_sentence
from courses.policies.textdiff import Piece, word_diff


class Actor:
    """Symbolic actors of the table (DOMAIN.md actors table)."""

    DEVELOPER = "developer"
    HEAD_OF_PTJ = "head_of_ptj"  # R-WF-2: MQA head for accredited kinds, non-MQA head for SAMC/QVC
    CFLEX = "cflex"
    SME = "sme"  # the SME appointed to this proposal
    COMMITTEE = "committee"  # the secretary of this proposal's committee
    SENATE = "senate"
    BJKA = "bjka"  # MQA registration, accredited kinds only
    SYSTEM = "system"  # automatic steps, taken by the service when their condition holds

    ALL = (DEVELOPER, HEAD_OF_PTJ, CFLEX, SME, COMMITTEE, SENATE, BJKA, SYSTEM)
    REVIEWERS = frozenset({HEAD_OF_PTJ, CFLEX, SME, COMMITTEE, SENATE, BJKA})


ACTOR_LABELS: dict[str, Promise] = {
    Actor.DEVELOPER: _("Course developer"),
    Actor.HEAD_OF_PTJ: _("Head of PTj"),
    Actor.CFLEX: _("CFLEX reviewer"),
    Actor.SME: _("Subject matter expert"),
    Actor.COMMITTEE: _("Committee secretary"),
    Actor.SENATE: _("Senate secretary"),
    Actor.BJKA: _("BJKA officer"),
    Actor.SYSTEM: _("Automatic"),
}


class Door:
    """Where a row is taken: the generic transition (page button / API), a meeting agenda, a
    meeting decision, or automatically by the service."""

    TRANSITION = "transition"
    AGENDA = "agenda"
    MEETING = "meeting"
    AUTO = "auto"


class Guard:
    """Named preconditions, checked by ``guard_problem`` (and by the queue selectors in SQL)."""

    NONE = ""
    MILESTONE_OPEN = "milestone_open"  # the developer has not yet marked the milestone done
    MILESTONE_DONE = "milestone_done"  # ...and has
    MQA_OPEN = "mqa_open"
    UNIMAS_OPEN = "unimas_open"
    REGISTRATIONS_COMPLETE = "registrations_complete"
    ON_AGENDA = "on_agenda"  # an undecided item on a meeting of the body that decides this step
    NOT_ON_AGENDA = "not_on_agenda"


RETURN_TO = "@returned_from"  # resubmission goes back to the step that returned it (R-WF-3)


@dataclass(frozen=True)
class Transition(fsm.Transition):
    """A row of the engine's table (``core.fsm``) with the workflow's own columns."""

    door: str = Door.TRANSITION
    returnable: bool = False  # the same actor may return the proposal for revision from here


ACTION_LABELS: dict[str, Promise] = {
    "submit": _("Submit"),
    "resubmit": _("Resubmit after revision"),
    "head_approve": _("Approve (Head of PTj)"),
    "cflex_approve": _("Approve: development starts"),
    "milestone_done": _("Mark this milestone done"),
    "milestone_confirm": _("Confirm the milestone"),
    "milestone_return": _("Return the milestone"),
    "sme_approve": _("Approve the content (SME vetting)"),
    "present": _("Add to a committee agenda"),
    "present_again": _("Add to another committee agenda"),
    "senate_schedule": _("Add to a Senate agenda"),
    "committee_approve": _("Record committee approval"),
    "senate_approve": _("Record Senate approval"),
    "record_mqa_registration": _("Record the MQA registration"),
    "record_unimas_registration": _("Record the UNIMAS registration"),
    "register": _("Registered"),
    "offer_ready": _("Ready to offer"),
    "return": _("Return for revision"),
}

# Development milestones after CFLEX approval (R-WF-1, R-WF-4): the state reached when each is done.
MILESTONE_STATES: tuple[str, ...] = (
    S.CFLEX_APPROVED,
    S.TABLE4_APPROVED,
    S.CONTENT_DEVELOPED,
    S.VIDEO_MATERIALS,
    S.PROMO_VIDEO,
    S.UPLOADED,
)
# R-WF-4 (interpretation): CFLEX may mark these not applicable for a face-to-face course.
VIDEO_STATES = frozenset({S.VIDEO_MATERIALS, S.PROMO_VIDEO})

MILESTONE_LABELS: dict[str, Promise] = {
    S.TABLE4_APPROVED: _("Table 4"),
    S.CONTENT_DEVELOPED: _("Content"),
    S.VIDEO_MATERIALS: _("Video materials"),
    S.PROMO_VIDEO: _("Promotional video"),
    S.UPLOADED: _("Upload to the platform"),
}


def _milestone_rows() -> list[Transition]:
    rows = []
    for source, reached in pairwise(MILESTONE_STATES):
        rows += [
            Transition(source, "milestone_done", Actor.DEVELOPER, source, guard=Guard.MILESTONE_OPEN),
            Transition(source, "milestone_confirm", Actor.CFLEX, reached, guard=Guard.MILESTONE_DONE),
            Transition(
                source, "milestone_return", Actor.CFLEX, source, comment_required=True, guard=Guard.MILESTONE_DONE
            ),
        ]
    return rows


FORWARD: tuple[Transition, ...] = (
    Transition(S.DRAFT, "submit", Actor.DEVELOPER, S.SUBMITTED),
    Transition(S.RETURNED, "resubmit", Actor.DEVELOPER, RETURN_TO),
    Transition(S.SUBMITTED, "head_approve", Actor.HEAD_OF_PTJ, S.HEAD_APPROVED, returnable=True),
    Transition(S.HEAD_APPROVED, "cflex_approve", Actor.CFLEX, S.CFLEX_APPROVED, returnable=True),
    *_milestone_rows(),
    Transition(S.UPLOADED, "sme_approve", Actor.SME, S.SME_VETTED, returnable=True),
    Transition(S.SME_VETTED, "present", Actor.CFLEX, S.PRESENTED, door=Door.AGENDA),
    # Deferred, or back after a committee's return: CFLEX puts it on another agenda.
    Transition(S.PRESENTED, "present_again", Actor.CFLEX, S.PRESENTED, guard=Guard.NOT_ON_AGENDA, door=Door.AGENDA),
    Transition(
        S.PRESENTED,
        "committee_approve",
        Actor.COMMITTEE,
        S.COMMITTEE_APPROVED,
        guard=Guard.ON_AGENDA,
        door=Door.MEETING,
        returnable=True,
    ),
    Transition(
        S.COMMITTEE_APPROVED,
        "senate_schedule",
        Actor.CFLEX,
        S.COMMITTEE_APPROVED,
        guard=Guard.NOT_ON_AGENDA,
        door=Door.AGENDA,
    ),
    Transition(
        S.COMMITTEE_APPROVED,
        "senate_approve",
        Actor.SENATE,
        S.SENATE_APPROVED,
        guard=Guard.ON_AGENDA,
        door=Door.MEETING,
        returnable=True,
    ),
    Transition(S.SENATE_APPROVED, "record_mqa_registration", Actor.BJKA, S.SENATE_APPROVED, guard=Guard.MQA_OPEN),
    Transition(
        S.SENATE_APPROVED, "record_unimas_registration", Actor.CFLEX, S.SENATE_APPROVED, guard=Guard.UNIMAS_OPEN
    ),
    Transition(
        S.SENATE_APPROVED, "register", Actor.SYSTEM, S.REGISTERED, guard=Guard.REGISTRATIONS_COMPLETE, door=Door.AUTO
    ),
    Transition(S.REGISTERED, "offer_ready", Actor.SYSTEM, S.READY_TO_OFFER, door=Door.AUTO),
)

# R-WF-3: whoever may move a review step forward may return it, with a required comment.
RETURNS: tuple[Transition, ...] = tuple(
    Transition(row.source, "return", row.actor, S.RETURNED, comment_required=True, guard=row.guard, door=row.door)
    for row in FORWARD
    if row.returnable
)

TABLE: tuple[Transition, ...] = FORWARD + RETURNS

# Board columns in R-WF-1 order.
PIPELINE: tuple[str, ...] = (
    S.DRAFT,
    S.SUBMITTED,
    S.HEAD_APPROVED,
    S.CFLEX_APPROVED,
    S.TABLE4_APPROVED,
    S.CONTENT_DEVELOPED,
    S.VIDEO_MATERIALS,
    S.PROMO_VIDEO,
    S.UPLOADED,
    S.SME_VETTED,
    S.PRESENTED,
    S.COMMITTEE_APPROVED,
    S.SENATE_APPROVED,
    S.REGISTERED,
    S.READY_TO_OFFER,
    S.RETURNED,
)


@dataclass(frozen=True)
class Facts:
    """What the guards and targets need to know about one proposal."""

    status: str
    returned_from: str = ""
    milestone_done: bool = False
    video_not_applicable: bool = False
    accredited: bool = True
    registrations: frozenset[str] = frozenset()
    on_agenda: bool = False  # undecided on an agenda of the body deciding the current step


def required_registrations(accredited: bool) -> frozenset[str]:
    """MQA registration for MQA courses (by BJKA) and the UNIMAS one for all (by CFLEX)."""
    if accredited:
        return frozenset({RegistrationKind.MQA.value, RegistrationKind.UNIMAS.value})
    return frozenset({RegistrationKind.UNIMAS.value})


def _next_milestone(state: str, facts: Facts) -> str:
    index = MILESTONE_STATES.index(state) + 1
    while MILESTONE_STATES[index] in VIDEO_STATES and facts.video_not_applicable:
        index += 1
    return MILESTONE_STATES[index]


def target_of(row: Transition, facts: Facts) -> str:
    """Where the row leads for this proposal: back to the returning step on resubmission, and past
    video steps marked not applicable when a milestone is confirmed."""
    if row.target == RETURN_TO:
        return facts.returned_from or S.SUBMITTED
    if row.action == "milestone_confirm":
        return _next_milestone(row.source, facts)
    return row.target


def guard_problem(row: Transition, facts: Facts) -> str | None:
    """The name of the unmet precondition, or None."""
    if row.guard == Guard.MILESTONE_OPEN and facts.milestone_done:
        return "milestone_already_done"
    if row.guard == Guard.MILESTONE_DONE and not facts.milestone_done:
        return "milestone_not_done"
    if row.guard == Guard.MQA_OPEN and (not facts.accredited or RegistrationKind.MQA.value in facts.registrations):
        return "registration_not_needed" if not facts.accredited else "registration_recorded"
    if row.guard == Guard.ON_AGENDA and not facts.on_agenda:
        return "not_on_agenda"
    if row.guard == Guard.NOT_ON_AGENDA and facts.on_agenda:
        return "already_on_agenda"
    if row.guard == Guard.UNIMAS_OPEN and RegistrationKind.UNIMAS.value in facts.registrations:
        return "registration_recorded"
    if (
        row.guard == Guard.REGISTRATIONS_COMPLETE
        and not required_registrations(facts.accredited) <= facts.registrations
    ):
        return "registration_incomplete"
    return None


MACHINE: fsm.Machine[Transition, Facts] = fsm.Machine(
    "proposal",
    TABLE,
    actors=Actor.ALL,
    guards={v for k, v in vars(Guard).items() if k.isupper() and v},
    guard_problem=guard_problem,
    target_of=target_of,
)
rows_from = MACHINE.rows_from
rows_for = MACHINE.rows_for
actions = MACHINE.actions
states_for_actor = MACHINE.states_for_actor


def waits_in_queue(row: Transition) -> bool:
    """A row that puts the proposal in its actor's queue: not automatic, and not the developer's
    own draft (drafts are on the developer's proposal list, not a queue)."""
    return row.door != Door.AUTO and not (row.actor == Actor.DEVELOPER and row.source == S.DRAFT)


def open_rows(status: str, facts: Facts) -> list[Transition]:
    """The rows someone may take now from ``status`` (automatic rows left out): what the buttons,
    the notifications and the digest read."""
    return [r for r in MACHINE.rows_from(status) if r.door != Door.AUTO and MACHINE.guard_problem(r, facts) is None]


def next_status(status: str, action: str) -> str:
    """Where ``action`` leads from ``status`` with no other facts, or ``IllegalTransition``."""
    return MACHINE.target_of(MACHINE.row(status, action), Facts(status=status))


# --- time in step, progress, overdue (R-WF-4) --------------------------------------------------


# Table 3's numbers (progress %, suggested days) are policy data with an effective date
# (policy.models.WorkflowStep, policy.api.workflow_plan); these functions take them as maps.


def progress_of(status: str, returned_from: str, progress: Mapping[str, int]) -> int:
    """A returned proposal keeps the progress of the step that returned it."""
    return progress.get(returned_from if status == S.RETURNED else status, 0)


def days_between(start: datetime, now: datetime) -> int:
    return max(0, (now - start).days)


def is_overdue(status: str, entered_at: datetime, now: datetime, suggested_days: Mapping[str, int]) -> bool:
    limit = suggested_days.get(status)
    return limit is not None and days_between(entered_at, now) > limit


# --- diffs between submitted versions (R-WF-3) -------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"

    @property
    def words(self) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
        """The words removed from ``before`` and added in ``after`` (issue 17)."""
        return word_diff(self.before, self.after)


TEXT_FIELDS: tuple[tuple[str, Promise], ...] = (
    ("title", _("Title")),
    ("code", _("Code")),
    ("kind", _("Category and type")),
    ("justification", _("Justification")),
    ("objectives", _("Objectives")),
    ("entry_requirements", _("Entry requirements")),
    ("synopsis", _("Synopsis")),
    ("study_session", _("Study session")),
    ("offer_start", _("Offered from")),
    ("offer_end", _("Offered until")),
    ("course_level", _("Course level")),
    ("learner_commitment", _("Learner commitment")),
    ("promotion", _("Promotion")),
    ("continuous_improvement", _("Continuous improvement")),
    ("fee", _("Fee (MYR)")),
    ("delivery_mode", _("Delivery mode")),
    ("ptg_reference", _("PTG application reference")),
    ("part_credits", _("Credits of this part")),
)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _clo_text(clo: dict[str, Any]) -> str:
    """The outcome as the sentence learners read (R-AF-4), then its MQF level and effort."""
    sentence = outcome_sentence(
        verb=_text(clo.get("verb")),
        content=_text(clo.get("outcome")),
        criteria=_text(clo.get("criteria")),
        conditions=_text(clo.get("conditions")),
    ).text
    level, effort = clo.get("mqf_level"), clo.get("effort_hours")
    extra = ", ".join(x for x in (f"MQF {level}" if level else "", f"{effort} h" if effort else "") if x)
    return f"{sentence} ({extra})" if extra else sentence


def _unit_text(unit: dict[str, Any]) -> str:
    lines = [
        f"{line.get('activity')} x {_text(line.get('quantity'))} @ {_text(line.get('rate_minutes'))} min"
        + (" (online)" if line.get("is_online") else "")
        for line in unit.get("lines", [])
    ]
    return "\n".join([_text(unit.get("title")), *lines])


def _component_text(comp: dict[str, Any]) -> str:
    clos = ", ".join(f"CLO{n}" for n in comp.get("clos", []))
    unit = f", unit {comp['unit']}" if comp.get("unit") else ""
    title = comp.get("title") or comp.get("method")
    retake = ", retake" if comp.get("retake_allowed") else ""
    return f"{title} ({comp.get('method')}, {comp.get('kind')}) {comp.get('weight')}%{unit}; {clos}{retake}"


def _listed(field: str, label: Promise, before: list[Any], after: list[Any], render: Any) -> Iterable[Change]:
    for index in range(max(len(before), len(after))):
        old = render(before[index]) if index < len(before) else ""
        new = render(after[index]) if index < len(after) else ""
        if old != new:
            yield Change(f"{field}[{index}]", f"{label} {index + 1}", old, new)


def version_diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Field by field, what changed between two submitted snapshots: text fields, CLOs, Table 4 per
    unit, the assessment plan, lecturers and the market survey."""
    changes = [
        Change(name, str(label), _text(before.get(name)), _text(after.get(name)))
        for name, label in TEXT_FIELDS
        if _text(before.get(name)) != _text(after.get(name))
    ]
    changes += _listed("clos", _("CLO"), before.get("clos", []), after.get("clos", []), _clo_text)
    changes += _listed("units", _("Table 4, unit"), before.get("units", []), after.get("units", []), _unit_text)
    changes += _listed(
        "components",
        _("Assessment component"),
        before.get("components", []),
        after.get("components", []),
        _component_text,
    )
    names = [", ".join(sorted(p.get("name", "") for p in doc.get("lecturers", []))) for doc in (before, after)]
    if names[0] != names[1]:
        changes.append(Change("lecturers", str(_("Lecturers")), names[0], names[1]))
    surveys = [_text((doc.get("market_survey") or {}).get("respondents")) for doc in (before, after)]
    if surveys[0] != surveys[1]:
        changes.append(Change("market_survey", str(_("Market survey respondents")), surveys[0], surveys[1]))
    totals = [_text((doc.get("slt") or {}).get("total_hm")) for doc in (before, after)]
    if totals[0] != totals[1]:
        changes.append(Change("slt", str(_("Total SLT")), totals[0], totals[1]))
    return changes

"""The one transition-table engine (STYLE.md "state machines are data", docs/decisions/0150).

Every state machine of the portal (proposals, credit-transfer applications, enrolments and their
offering's results, credential status) is a ``Machine`` over rows kept as data in its app's
policies module: from ``source``, ``action`` by the symbolic ``actor`` leads to ``target``, with a
named ``guard`` and whether a comment is required. An app may extend ``Transition`` with columns of
its own (the workflow's ``door``, the transfer decision's ``final``) and gives the engine two pure
functions over its own facts: which guard is unmet, and where a symbolic target leads.

The services take moves through ``Machine.move`` / ``Machine.rows_for``; the buttons list
``Machine.available``; the queues read ``Machine.states_for_actor``; the docs print
``Machine.as_markdown``. An illegal move raises ``IllegalTransition`` (or ``GuardFailed``), never
passes silently. Pure: no ORM, no request.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar


class IllegalTransition(ValueError):
    """``action`` is not a row of ``machine`` from ``state`` (for ``actor``, when one is given)."""

    def __init__(self, machine: str, state: str, action: str, actor: str | None = None) -> None:
        by = f" by {actor}" if actor else ""
        super().__init__(f"{machine}: '{action}' is not possible from '{state}'{by}.")
        self.machine = machine
        self.state = state
        self.action = action
        self.actor = actor


class GuardFailed(IllegalTransition):
    """The row exists but its precondition does not hold; ``problem`` names what is unmet."""

    def __init__(self, machine: str, state: str, action: str, problem: str) -> None:
        super().__init__(machine, state, action)
        self.args = (f"{machine}: '{action}' from '{state}' needs {problem}.",)
        self.problem = problem


class TableError(ValueError):
    """A table that cannot be run: a duplicate row, an unknown actor or guard."""


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    actor: str
    target: str
    comment_required: bool = False
    guard: str = ""

    @property
    def is_self_loop(self) -> bool:
        return self.source == self.target


R = TypeVar("R", bound=Transition)
F = TypeVar("F")


def _no_guard(row: Any, facts: Any) -> str | None:
    return None


def _fixed_target(row: Any, facts: Any) -> str:
    return str(row.target)


MACHINES: dict[str, Machine[Any, Any]] = {}  # every table by name, for the docs


class Machine(Generic[R, F]):
    """A transition table and the two pure functions that read an instance's facts."""

    def __init__(
        self,
        name: str,
        rows: Iterable[R],
        *,
        actors: Collection[str] | None = None,
        guards: Collection[str] = (),
        guard_problem: Callable[[R, F], str | None] = _no_guard,
        target_of: Callable[[R, F], str] = _fixed_target,
        register: bool = True,
    ) -> None:
        self.name = name
        self.rows: tuple[R, ...] = tuple(rows)
        self._guard_problem = guard_problem
        self._target_of = target_of
        seen: set[tuple[str, str, str]] = set()
        for row in self.rows:
            key = (row.source, row.action, row.actor)
            if key in seen:
                raise TableError(f"{name}: two rows for {key}.")
            seen.add(key)
            if actors is not None and row.actor not in actors:
                raise TableError(f"{name}: unknown actor {row.actor!r} in {key}.")
            if row.guard and row.guard not in guards:
                raise TableError(f"{name}: unknown guard {row.guard!r} in {key}.")
        if register:
            MACHINES[name] = self

    # --- reading the table ---------------------------------------------------------------------

    def rows_from(self, state: str) -> list[R]:
        return [row for row in self.rows if row.source == state]

    def rows_for(self, state: str, action: str) -> list[R]:
        """Usually one row; an action several actors may take has one row per actor."""
        return [row for row in self.rows if row.source == state and row.action == action]

    def actions(self) -> list[str]:
        return sorted({row.action for row in self.rows})

    def actors(self) -> list[str]:
        return sorted({row.actor for row in self.rows})

    def states(self) -> list[str]:
        """Every state named as a source or a fixed target (symbolic targets start with ``@``)."""
        named = {row.source for row in self.rows} | {row.target for row in self.rows}
        return sorted(s for s in named if s and not s.startswith("@"))

    def states_for_actor(self, actor: str, *, exclude_actions: Collection[str] = ()) -> list[str]:
        """The states in which ``actor`` has something to do: what the queues filter on."""
        return sorted({row.source for row in self.rows if row.actor == actor and row.action not in exclude_actions})

    def guard_problem(self, row: R, facts: F) -> str | None:
        """The name of ``row``'s unmet precondition for these facts, or None."""
        return self._guard_problem(row, facts) if row.guard else None

    def target_of(self, row: R, facts: F) -> str:
        return self._target_of(row, facts)

    # --- moving --------------------------------------------------------------------------------

    def row(self, state: str, action: str, actor: str | None = None) -> R:
        """The row for ``action`` from ``state`` (taken by ``actor`` when given), else
        ``IllegalTransition``."""
        rows = [r for r in self.rows_for(state, action) if actor is None or r.actor == actor]
        if not rows:
            raise IllegalTransition(self.name, state, action, actor)
        return rows[0]

    def move(self, state: str, action: str, facts: F, *, actor: str | None = None) -> tuple[R, str]:
        """The row taken and the next state; ``IllegalTransition`` when there is no such row,
        ``GuardFailed`` when its guard does not hold."""
        row = self.row(state, action, actor)
        problem = self.guard_problem(row, facts)
        if problem:
            raise GuardFailed(self.name, state, action, problem)
        return row, self.target_of(row, facts)

    def available(self, state: str, actors: Collection[str], facts: F) -> list[R]:
        """The rows these actors may take now: what the buttons show."""
        return [row for row in self.rows_from(state) if row.actor in actors and self.guard_problem(row, facts) is None]

    # --- docs ----------------------------------------------------------------------------------

    def as_markdown(self) -> str:
        """The table as Markdown, in row order: ``manage.py workflow_tables`` prints every one
        into docs/workflows.md."""
        lines = [
            f"## {self.name}",
            "",
            "| from | action | actor | to | comment | guard |",
            "|---|---|---|---|---|---|",
        ]
        for row in self.rows:
            lines.append(
                f"| {row.source or '(new)'} | {row.action} | {row.actor} | {row.target} | "
                f"{'required' if row.comment_required else ''} | {row.guard} |"
            )
        return "\n".join(lines) + "\n"


def tables_markdown() -> str:
    """Every registered table (each app's ``policies`` imported first), for docs/workflows.md."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("policies")
    parts = [
        "# State machines\n\n"
        "Generated from the transition tables (`core.fsm`): `python manage.py workflow_tables > "
        "docs/workflows.md`. A test fails when this file and the tables disagree. `@` targets are "
        "resolved per instance by the app's policies (`@route`: to APEL.C when stand-alone MCs are "
        "claimed; `@returned_from`: back to the step that returned the proposal).\n"
    ]
    parts += [MACHINES[name].as_markdown() for name in sorted(MACHINES)]
    return "\n".join(parts)

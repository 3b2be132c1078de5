"""R-WF-1 / R-WF-5: the proposal state machine as data. This issue implements the first step;
the workflow issue adds the rest of the table."""

from __future__ import annotations

from courses.choices import ProposalStatus


class IllegalTransition(Exception):
    pass


# (state, action) -> next state
TRANSITIONS: dict[tuple[str, str], str] = {
    (ProposalStatus.DRAFT, "submit"): ProposalStatus.SUBMITTED,
}


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(f"'{action}' is not possible from '{status}'.") from None

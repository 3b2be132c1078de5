"""The results queue SQL (``enrolment.selectors.results_queue``) and the permission checks of the
results steps (``enrolment.endorse_results`` / ``approve_results``, which ``results_transition``
asks for the row's actor) read the same table, ``enrolment.policies.RESULTS_MACHINE``, and must
agree (issue 14): for every person and every results state, the offering waits in the person's
queue exactly when a committee or Senate row from its state is theirs. The offering is put in
each state directly: the test is about two reads of the same rows."""

from __future__ import annotations

import pytest

from accounts.models import Committee
from enrolment.choices import ResultsStatus
from enrolment.models import Offering
from enrolment.policies import RESULTS_MACHINE
from enrolment.selectors import results_queue
from enrolment.services.results import _PERM_FOR
from tests.enrolment import builders

pytestmark = pytest.mark.django_db

REVIEWERS = ("committee", "senate")  # who decides from the results queue; the instructor submits from the gradebook


def test_results_queue_and_step_permissions_agree_for_every_person_and_state(offer, teacher, admin):
    # DOMAIN R-RS-2: the instructor submits, the course's committee endorses, the Senate approves.
    other_committee = next(c for c in Committee.values if c != offer.committee)
    people = {
        "committee": builders.committee_secretary(offer.committee),
        "committee_elsewhere": builders.committee_secretary(other_committee),
        "senate": builders.senate_secretary(),
        "instructor": teacher,
        "cflex_admin": admin,
        "learner": builders.learner(),
    }
    waiting_for = {}
    for status in ResultsStatus.values:
        Offering.objects.filter(pk=offer.pk).update(results_status=status)
        offering = Offering.objects.get(pk=offer.pk)
        for name, user in people.items():
            queued = results_queue(user).filter(pk=offering.pk).exists()
            expected = any(
                user.has_perm(_PERM_FOR[row.actor], offering)
                for row in RESULTS_MACHINE.rows_from(status)
                if row.actor in REVIEWERS
            )
            assert queued == expected, (status, name, queued, expected)
            if expected:
                waiting_for.setdefault(status, set()).add(name)
    # Not vacuous: the results wait for the course's committee once submitted, then for the Senate.
    assert waiting_for == {ResultsStatus.SUBMITTED: {"committee"}, ResultsStatus.COMMITTEE_ENDORSED: {"senate"}}

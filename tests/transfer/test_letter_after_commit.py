"""R-CT-6: the decision letter is queued once the decision commits, written once, and mailed
only after its own transaction commits (issue 14: side effects after commit)."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.transfer import builders
from tests.transfer.test_services import accept_all, apply
from transfer.models import DecisionLetter
from transfer.services import application_transition, decision_letter_issue
from transfer.tasks import decision_letter_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def supported(world):
    application = apply(
        world,
        (builders.outside(world.learner, "CSC3013"), "TMN3013"),
        (builders.outside(world.learner, "CSC1233"), "TMN4033"),
    )
    accept_all(world, application)
    application_transition(actor=world.coordinator, application=application, action="support")
    return application


def test_the_decision_letter_is_queued_exactly_once_and_only_after_commit(
    world, supported, django_capture_on_commit_callbacks, monkeypatch
):
    # DOMAIN R-CT-6: the Dean's approval queues the letter, once, after the decision commits.
    queued: list[int] = []
    forward = decision_letter_send.delay

    def spy(application_id: int):  # records, then queues on the real broker
        queued.append(application_id)
        return forward(application_id)

    monkeypatch.setattr(decision_letter_send, "delay", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_transition(actor=world.dean, application=supported, action="approve")
        assert queued == []  # nothing leaves while the decision may still roll back
    assert queued == [] and not DecisionLetter.objects.exists()
    for callback in callbacks:
        callback()
    assert queued == [supported.pk]


def test_a_letter_task_run_twice_leaves_one_letter_and_mails_after_commit(
    world, supported, django_capture_on_commit_callbacks
):
    # DOMAIN R-CT-6: a copy to the learner and to the administrator, once.
    application_transition(actor=world.dean, application=supported, action="approve")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = decision_letter_issue(application_id=supported.pk)
        assert letter is not None and letter.sent_at is not None
    assert mail.outbox == []  # the mail waits for the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.learner.email, world.admin.email])
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert decision_letter_send(supported.pk) is True  # a retried task: already sent
    assert again == [] and len(mail.outbox) == 2
    assert DecisionLetter.objects.filter(application=supported).count() == 1

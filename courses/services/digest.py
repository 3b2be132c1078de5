"""The daily digest of overdue items (R-WF-4): one email per person with something overdue in their
queue, sent by Celery beat (``courses.tasks.overdue_digest``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.services import notification_queue
from courses.models import Proposal
from courses.policies.workflow import open_rows
from courses.selectors.workflow import overdue_q, proposal_facts, users_for_actor
from policy.api import workflow_plan


@transaction.atomic(durable=True)
def overdue_digest_send(*, today: date | None = None) -> int:
    """Queue the digest for everyone who must act on an overdue proposal. At most one digest per
    person per day (the event key carries the date). Returns how many were queued."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    per_user: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    plan = workflow_plan(today)
    overdue = Proposal.objects.filter(overdue_q(plan, now)).select_related("ptj").order_by("state_entered_at", "id")
    for proposal in overdue:
        facts = proposal_facts(proposal)
        actors = {r.actor for r in open_rows(proposal.status, facts)}
        item = {
            "proposal_id": proposal.pk,
            "code": proposal.code,
            "title": proposal.title,
            "status": proposal.status,
            "days": (now - proposal.state_entered_at).days,
            "suggested_days": plan.suggested_days.get(proposal.status),
        }
        for actor in sorted(actors):
            for user in users_for_actor(actor, proposal):
                per_user.setdefault(user.pk, (user, []))[1].append(item)
    queued = 0
    for user, items in per_user.values():
        queued += len(
            notification_queue(
                recipients=[user],
                template="overdue_digest",
                context={"items": items, "date": today.isoformat()},
                event_key=f"digest:{today.isoformat()}",
                url=reverse("proposal-queue"),
            )
        )
    return queued

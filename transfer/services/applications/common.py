"""Shared steps of the application services: storing a result, locking."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from core.errors import ApplicationError
from transfer.choices import (
    OPEN_STATUSES,
    STANDALONE_KINDS,
)
from transfer.models import Application
from transfer.policies import Problem
from transfer.policies.workflow import (
    Facts,
)
from transfer.selectors import (
    Evaluation,
    application_evaluation,
    not_found,
    unassessed_lines,
    unverified_lines,
    with_lines,
)

MAX_CLOS = 20


@dataclass(frozen=True)
class Claim:
    """One credential claimed (``HeldCredential.ref``) and the programme course it maps to."""

    credential: str
    course: str = ""


def problem_error(problem: Problem) -> ApplicationError:
    return ApplicationError(problem.code, f"{problem.rule}: {problem.message}", field=problem.field)


def result_document(evaluation: Evaluation) -> dict[str, Any]:
    """The engine's result as JSON, kept on the application (and shown by the API)."""
    result = evaluation.result
    document = asdict(result)
    document.update(
        transferred_pct=str(result.transferred_pct),
        remaining_pct=str(result.remaining_pct),
        provisional=result.provisional,
        policy_effective_from=evaluation.policy.effective_from.isoformat(),
        apelm=asdict(evaluation.apelm),
    )
    return dict(json.loads(json.dumps(document, cls=DjangoJSONEncoder)))


def _store(application: Application, evaluation: Evaluation) -> None:
    """Keep the engine's result and the policy version it used, on the application and its lines."""
    result = evaluation.result
    application.result = result_document(evaluation)
    application.credits_transferred = result.transferred
    application.binding_cap = result.binding_cap
    application.binding_cut = result.binding_cut
    application.policy_version_id = evaluation.policy.id
    application.save(update_fields=["result", "credits_transferred", "binding_cap", "binding_cut", "policy_version"])
    for line in application.lines.all():
        outcome = result.outcome(line.credential.ref)
        counted, reason = (outcome.counted, outcome.reason) if outcome else (0, "")
        if (line.counted_credits, line.reason) != (counted, reason):
            line.counted_credits, line.reason = counted, reason
            line.save(update_fields=["counted_credits", "reason"])


def applications_reevaluate(learner_id: int, programme_id: int) -> None:
    """Something outside the claims changed the answer (an age exception granted or revoked):
    the learner's open applications to the programme store the engine's result again, so every
    reviewer reads the current answer. Decided applications keep the result they were decided on."""
    for application in Application.objects.select_for_update().filter(
        learner_id=learner_id, programme_id=programme_id, status__in=OPEN_STATUSES
    ):
        _store(application, application_evaluation(application))


def _facts(application: Application, evaluation: Evaluation) -> Facts:
    return Facts(
        status=application.status,
        has_standalone=any(line.credential.kind in STANDALONE_KINDS for line in application.lines.all()),
        unassessed=len(unassessed_lines(application)),
        unverified=len(unverified_lines(application)),
        problems=len(evaluation.result.problems),
    )


def _locked(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    Application.objects.select_for_update().filter(pk=pk).first()
    fresh = with_lines(Application.objects.filter(pk=pk)).first()
    if fresh is None:
        raise not_found()
    return fresh


def _url(application: Application) -> str:
    return settings.PUBLIC_BASE_URL + reverse("transfer-application", args=[application.pk])

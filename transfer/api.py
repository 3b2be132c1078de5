"""The door other apps use into credit transfer (OEP-49): functions returning frozen data."""

from __future__ import annotations

from transfer.data import TransferDecisionData, TransferEstimateData
from transfer.models import Application
from transfer.selectors import learner_evaluation


def applications_for_learner(learner_id: int) -> list[TransferDecisionData]:
    """A learner's credit-transfer applications, newest first, with their decisions."""
    return [
        TransferDecisionData(
            id=a.pk,
            learner_id=a.learner_id,
            programme_code=a.programme.code,
            status=a.status,
            credits_transferred=a.credits_transferred,
            binding_cap=a.binding_cap,
            binding_cut=a.binding_cut,
            policy_version_id=a.policy_version_id,
            submitted_at=a.submitted_at,
            decided_at=a.decided_at,
        )
        for a in Application.objects.filter(learner_id=learner_id).select_related("programme").order_by("-submitted_at")
    ]


def transfer_estimate(learner_id: int, programme_id: int) -> TransferEstimateData:
    """The engine over the learner's credentials for a programme, mapped by default, under the
    policy in force. Raises ``ApplicationError`` for a missing or Foundation programme."""
    evaluation = learner_evaluation(learner_id, programme_id)
    result = evaluation.result
    return TransferEstimateData(
        programme_code=result.programme_code,
        graduating_credits=result.graduating_credits,
        transferred=result.transferred,
        remaining=result.remaining,
        binding_cap=result.binding_cap,
        binding_rule=result.binding_rule,
        binding_cut=result.binding_cut,
        provisional=result.provisional,
        policy_version_id=result.policy_id,
    )

"""The engine run for a learner (credit transfer and APEL.M)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from courses.data import ProgrammeData
from policy.api import policy_in_force
from policy.data import PolicyData
from transfer.models import AgeException
from transfer.policies import (
    ApelMResult,
    CredentialIn,
    TransferResult,
    apelm_eligibility,
    credit_transfer,
)
from transfer.selectors.credentials import HeldCredential, default_mapping, learner_credentials
from transfer.selectors.programmes import programme_data, programme_input

# --- the engine for a learner --------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    programme: ProgrammeData
    held: tuple[HeldCredential, ...]
    mapping: dict[str, str]
    result: TransferResult
    apelm: ApelMResult
    policy: PolicyData


def age_exception_for(learner_id: int, programme_id: int) -> AgeException | None:
    return (
        AgeException.objects.filter(learner_id=learner_id, programme_id=programme_id, revoked_at__isnull=True)
        .select_related("granted_by")
        .first()
    )


def birth_year(learner_id: int) -> int | None:
    from enrolment.api import learner_birth_date

    born = learner_birth_date(learner_id)
    return born.year if born else None


def apelm_for(learner_id: int, programme: ProgrammeData, claims: list[CredentialIn], policy: PolicyData) -> ApelMResult:
    return apelm_eligibility(
        programme_input(programme),
        claims,
        policy,
        birth_year=birth_year(learner_id),
        year=timezone.localdate().year,
        age_exception=age_exception_for(learner_id, programme.id) is not None,
    )


def learner_evaluation(learner_id: int, programme_id: int, mapping: Mapping[str, str] | None = None) -> Evaluation:
    """ "What would count?": the engine over all the learner's credentials, mapped as given (or
    by default), under the policy in force today."""
    programme = programme_data(programme_id)
    if programme.is_foundation:
        raise ApplicationError(
            "programme_foundation",
            _("R-CAT-5: Foundation programmes are never targets of micro-credential transfer."),
            field="programme",
        )
    held = tuple(learner_credentials(learner_id))
    chosen = default_mapping(programme, held)
    for ref, course in (mapping or {}).items():
        if ref in chosen:
            chosen[ref] = course
    policy = policy_in_force()
    claims = [h.as_input(chosen[h.ref]) for h in held]
    result = credit_transfer(programme_input(programme), claims, policy)
    return Evaluation(programme, held, chosen, result, apelm_for(learner_id, programme, claims, policy), policy)

"""Reads of applications, visible to whom they may be."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.rules import active_roles, ptj_ids_for
from audit.models import AuditEvent
from core import errors
from policy.api import policy_in_force
from policy.data import PolicyData
from transfer.choices import STANDALONE_KINDS, ApplicationStatus, CloSource, Source, Verification
from transfer.models import AgeException, Application, ApplicationLine, DecisionLetter
from transfer.policies import (
    ApelMResult,
    CredentialIn,
    TransferResult,
    credit_transfer,
)
from transfer.policies.workflow import Actor, states_for_actor
from transfer.selectors.common import applications_visible_to, not_found
from transfer.selectors.credentials import _issued_for
from transfer.selectors.evaluation import Evaluation, apelm_for
from transfer.selectors.programmes import programme_data, programme_input

# --- applications --------------------------------------------------------------------------------


def with_lines(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("programme", "ptj", "learner", "policy_version", "decided_by").prefetch_related(
        Prefetch("lines", queryset=ApplicationLine.objects.select_related("credential", "assessed_by"))
    )


def application_get(user: Any, pk: int) -> Application:
    """One application with its claims; other people's are not found (404)."""
    application = with_lines(Application.objects.filter(pk=pk)).first()
    if application is None or not user.has_perm("transfer.view_application", application):
        raise not_found()
    return application


def decision_letter_get(user: Any, pk: int) -> DecisionLetter:
    """The decision letter of an application the user may see (R-CT-6); 404 until it is written."""
    application = application_get(user, pk)
    letter = DecisionLetter.objects.filter(application=application).first()
    if letter is None:
        raise errors.not_found("letter", _("The decision letter is not written yet."))
    return letter


def application_queue(user: Any) -> QuerySet[Application]:
    """What waits for this user to act, oldest first."""
    visible = applications_visible_to(user)
    waiting = Q(pk__in=[])
    roles = {role for role, _, _ in active_roles(user)}
    if Role.APELC_OFFICER in roles:
        waiting |= Q(status__in=states_for_actor(Actor.APELC))
    if Role.PROGRAMME_COORDINATOR in roles:
        waiting |= Q(status__in=states_for_actor(Actor.COORDINATOR)) & Q(
            ptj_id__in=ptj_ids_for(user, [Role.PROGRAMME_COORDINATOR])
        )
    if Role.DEAN in roles:
        waiting |= Q(status__in=states_for_actor(Actor.DEAN)) & Q(ptj_id__in=ptj_ids_for(user, [Role.DEAN]))
    return (
        visible.filter(waiting)
        .exclude(learner=user)
        .select_related("programme", "ptj", "learner")
        .order_by("state_entered_at", "pk")
    )


def learner_applications(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(learner=user).select_related("programme", "ptj").order_by("-submitted_at")


def line_clo(line: ApplicationLine) -> tuple[Decimal, ...] | None:
    if line.clo_attainment is None:
        return None
    return tuple(Decimal(str(v)) for v in line.clo_attainment)


def application_claims(application: Application) -> list[CredentialIn]:
    """The engine's input from an application's claims; a portal credential revoked since is
    no longer active."""
    lines = list(application.lines.all())
    status = {}
    if any(line.credential.issued_credential_id for line in lines):
        status = {c.id: c.status for c in _issued_for(application.learner_id)}
    claims = []
    for line in lines:
        credential = line.credential
        active = credential.issued_credential_id is None or status.get(credential.issued_credential_id) == "active"
        claims.append(
            CredentialIn(
                ref=credential.ref,
                code=credential.code,
                title=credential.title,
                kind=credential.kind,
                credits=credential.credits,
                from_unimas=credential.source == Source.UNIMAS,
                provider=credential.provider,
                course=line.course_code,
                verification=line.verification,
                clo_attainment=line_clo(line) if credential.kind in STANDALONE_KINDS else None,
                active=active,
                is_mpu=credential.origin_is_mpu,
                origin_course=credential.origin_course_code if credential.source == Source.UNIMAS else "",
            )
        )
    return claims


def application_evaluation(application: Application, policy: PolicyData | None = None) -> Evaluation:
    """The engine over an application's claims as they stand now."""
    programme = programme_data(application.programme_id)
    policy = policy or policy_in_force()
    claims = application_claims(application)
    result = credit_transfer(programme_input(programme), claims, policy, prefix="lines")
    return Evaluation(
        programme,
        (),
        {c.ref: c.course for c in claims},
        result,
        apelm_for(application.learner_id, programme, claims, policy),
        policy,
    )


def unassessed_lines(application: Application) -> list[ApplicationLine]:
    return [
        line
        for line in application.lines.all()
        if line.credential.kind in STANDALONE_KINDS and line.clo_source == CloSource.NONE
    ]


def unverified_lines(application: Application) -> list[ApplicationLine]:
    return [line for line in application.lines.all() if line.verification == Verification.UNVERIFIED]


DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.NOT_SUPPORTED)


def stored_result(document: Mapping[str, Any]) -> tuple[TransferResult, ApelMResult] | None:
    """The engine's result as the application kept it (what a decision was made on)."""
    from transfer.policies import Advice, CapOutcome, CourseOutcome, CredentialOutcome, Problem

    if not document or "credentials" not in document:
        return None
    fields = {
        k: document[k]
        for k in (
            "programme_code",
            "graduating_credits",
            "policy_id",
            "policy_name",
            "creditable",
            "transferred",
            "binding_cap",
            "binding_rule",
            "binding_cut",
            "external_transferred",
            "remaining",
            "at_unimas",
            "min_at_unimas",
        )
    }
    result = TransferResult(
        **fields,
        credentials=tuple(
            CredentialOutcome(**{**o, "pending": tuple(o.get("pending", ()))}) for o in document["credentials"]
        ),
        courses=tuple(CourseOutcome(**{**c, "refs": tuple(c["refs"])}) for c in document["courses"]),
        caps=tuple(CapOutcome(**c) for c in document["caps"]),
        advice=Advice(**document["advice"]),
        problems=tuple(Problem(**p) for p in document.get("problems", ())),
        # Results kept before the exact search named one binding cap only.
        binding_caps=tuple(
            document.get("binding_caps") or ([document["binding_cap"]] if document["binding_cap"] else [])
        ),
    )
    a = document["apelm"]
    apelm = ApelMResult(
        **{
            **a,
            "share_pct": Decimal(str(a["share_pct"])),
            "reasons": tuple(a["reasons"]),
            "counts": tuple(tuple(row) for row in a.get("counts", ())),
        }
    )
    return result, apelm


def application_history(application: Application) -> list[AuditEvent]:
    """The application's audit trail, with the age exceptions (R-AP-4) granted or revoked for its
    learner and programme, oldest first (two queries)."""
    from django.contrib.contenttypes.models import ContentType

    exception_ids = [
        str(pk)
        for pk in AgeException.objects.filter(
            learner_id=application.learner_id, programme_id=application.programme_id
        ).values_list("pk", flat=True)
    ]
    own = Q(content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk))
    exceptions = Q(content_type=ContentType.objects.get_for_model(AgeException), object_id__in=exception_ids)
    return list(AuditEvent.objects.filter(own | exceptions).select_related("actor").order_by("created_at", "id"))

"""Credit-transfer applications (R-CT-6): the learner applies; the APEL.C officer assesses
stand-alone claims (R-AP-1); the programme coordinator supports or not, and may correct the course
mapping and judge the evidence; the Dean approves or rejects. One way in for each change: locked,
authorised by ``transfer.rules``, checked against the table of ``transfer.policies.workflow``,
recomputed by the engine under the policy in force (recorded), audited, and notified after
commit. A decision queues the letter (``transfer.tasks``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from core.services import notification_queue
from courses.data import ProgrammeData
from transfer.choices import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    STANDALONE_KINDS,
    ApplicationStatus,
    CloSource,
    Source,
    Verification,
)
from transfer.models import Application, ApplicationLine, PriorCredential
from transfer.policies import Problem, claim_problems
from transfer.policies.workflow import (
    ACTION_LABELS,
    ACTOR_LABELS,
    GUARD_MESSAGES,
    SUBMIT,
    TABLE,
    Actor,
    Edit,
    Facts,
    Transition,
    actions,
    edit_actors,
    guard_problem,
    rows_for,
    target_of,
)
from transfer.selectors import (
    Evaluation,
    HeldCredential,
    application_evaluation,
    learner_credentials,
    not_found,
    programme_data,
    programme_input,
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


# --- submission ---------------------------------------------------------------------------------


def _stored(actor: User, held: HeldCredential) -> PriorCredential:
    """A portal credential is recorded here the first time it is claimed (idempotent)."""
    if held.prior_id is not None:
        return PriorCredential.objects.get(pk=held.prior_id)
    assert held.issued_credential_id is not None
    credential, _created = PriorCredential.objects.get_or_create(
        learner=actor,
        issued_credential_id=held.issued_credential_id,
        defaults={
            "source": Source.UNIMAS,
            "kind": held.kind,
            "code": held.code,
            "title": held.title[:250],
            "provider": "UNIMAS",
            "credits": held.credits,
            "completed_on": held.completed_on,
            "enrolment_id": held.enrolment_id,
            "origin_course_code": held.suggested_course,
            "origin_is_mpu": held.is_mpu,
            "evidence_kind": "portal",
            "verification": Verification.VERIFIED,
        },
    )
    return credential


@transaction.atomic
def application_submit(*, actor: User, programme_id: int, claims: Sequence[Claim], comment: str = "") -> Application:
    """R-CT-6: the learner applies for credit towards a programme, claiming credentials mapped to
    its courses. Refused, with the claim at fault and nothing written: a Foundation programme, a
    credential that is not the learner's, one claimed twice, a course not in the programme or
    mapped from too few credits, a credential already transferred to this programme, an open
    application to the same programme."""
    if not actor.has_perm("transfer.apply"):
        raise ApplicationError(
            "transfer_forbidden", _("Only learners apply for credit transfer."), kind=ErrorKind.FORBIDDEN
        )
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one submission at a time per learner
    programme = programme_data(programme_id)
    if not programme.is_active:
        raise not_found("programme")
    held = {h.ref: h for h in learner_credentials(actor.pk)}
    inputs = []
    for index, claim in enumerate(claims):
        found = held.get(claim.credential)
        if found is None:
            raise ApplicationError(
                "credential_not_found",
                _("You hold no such credential."),
                field=f"claims[{index}].credential",
                kind=ErrorKind.NOT_FOUND,
            )
        inputs.append(found.as_input(claim.course.strip().upper()))
    problems = claim_problems(programme_input(programme), inputs)
    if problems:
        raise problem_error(problems[0])
    for index, claimed in enumerate(inputs):
        if not held[claimed.ref].active:
            raise ApplicationError(
                "credential_not_active",
                _("%(code)s has been revoked or suspended and cannot be claimed.") % {"code": claimed.code},
                field=f"claims[{index}].credential",
            )
    if Application.objects.filter(learner=actor, programme_id=programme.id, status__in=_OPEN).exists():
        raise ApplicationError(
            "application_open_exists",
            _("You already have an open application to this programme; withdraw it to apply again."),
            field="programme",
            kind=ErrorKind.CONFLICT,
        )
    stored = [_stored(actor, held[c.ref]) for c in inputs]
    transferred = ApplicationLine.objects.filter(
        application__learner=actor,
        application__programme_id=programme.id,
        application__status=ApplicationStatus.APPROVED,
        credential__in=stored,
        counted_credits__gt=0,
    ).values_list("credential_id", flat=True)
    already = set(transferred)
    for index, credential in enumerate(stored):
        if credential.pk in already:
            raise ApplicationError(
                "credential_already_transferred",
                _("%(code)s was already transferred to this programme.") % {"code": credential.code},
                field=f"claims[{index}].credential",
            )
    from policy.api import policy_in_force

    policy = policy_in_force()
    has_standalone = any(c.kind in STANDALONE_KINDS for c in stored)
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                learner=actor,
                programme_id=programme.id,
                ptj_id=programme.ptj_id,
                status=target_of(SUBMIT, Facts(status="", has_standalone=has_standalone)),
                learner_comment=comment.strip(),
                policy_version_id=policy.id,
                submitted_at=now,
                state_entered_at=now,
            )
    except IntegrityError:  # a concurrent submission won
        raise ApplicationError(
            "application_open_exists",
            _("You already have an open application to this programme."),
            kind=ErrorKind.CONFLICT,
        ) from None
    for position, (credential, claimed) in enumerate(zip(stored, inputs, strict=True)):
        gradebook = held[claimed.ref].clo_attainment if credential.kind in STANDALONE_KINDS else None
        ApplicationLine.objects.create(
            application=application,
            position=position,
            credential=credential,
            course_code=claimed.course,
            verification=credential.verification,
            verification_reason=credential.verification_reason,
            clo_attainment=[str(v) for v in gradebook] if gradebook is not None else None,
            clo_source=CloSource.GRADEBOOK if gradebook is not None else CloSource.NONE,
        )
    application = _locked(application)
    evaluation = application_evaluation(application, policy)
    _store(application, evaluation)
    event = audit_record(
        actor=actor,
        action="transfer.submit",
        obj=application,
        to_state=application.status,
        comment=application.learner_comment,
        data=_event_data(application, evaluation, actor_role=Actor.LEARNER),
    )
    _notify(application, SUBMIT, event.pk, actor)
    return application


_OPEN = sorted({ApplicationStatus.APELC_REVIEW, ApplicationStatus.COORDINATOR_REVIEW, ApplicationStatus.DEAN_REVIEW})


def _event_data(application: Application, evaluation: Evaluation, **extra: Any) -> dict[str, Any]:
    return {
        "policy_version": evaluation.policy.id,
        "credits_transferred": evaluation.result.transferred,
        "binding_cap": evaluation.result.binding_cap,
        "binding_cut": evaluation.result.binding_cut,
        "mapping": {line.credential.code: line.course_code for line in application.lines.all()},
        **extra,
    }


# --- transitions --------------------------------------------------------------------------------


def already_decided(application: Application) -> ApplicationError:
    return ApplicationError(
        "application_already_decided",
        _("Someone has already acted on this application: it is now %(state)s. Reload to see it.")
        % {"state": application.get_status_display()},
        kind=ErrorKind.CONFLICT,
    )


def _choose_row(actor: User, application: Application, action: str, expected_state: str | None) -> Transition:
    if expected_state and expected_state != application.status:
        raise already_decided(application)
    if action not in actions() or action == SUBMIT.action:
        raise ApplicationError(
            "unknown_action", _("There is no action %(action)s.") % {"action": action}, field="action"
        )
    rows = rows_for(application.status, action)
    if not rows:
        raise ApplicationError(
            "illegal_transition",
            _("'%(action)s' is not possible while the application is %(state)s.")
            % {"action": ACTION_LABELS.get(action, action), "state": application.get_status_display()},
            kind=ErrorKind.CONFLICT,
        )
    for row in rows:
        if actor.has_perm(f"transfer.act_as_{row.actor}", application):
            return row
    who = ", ".join(str(ACTOR_LABELS[row.actor]) for row in rows)
    raise ApplicationError(
        "transfer_forbidden",
        _("Only the %(who)s of this application may do that (and never the applicant).") % {"who": who},
        kind=ErrorKind.FORBIDDEN,
    )


@transaction.atomic
def application_transition(
    *, actor: User, application: Application, action: str, comment: str = "", expected_state: str | None = None
) -> Application:
    """Take one row of the table. Refusals: ``application_not_found`` (404, may not see it),
    ``transfer_forbidden`` (403), ``illegal_transition`` / ``application_already_decided`` / a
    guard (409), ``comment_required`` (400)."""
    application = _locked(application)
    if not actor.has_perm("transfer.view_application", application):
        raise not_found()
    row = _choose_row(actor, application, action, expected_state)
    evaluation = application_evaluation(application)
    problem = guard_problem(row, _facts(application, evaluation))
    if problem:
        raise ApplicationError(problem, str(GUARD_MESSAGES[problem]), kind=ErrorKind.CONFLICT)
    comment = comment.strip()
    if row.comment_required and not comment:
        raise ApplicationError("comment_required", _("Give the reason: a comment is required."), field="comment")
    previous = application.status
    now = timezone.now()
    application.status = target_of(row, _facts(application, evaluation))
    application.state_entered_at = now
    if row.final:
        application.decided_at = now
        application.decided_by = actor
        application.decision_comment = comment
    application.save(update_fields=["status", "state_entered_at", "decided_at", "decided_by", "decision_comment"])
    _store(application, evaluation)  # the decision records the policy version it was made under
    event = audit_record(
        actor=actor,
        action=f"transfer.{row.action}",
        obj=application,
        from_state=previous,
        to_state=application.status,
        comment=comment,
        data=_event_data(application, evaluation, actor_role=row.actor),
    )
    _notify(application, row, event.pk, actor)
    if row.final:
        transaction.on_commit(_letter_sender(application.pk))
    return application


def _letter_sender(application_id: int) -> Any:
    from transfer.tasks import decision_letter_send

    def send() -> None:
        decision_letter_send.delay(application_id)

    return send


# --- changes to the claim while it is reviewed --------------------------------------------------


def _require_edit(actor: User, application: Application, edit: str) -> str:
    """The actor this user is for ``edit`` in the application's state, or a refusal."""
    if not actor.has_perm("transfer.view_application", application):
        raise not_found()
    allowed = edit_actors(application.status, edit)
    for who in allowed:
        if actor.has_perm(f"transfer.act_as_{who}", application):
            return who
    if not allowed:
        raise ApplicationError(
            "application_not_editable",
            _("This cannot be changed while the application is %(state)s.")
            % {"state": application.get_status_display()},
            kind=ErrorKind.CONFLICT,
        )
    raise ApplicationError(
        "transfer_forbidden",
        _("Only the %(who)s may do that now.") % {"who": ", ".join(str(ACTOR_LABELS[a]) for a in allowed)},
        kind=ErrorKind.FORBIDDEN,
    )


def _line(application: Application, line_id: int) -> ApplicationLine:
    line = next((x for x in application.lines.all() if x.pk == line_id), None)
    if line is None:
        raise not_found("line")
    return line


@transaction.atomic
def application_mapping_set(
    *, actor: User, application: Application, mapping: Mapping[int, str], comment: str = ""
) -> Application:
    """The coordinator corrects which programme course each claim maps to (R-CT-6). All the
    changes at once, so the parts of a divided course move together (R-NM-2); refused whole, with
    the claim at fault, when the result would map a course from too few credits."""
    application = _locked(application)
    who = _require_edit(actor, application, Edit.MAP)
    lines = list(application.lines.all())
    by_id = {line.pk: line for line in lines}
    for line_id in mapping:
        if line_id not in by_id:
            raise not_found("line")
    programme = programme_data(application.programme_id)
    codes = {c.code for c in programme.courses}
    new = {line.pk: (mapping.get(line.pk, line.course_code) or "").strip().upper() for line in lines}
    for position, line in enumerate(lines):
        if new[line.pk] and new[line.pk] not in codes:
            raise ApplicationError(
                "course_not_in_programme",
                _("%(course)s is not a course of %(programme)s.")
                % {"course": new[line.pk], "programme": programme.code},
                field=f"lines[{position}].course",
            )
    changes = {
        line.credential.code: [line.course_code, new[line.pk]] for line in lines if line.course_code != new[line.pk]
    }
    if not changes:
        return application
    _check_mapping(application, programme, new)
    for line in lines:
        if line.course_code != new[line.pk]:
            line.course_code = new[line.pk]
            line.save(update_fields=["course_code"])
    evaluation = application_evaluation(application)
    _store(application, evaluation)
    audit_record(
        actor=actor,
        action="transfer.map",
        obj=application,
        from_state=application.status,
        to_state=application.status,
        comment=comment.strip(),
        data=_event_data(application, evaluation, actor_role=who, changes=changes),
    )
    return application


def _check_mapping(application: Application, programme: ProgrammeData, new: Mapping[int, str]) -> None:
    """The claim problems the new mapping would have, checked before anything is written."""
    from transfer.selectors import application_claims

    claims = application_claims(application)
    lines = list(application.lines.all())
    remapped = [replace(claim, course=new[line.pk]) for claim, line in zip(claims, lines, strict=True)]
    problems = claim_problems(programme_input(programme), remapped, "lines")
    if problems:
        raise problem_error(problems[0])


@transaction.atomic
def application_evidence_decide(
    *, actor: User, application: Application, line_id: int, accept: bool, reason: str = ""
) -> ApplicationLine:
    """A reviewer accepts or rejects the evidence of one claim (a PDF, a badge the portal could
    not verify). A rejection says why."""
    application = _locked(application)
    who = _require_edit(actor, application, Edit.EVIDENCE)
    line = _line(application, line_id)
    reason = reason.strip()
    if who == Actor.APELC and line.credential.kind not in STANDALONE_KINDS:
        raise ApplicationError(
            "transfer_forbidden",
            _("The APEL.C officer judges the evidence of stand-alone micro-credentials only."),
            kind=ErrorKind.FORBIDDEN,
        )
    if line.credential.source == Source.UNIMAS:
        raise ApplicationError(
            "evidence_portal", _("This credential was issued by this portal and is verified."), field="accept"
        )
    if not accept and not reason:
        raise ApplicationError("reason_required", _("Say why the evidence is rejected."), field="reason")
    verdict = Verification.VERIFIED if accept else Verification.REJECTED
    previous = line.verification
    line.verification = verdict
    line.verification_reason = reason
    line.save(update_fields=["verification", "verification_reason"])
    evaluation = application_evaluation(application)
    _store(application, evaluation)
    audit_record(
        actor=actor,
        action="transfer.evidence",
        obj=application,
        from_state=previous,
        to_state=verdict,
        comment=reason,
        data=_event_data(application, evaluation, actor_role=who, line=line.pk, code=line.credential.code),
    )
    return line


def _percentages(values: Sequence[Any]) -> list[Decimal]:
    if not 1 <= len(values) <= MAX_CLOS:
        raise ApplicationError(
            "clo_attainment_count",
            _("Give the attainment of each CLO (1 to %(max)s values).") % {"max": MAX_CLOS},
            field="clo_attainment",
        )
    parsed = []
    for index, value in enumerate(values):
        try:
            number = Decimal(str(value).strip().rstrip("%"))
        except InvalidOperation:
            number = Decimal("-1")
        if not number.is_finite() or not Decimal("0") <= number <= Decimal("100"):
            raise ApplicationError(
                "clo_attainment_invalid",
                _("CLO %(n)s: a percentage from 0 to 100.") % {"n": index + 1},
                field=f"clo_attainment[{index}]",
            )
        parsed.append(number.quantize(Decimal("0.01")))
    return parsed


@transaction.atomic
def application_clo_assess(
    *, actor: User, application: Application, line_id: int, attainment: Sequence[Any], comment: str = ""
) -> ApplicationLine:
    """R-AP-1: the APEL.C officer records the learner's attainment on each CLO of the claimed
    course, from the evidence (or confirms the gradebook's); below the policy's minimum on any
    CLO, the claim does not count."""
    application = _locked(application)
    who = _require_edit(actor, application, Edit.ASSESS)
    line = _line(application, line_id)
    if line.credential.kind not in STANDALONE_KINDS:
        raise ApplicationError(
            "not_standalone",
            _("Only stand-alone micro-credentials are assessed through APEL.C (R-CT-6)."),
            field="line",
        )
    values = _percentages(attainment)
    previous = line.clo_attainment
    line.clo_attainment = [str(v) for v in values]
    line.clo_source = CloSource.OFFICER
    line.assessed_by = actor
    line.assessed_at = timezone.now()
    line.save(update_fields=["clo_attainment", "clo_source", "assessed_by", "assessed_at"])
    evaluation = application_evaluation(application)
    _store(application, evaluation)
    audit_record(
        actor=actor,
        action="transfer.assess",
        obj=application,
        from_state=application.status,
        to_state=application.status,
        comment=comment.strip(),
        data=_event_data(
            application,
            evaluation,
            actor_role=who,
            line=line.pk,
            code=line.credential.code,
            previous=previous,
            clo_attainment=line.clo_attainment,
            min_clo=evaluation.policy.apelc_min_clo_pct,
        ),
    )
    return line


# --- notifications ------------------------------------------------------------------------------


def users_for_actor(actor: str, application: Application) -> list[User]:
    """Who ``actor`` is for this application: the people to tell it waits for them."""
    if actor == Actor.LEARNER:
        return [application.learner]
    assignments = RoleAssignment.objects.filter(revoked_at__isnull=True)
    if actor == Actor.APELC:
        assignments = assignments.filter(role=Role.APELC_OFFICER)
    elif actor == Actor.COORDINATOR:
        assignments = assignments.filter(role=Role.PROGRAMME_COORDINATOR, ptj_id=application.ptj_id)
        if application.programme.coordinator_id is not None:
            assignments = assignments.filter(user_id=application.programme.coordinator_id)
    elif actor == Actor.DEAN:
        assignments = assignments.filter(role=Role.DEAN, ptj_id=application.ptj_id)
    else:
        return []
    return list(
        User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).exclude(pk=application.learner_id)
    )


def _notify(application: Application, row: Transition, event_id: int, actor: User) -> None:
    """To whoever acts next, and to the learner; sent by Celery after commit, once."""
    next_actors = {r.actor for r in TABLE if r.source == application.status and r.action != "withdraw"}
    recipients: dict[int, User] = {}
    for who in sorted(next_actors | {Actor.LEARNER}):
        for user in users_for_actor(who, application):
            recipients[user.pk] = user
    recipients.pop(actor.pk, None)
    notification_queue(
        recipients=recipients.values(),
        template="transfer_transition",
        context={
            "application_id": application.pk,
            "programme": f"{application.programme.code} {application.programme.name}",
            "action": row.action,
            "to_state": application.status,
            "decided": application.status in DECIDED_STATUSES,
            "actor_name": actor.full_name,
        },
        event_key=f"transfer:{application.pk}:event:{event_id}",
        url=_url(application),
    )

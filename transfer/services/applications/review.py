"""Changes to the claim while it is reviewed: mapping, evidence, CLO assessment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import UNCHECKED, ApplicationError, ErrorKind, Unchecked, stale_change, stale_check
from courses.data import ProgrammeData
from transfer.choices import (
    STANDALONE_KINDS,
    CloSource,
    Source,
    Verification,
)
from transfer.models import Application, ApplicationLine
from transfer.policies import claim_problems
from transfer.policies.workflow import (
    ACTOR_LABELS,
    Actor,
    Edit,
    edit_actors,
)
from transfer.selectors import (
    application_evaluation,
    not_found,
    programme_data,
    programme_input,
)
from transfer.services.applications.common import MAX_CLOS, _locked, _store, problem_error
from transfer.services.applications.submission import _event_data

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


def application_edit_may(*, actor: User, application: Application, edit: str) -> None:
    """404 to whoever may not see the application; 403 (or 409 while no one may) for the change
    ``edit`` (``transfer.policies.workflow.Edit``). The APIs check it before reading their input;
    the services check it again under the row lock."""
    _require_edit(actor, application, edit)


def _line(application: Application, line_id: int) -> ApplicationLine:
    line = next((x for x in application.lines.all() if x.pk == line_id), None)
    if line is None:
        raise not_found("line")
    return line


@transaction.atomic(durable=True)
def application_mapping_set(
    *,
    actor: User,
    application: Application,
    mapping: Mapping[int, str],
    comment: str = "",
    expected: Mapping[int, str] | Unchecked = UNCHECKED,
) -> Application:
    """The coordinator corrects which programme course each claim maps to (R-CT-6). All the
    changes at once, so the parts of a divided course move together (R-NM-2); refused whole, with
    the claim at fault, when the result would map a course from too few credits. ``expected`` is
    the course each claim mapped to when the coordinator read it (line id -> code, "" for none);
    if anyone changed one since, 409 ``stale_change`` with the current mapping (issue 12)."""
    application = _locked(application)
    who = _require_edit(actor, application, Edit.MAP)
    lines = list(application.lines.all())
    by_id = {line.pk: line for line in lines}
    for line_id in [*mapping, *({} if expected is UNCHECKED else expected)]:
        if line_id not in by_id:
            raise not_found("line")
    if expected is not UNCHECKED:
        moved = [by_id[pk] for pk, code in expected.items() if (code or "").strip().upper() != by_id[pk].course_code]
        if moved:
            words = "; ".join(
                _("%(credential)s now counts towards %(course)s")
                % {"credential": line.credential.code, "course": line.course_code}
                if line.course_code
                else _("%(credential)s now counts towards no course") % {"credential": line.credential.code}
                for line in moved
            )
            raise stale_change(
                _("Someone else changed the mapping while you were editing: %(changes)s. Check, then save again.")
                % {"changes": words},
                field="expected",
                current={"lines": [{"line": line.pk, "course": line.course_code} for line in lines]},
            )
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


@transaction.atomic(durable=True)
def application_evidence_decide(
    *,
    actor: User,
    application: Application,
    line_id: int,
    accept: bool,
    reason: str = "",
    expected_verification: str | Unchecked = UNCHECKED,
) -> ApplicationLine:
    """A reviewer accepts or rejects the evidence of one claim (a PDF, a badge the portal could
    not verify). A rejection says why. ``expected_verification`` is the evidence's state when the
    reviewer read it; if another reviewer decided it since, 409 ``stale_change`` (issue 12)."""
    application = _locked(application)
    who = _require_edit(actor, application, Edit.EVIDENCE)
    line = _line(application, line_id)
    stale_check(
        expected_verification,
        line.verification,
        field="expected_verification",
        current=line.verification,
        message=_(
            "Someone else decided this evidence while you were reading it: it is now “%(state)s”. Check, then decide again."
        )
        % {"state": Verification(line.verification).label},
    )
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


def _as_numbers(values: Sequence[Any] | None) -> list[Decimal] | None:
    """Attainment values compared as numbers ("80" is "80.00"); anything unreadable never matches."""
    try:
        return [Decimal(str(v).strip()) for v in values or []]
    except InvalidOperation:
        return None


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


@transaction.atomic(durable=True)
def application_clo_assess(
    *,
    actor: User,
    application: Application,
    line_id: int,
    attainment: Sequence[Any],
    comment: str = "",
    expected_attainment: Sequence[Any] | Unchecked | None = UNCHECKED,
) -> ApplicationLine:
    """R-AP-1: the APEL.C officer records the learner's attainment on each CLO of the claimed
    course, from the evidence (or confirms the gradebook's); below the policy's minimum on any
    CLO, the claim does not count. ``expected_attainment`` is what the officer saw (None or empty:
    nothing recorded yet); if anyone recorded other values since, 409 ``stale_change`` (issue 12)."""
    application = _locked(application)
    who = _require_edit(actor, application, Edit.ASSESS)
    line = _line(application, line_id)
    if expected_attainment is not UNCHECKED and _as_numbers(expected_attainment) != _as_numbers(line.clo_attainment):
        raise stale_change(
            _(
                "Someone else recorded the CLO attainment while you were reading it: it is now %(values)s. Check, then save again."
            )
            % {"values": ", ".join(f"{v}%" for v in line.clo_attainment or []) or _("nothing")},
            field="expected_clo_attainment",
            current=line.clo_attainment,
        )
    if line.credential.kind not in STANDALONE_KINDS:
        raise ApplicationError(
            "not_standalone",
            _("Only stand-alone micro-credentials are assessed through APEL.C."),
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

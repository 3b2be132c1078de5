"""Writing proposals: create, update (drafts save without passing the rules), delete, submit."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import PTj, Role, User
from accounts.rules import ptj_ids_for
from audit.services import audit_record
from core.errors import UNCHECKED, ApplicationError, ErrorKind, Unchecked, stale_check
from courses.choices import STANDALONE_KINDS, ProposalKind, ProposalStatus
from courses.models import MarketSurvey, Proposal, ProposalVersion
from courses.policies import (
    Problem,
    ProposalData,
    input_problems,
)
from courses.selectors import (
    code_suggestion,
    course_developers,
    proposal_data,
    proposal_snapshot,
    staff_users,
)
from courses.services._access import locked, require
from courses.services.design import design_replace
from policy.api import policy_in_force

_DESIGN = ("clos", "units", "components")
_NOT_SCALAR = {*_DESIGN, "lecturer_ids", "co_developer_ids", "survey_respondents"}


class ProposalInputError(ApplicationError):
    """Input a save refuses. Carries every problem found; the API shows the first, a page all."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        more = len(problems) - 1
        message = first.message if first.rule_id == "input" else f"{first.rule_id}: {first.message}"
        if more:
            message += " " + ngettext("(and %(count)s more problem)", "(and %(count)s more problems)", more) % {
                "count": more
            }
        super().__init__(first.code, message, field=first.field, kind=ErrorKind.INVALID)
        self.problems = problems


def _normalised(data: ProposalData) -> ProposalData:
    """Tidy typed values; a stand-alone MC has no accredited origin (R-AF-2), a whole course no part."""
    changes: dict[str, Any] = {
        "code": data.code.strip().upper(),
        "title": " ".join(data.title.split()),
        "ptg_reference": data.ptg_reference.strip(),
        "study_session": data.study_session.strip(),
    }
    if data.kind in STANDALONE_KINDS:
        changes.update(origin_programme_id=None, origin_course_id=None, part_credits=None)
    elif data.kind == ProposalKind.CAT1_WHOLE:
        changes["part_credits"] = None
    return dataclasses.replace(data, **changes)


def _people_problems(data: ProposalData, owner_id: int) -> list[Problem]:
    problems = []
    if set(data.lecturer_ids) - set(staff_users().filter(pk__in=data.lecturer_ids).values_list("pk", flat=True)):
        problems.append(Problem("input", "lecturer_unknown", _("Lecturers are chosen from UNIMAS staff."), "lecturers"))
    developers = set(course_developers().filter(pk__in=data.co_developer_ids).values_list("pk", flat=True))
    if set(data.co_developer_ids) - developers or owner_id in data.co_developer_ids:
        problems.append(
            Problem(
                "input",
                "co_developer_unknown",
                _("Co-developers are other course developers."),
                "co_developers",
            )
        )
    return problems


def _check_input(proposal: Proposal | None, data: ProposalData, owner_id: int) -> None:
    problems = input_problems(proposal_snapshot(proposal, data), policy_in_force()) + _people_problems(data, owner_id)
    if problems:
        raise ProposalInputError(problems)


def _write(*, proposal: Proposal, data: ProposalData, before: ProposalData | None) -> list[str]:
    """Store ``data``; returns the names of the fields that changed."""
    baseline = before or ProposalData(kind=data.kind)
    changed = [f.name for f in dataclasses.fields(ProposalData) if getattr(baseline, f.name) != getattr(data, f.name)]
    for name in (f.name for f in dataclasses.fields(ProposalData)):
        if name not in _NOT_SCALAR:
            setattr(proposal, name, getattr(data, name))
    proposal.updated_at = timezone.now()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise ApplicationError(
            "code_taken",
            _("R-NM-2: the code %(code)s is already used by another proposal.") % {"code": data.code},
            field="code",
            kind=ErrorKind.CONFLICT,
        ) from None
    if "lecturer_ids" in changed:
        proposal.lecturers.set(data.lecturer_ids)
    if "co_developer_ids" in changed:
        proposal.co_developers.set(data.co_developer_ids)
    if "survey_respondents" in changed:
        MarketSurvey.objects.update_or_create(
            proposal=proposal, defaults={"respondents": data.survey_respondents, "updated_at": timezone.now()}
        )
    if any(name in changed for name in _DESIGN):
        design_replace(proposal=proposal, data=data)
    return changed


def _developer_ptj(actor: User, ptj: PTj | None) -> PTj:
    ptj_ids = ptj_ids_for(actor, [Role.COURSE_DEVELOPER])
    if ptj is not None:
        if ptj.pk not in ptj_ids:
            raise ApplicationError("ptj_not_yours", _("You are not a course developer of that PTj."), field="ptj")
        return ptj
    if len(ptj_ids) != 1:
        raise ApplicationError("ptj_required", _("Choose the PTj this proposal belongs to."), field="ptj")
    return PTj.objects.get(pk=next(iter(ptj_ids)))


def proposal_create_may(*, actor: User) -> None:
    """403 to whoever may not propose (only course developers do). The service checks it; the API
    and the page check it first too, before reading their input."""
    if not actor.has_perm("courses.add_proposal"):
        raise ApplicationError(
            "proposal_forbidden", _("Only course developers propose micro-credentials."), kind=ErrorKind.FORBIDDEN
        )


@transaction.atomic
def proposal_create(*, actor: User, data: ProposalData, ptj: PTj | None = None) -> Proposal:
    """A new draft. The code defaults to the suggestion for its type and origin (R-NM-2)."""
    proposal_create_may(actor=actor)
    owner_ptj = _developer_ptj(actor, ptj)
    data = _normalised(data)
    if not data.code:
        suggestion = code_suggestion(
            kind=data.kind, origin_course_id=data.origin_course_id, part_credits=data.part_credits
        )
        data = dataclasses.replace(data, code=suggestion)
    _check_input(None, data, actor.pk)
    proposal = Proposal(ptj=owner_ptj, kind=data.kind, created_by=actor)
    _write(proposal=proposal, data=data, before=None)
    audit_record(actor=actor, action="proposal.create", obj=proposal, to_state=proposal.status)
    return proposal


@transaction.atomic(durable=True)
def proposal_update(
    *, actor: User, proposal: Proposal, data: ProposalData, expected_saved_at: datetime | str | Unchecked = UNCHECKED
) -> Proposal:
    """Save a draft as typed. Only input that can never be right is refused (``input_problems``);
    the rules wait for submission. ``expected_saved_at``: when the draft the person edited was
    saved; if it was saved again since (a co-developer, another tab), nothing is saved and 409
    ``stale_change`` says so (the editor always sends it; an API client may leave it out)."""
    proposal = locked(proposal)
    require(actor, "courses.change_proposal", proposal)
    stale_check(
        expected_saved_at,
        proposal.updated_at,
        field="expected_saved_at",
        current=proposal.updated_at.isoformat(),
        message=_(
            "This draft was saved again at %(time)s, after you opened it (by a co-developer, or by you in "
            "another tab). Nothing was saved: what you typed is still here. Open the draft in a new tab to "
            "see what changed, then save again to keep your version."
        )
        % {"time": date_format(timezone.localtime(proposal.updated_at), "DATETIME_FORMAT")},
    )
    data = _normalised(data)
    _check_input(proposal, data, proposal.created_by_id)
    before = proposal_data(proposal)
    changed = _write(proposal=proposal, data=data, before=before)
    if changed:
        audit_record(actor=actor, action="proposal.update", obj=proposal, data={"changed": changed})
    return proposal


@transaction.atomic(durable=True)
def proposal_delete(*, actor: User, proposal: Proposal) -> None:
    proposal = locked(proposal)
    require(actor, "courses.delete_proposal", proposal)
    if proposal.versions.exists():
        raise ApplicationError(
            "proposal_has_versions", _("A proposal that was submitted is kept."), kind=ErrorKind.CONFLICT
        )
    audit_record(actor=actor, action="proposal.delete", obj=proposal, from_state=proposal.status)
    files = [s.analysis_file for s in MarketSurvey.objects.filter(proposal=proposal).exclude(analysis_file="")]
    proposal.delete()
    for file in files:
        if file.name:
            _delete_after_commit(file.storage, file.name)


def _delete_after_commit(storage: Storage, name: str) -> None:
    """Remove a stored file once the transaction that stopped needing it has committed."""
    transaction.on_commit(lambda: storage.delete(name))


def not_ready_message(problems: list[Problem]) -> str:
    # words only (issue 17): the first problem's rule ID travels in the error's ``rule``
    listed = "; ".join(str(p.message) for p in problems)
    return _("The proposal is not ready to submit: %(problems)s") % {"problems": listed}


@transaction.atomic
def proposal_submit(*, actor: User, proposal: Proposal) -> ProposalVersion:
    """Run every rule again on the server (the same ``proposal_readiness`` as the page); refuse
    with the list, or freeze a version and move the proposal on (R-WF-1): a draft to submitted, a
    returned proposal back to the step that returned it (R-WF-3). The transition table decides."""
    from courses.services.workflow import proposal_transition

    proposal = locked(proposal)
    require(actor, "courses.submit_proposal", proposal)
    action = "resubmit" if proposal.status == ProposalStatus.RETURNED else "submit"
    proposal_transition(actor=actor, proposal=proposal, action=action)
    return proposal.versions.order_by("-number").first()  # type: ignore[return-value]

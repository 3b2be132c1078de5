"""What the proposal editor shows, computed once for the page, the live preview and a refused
save: the form, the rows, the totals and the readiness list (``readiness_report``)."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import UNCHECKED, Unchecked
from courses.choices import AssessmentKind, AssessmentMethod, MQFLevel, ProposalKind
from courses.forms import (
    DesignRows,
    ProposalForm,
    attach_problems,
    blank_rows,
    number_rows,
    parse,
    rows_from_data,
    rows_from_post,
)
from courses.models import MarketSurvey, ProgrammeCourse, Proposal
from courses.policies import (
    REVIEW_STEP,
    STEPS,
    Problem,
    ProposalData,
    Readiness,
    assessment_split,
    count_by_step,
    credit_match,
    field_set,
    is_above_sbl,
    is_sbl,
    page_field,
    plain,
    readiness_report,
)
from courses.selectors import code_suggestion, proposal_data, proposal_snapshot
from policy.api import policy_in_force
from policy.choices import Activity
from policy.data import PolicyData

# The scalar fields the form maps one to one onto ProposalData.
_PLAIN = (
    "kind",
    "title",
    "code",
    "part_credits",
    "justification",
    "objectives",
    "entry_requirements",
    "synopsis",
    "study_session",
    "offer_start",
    "offer_end",
    "course_level",
    "learner_commitment",
    "promotion",
    "continuous_improvement",
    "fee",
    "delivery_mode",
    "ptg_reference",
    "survey_respondents",
)


@dataclass
class Editor:
    proposal: Proposal
    form: ProposalForm
    rows: DesignRows
    data: ProposalData
    valid: bool  # every entry parsed; the data may be saved
    input_problems: list[Problem] = field(default_factory=list)  # entries that did not parse
    # when the draft shown was saved (the form's ``saved_at``): a later save by someone else is a
    # conflict, not an overwrite (issue 12's lost updates)
    expected_saved_at: datetime | str | Unchecked = UNCHECKED


def _initial(proposal: Proposal, data: ProposalData) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(data, name) for name in _PLAIN}
    if data.origin_programme_id is not None and data.origin_course_id is not None:
        initial["origin"] = (
            ProgrammeCourse.objects.filter(programme_id=data.origin_programme_id, course_id=data.origin_course_id)
            .values_list("pk", flat=True)
            .first()
        )
    initial["lecturers"] = list(data.lecturer_ids)
    initial["co_developers"] = list(data.co_developer_ids)
    return initial


def editor_for(proposal: Proposal) -> Editor:
    """The editor for the proposal as saved."""
    data = proposal_data(proposal)
    form = ProposalForm(initial=_initial(proposal, data), owner_id=proposal.created_by_id)
    return Editor(proposal, form, rows_from_data(data), data, valid=True)


def editor_from_post(proposal: Proposal, post: QueryDict) -> Editor:
    """The editor as typed; ``data`` holds every entry that parsed."""
    form = ProposalForm(post, owner_id=proposal.created_by_id)
    form_valid = form.is_valid()
    rows = rows_from_post(post)
    design = parse(rows)
    cleaned = form.cleaned_data
    programme_id, course_id = form.origin_ids()
    plain: dict[str, Any] = {name: cleaned[name] for name in _PLAIN if cleaned.get(name) is not None}
    data = ProposalData(
        **{"kind": proposal.kind, **plain},
        origin_programme_id=programme_id,
        origin_course_id=course_id,
        lecturer_ids=tuple(sorted(u.pk for u in cleaned.get("lecturers", []))),
        co_developer_ids=tuple(sorted(u.pk for u in cleaned.get("co_developers", []))),
        clos=design.clos,
        units=design.units,
        components=design.components,
    )
    problems = [
        Problem("input", "invalid", f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}", name)
        for name, errors in form.errors.items()
        if name in form.fields
    ]
    problems += _row_problems(rows)
    return Editor(
        proposal,
        form,
        rows,
        data,
        valid=form_valid and design.valid,
        input_problems=problems,
        expected_saved_at=_saved_at(post.get("saved_at", "")),
    )


def _saved_at(raw: str) -> datetime | str | Unchecked:
    """The form's ``saved_at``; left out, not checked; unreadable, kept as typed (it matches no
    save, so the save is refused as stale rather than overwriting)."""
    if not raw:
        return UNCHECKED
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return raw


def _row_problems(rows: DesignRows) -> list[Problem]:
    found = []
    for i, clo in enumerate(rows.clos):
        found += [Problem("input", "invalid", f"CLO{i + 1}: {m}", f"clos[{i}].{n}") for n, m in clo.errors.items()]
    for u, unit in enumerate(rows.units):
        for n, line in enumerate(unit.lines):
            label = _("Unit %(unit)s, line %(line)s") % {"unit": u + 1, "line": n + 1}
            found += [
                Problem("input", "invalid", f"{label}: {m}", f"units[{u}].lines[{n}].{name}")
                for name, m in line.errors.items()
            ]
    for i, comp in enumerate(rows.components):
        label = _("Component %(number)s") % {"number": i + 1}
        found += [Problem("input", "invalid", f"{label}: {m}", f"components[{i}].{n}") for n, m in comp.errors.items()]
    return found


def show_problems(editor: Editor, problems: list[Problem]) -> None:
    """Mark input the service refused on the rows and fields it is about. (The readiness list
    names them already: ``readiness_report`` runs the same ``input_problems``.)"""
    for problem in attach_problems(editor.rows, problems):
        name = page_field(problem.field)
        if name in editor.form.fields:
            editor.form.add_error(name, problem.message)
        else:
            editor.rows.errors.append(problem.message)


def field_sets_json() -> str:
    """R-AF-1 / R-AF-2: which fields each type shows, for the page's script."""
    return json.dumps({kind: list(field_set(kind)) for kind in ProposalKind.values})


def rates_json(policy: PolicyData) -> dict[str, dict[str, Any]]:
    """The policy's rate ranges for the page's script (R-SLT-2: default to the midpoint)."""
    return {
        r.activity: {
            "min": plain(r.min_minutes),
            "max": plain(r.max_minutes),
            "mid": plain(r.midpoint),
            "unit": r.unit,
            "assessment": r.is_assessment,
        }
        for r in policy.slt_rates
    }


def live_context(editor: Editor, policy: PolicyData) -> dict[str, Any]:
    """Totals, readiness and hints: the parts of the page the live preview replaces."""
    proposal, data = editor.proposal, editor.data
    snapshot = proposal_snapshot(proposal, data)
    report: Readiness = readiness_report(snapshot, policy)
    totals = report.totals
    share = totals.online_share_pct
    blocking = [*editor.input_problems, *report.blocking]
    course = snapshot.origin_course
    suggestion = code_suggestion(
        kind=data.kind, origin_course_id=data.origin_course_id, part_credits=data.part_credits, exclude_pk=proposal.pk
    )
    return {
        "report": report,
        "totals": totals,
        "blocking": blocking,
        "warnings": report.warnings,
        "ready": not blocking and editor.valid,
        "step_counts": count_by_step(blocking),
        "split": assessment_split(data.components),
        "assessment_problems": [p for p in report.problems if p.rule_id.startswith("R-AS")],
        "online_share": share,
        "sbl": is_sbl(data.delivery_mode, share, policy),
        "above_sbl": is_above_sbl(data.delivery_mode, share, policy),
        "policy": policy,
        "is_mpu": bool(course and course.is_mpu),
        "credit_match": (
            credit_match(totals, course.credits, policy) if course and data.kind == ProposalKind.CAT1_WHOLE else None
        ),
        "submit_url": reverse("proposal-submit", args=[proposal.pk]),
        "suggested_code": "" if suggestion == data.code.strip().upper() else suggestion,
    }


def step_bar(counts: dict[str, int], current: str, shown: set[str]) -> list[dict[str, Any]]:
    """The editor's steps, each with its number, its count of unmet rules (the last step: all of
    them), whether it is the one shown, and its neighbours (issue 17)."""
    steps: list[dict[str, Any]] = [
        {
            "key": s.key,
            "label": s.label,
            "number": n,
            "count": sum(counts.values()) if s.key == REVIEW_STEP else counts[s.key],
            "last": s.key == REVIEW_STEP,
            "current": s.key == current,
            "skipped": s.key == "survey" and "market_survey" not in shown,
        }
        for n, s in enumerate(STEPS, start=1)
    ]
    for before, after in itertools.pairwise(steps):
        before["next"], after["previous"] = after, before
    return steps


def page_context(request: HttpRequest, editor: Editor, *, step: str, error: Any = None) -> dict[str, Any]:
    policy = policy_in_force()
    editor.form.use_policy(policy)
    proposal = editor.proposal
    try:
        survey: MarketSurvey | None = proposal.market_survey
    except MarketSurvey.DoesNotExist:
        survey = None
    live = live_context(editor, policy)
    shown = set(field_set(editor.data.kind))
    steps = step_bar(live["step_counts"], step, shown)
    return {
        **live,
        "step": step,
        "steps": steps,
        "step_by_key": {s["key"]: s for s in steps},
        "units": list(zip(number_rows(editor.rows).units, live["totals"].units, strict=True)),
        "blank": blank_rows(),
        "proposal": proposal,
        "saved_at": proposal.updated_at.isoformat(),
        "form": editor.form,
        "rows": editor.rows,
        "editable": request.user.has_perm("courses.change_proposal", proposal),
        "shown": shown,
        "field_sets": field_sets_json(),
        "rates": rates_json(policy),
        "activities": [(r.activity, Activity(r.activity).label, r.is_assessment) for r in policy.slt_rates],
        "survey": survey,
        "error": error,
        "mqf_levels": MQFLevel.choices,
        "methods": AssessmentMethod.choices,
        "assessment_kinds": AssessmentKind.choices,
        "unit_choices": editor.rows.unit_choices(),
        "clo_choices": editor.rows.clo_choices(),
        "upload_limit_mb": round(settings.MCPORTAL_UPLOAD_MAX_BYTES / 1_048_576, 1),
        "preview_url": reverse("proposal-preview", args=[proposal.pk]),
    }

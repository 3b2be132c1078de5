"""``proposal_readiness``: every rule a proposal still breaks. The page's readiness panel, the API
and ``proposal_submit`` all call it, so they list the same problems. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.choices import ACCREDITED_KINDS, STANDALONE_KINDS, ProposalKind
from courses.policies.assessment import assessment_problems
from courses.policies.data import Problem, ProposalSnapshot, UnitData
from courses.policies.inputs import input_problems
from courses.policies.naming import code_problems, part_credit_problems, title_problems
from courses.policies.slt import (
    SLTTotals,
    credit_match,
    is_above_sbl,
    is_sbl,
    line_problems,
    plain,
    rate_problem,
    slt_totals,
)
from policy.data import PolicyData

# R-AF-1 / R-AF-2: the fields of each application form. The page shows a type's set and no other.
_COMMON = (
    "justification",
    "entry_requirements",
    "synopsis",
    "lecturers",
    "clos",
    "study_session",
    "units",
    "offer_period",
    "course_level",
    "learner_commitment",
    "components",
    "promotion",
    "continuous_improvement",
    "fee",
)
ACCREDITED_FIELDS = ("origin", *_COMMON)  # R-AF-1
STANDALONE_FIELDS = ("market_survey", "objectives", *_COMMON)  # R-AF-2


def field_set(kind: str) -> tuple[str, ...]:
    if kind == ProposalKind.CAT1_PART:
        return (*ACCREDITED_FIELDS, "part_credits")
    return ACCREDITED_FIELDS if kind in ACCREDITED_KINDS else STANDALONE_FIELDS


def form_rule(kind: str) -> str:
    return "R-AF-1" if kind in ACCREDITED_KINDS else "R-AF-2"


# Text fields that must be filled before submission, with their labels.
REQUIRED_TEXT: tuple[tuple[str, Promise], ...] = (
    ("justification", gettext_lazy("justification")),
    ("entry_requirements", gettext_lazy("entry requirements")),
    ("synopsis", gettext_lazy("synopsis")),
    ("study_session", gettext_lazy("study session")),
    ("learner_commitment", gettext_lazy("learner commitment")),
    ("promotion", gettext_lazy("promotion")),
    ("continuous_improvement", gettext_lazy("continuous improvement")),
)


def _required(rule: str, field: str, label: str | Promise) -> Problem:
    return Problem(rule, "field_required", _("Fill in the %(field)s.") % {"field": label}, field)


def form_problems(snapshot: ProposalSnapshot) -> list[Problem]:
    """R-AF-1 / R-AF-2: the form's fields are filled."""
    data, rule = snapshot.data, form_rule(snapshot.data.kind)
    problems = [_required(rule, name, label) for name, label in REQUIRED_TEXT if not getattr(data, name).strip()]
    if not data.lecturer_ids:
        problems.append(
            Problem(rule, "lecturers_required", _("Name at least one lecturer who delivers it."), "lecturers")
        )
    if data.offer_start is None:
        problems.append(_required(rule, "offer_start", _("start of the offer period")))
    if data.offer_end is None:
        problems.append(_required(rule, "offer_end", _("end of the offer period")))
    if data.course_level is None:
        problems.append(_required(rule, "course_level", _("course level")))
    if data.fee is None:
        problems.append(_required(rule, "fee", _("fee (MYR; 0 for free)")))
    return problems


def origin_problems(snapshot: ProposalSnapshot) -> list[Problem]:
    """R-CAT-1: a Category 1 MC comes from an accredited course of a programme; R-NM-3 for parts."""
    data = snapshot.data
    if data.kind not in ACCREDITED_KINDS:
        return []
    if snapshot.origin_programme is None or snapshot.origin_course is None:
        return [
            Problem(
                "R-CAT-1",
                "origin_required",
                _("Choose the accredited course (and its programme) this micro-credential comes from."),
                "origin_course",
            )
        ]
    if data.kind == ProposalKind.CAT1_PART:
        return part_credit_problems(data.part_credits, snapshot.origin_course.credits, snapshot.other_part_credits)
    return []


def survey_problems(snapshot: ProposalSnapshot, policy: PolicyData) -> list[Problem]:
    """R-AF-3: a SAMC's market survey has enough respondents and its analysis attached."""
    if snapshot.data.kind not in STANDALONE_KINDS:
        return []
    problems = []
    respondents = snapshot.data.survey_respondents or 0
    minimum = policy.market_survey_min_respondents
    if respondents < minimum:
        problems.append(
            Problem(
                "R-AF-3",
                "survey_too_few_respondents",
                _("The market survey has %(count)s respondents; a SAMC needs at least %(min)s.")
                % {"count": respondents, "min": minimum},
                "survey_respondents",
            )
        )
    if not snapshot.survey_file_present:
        problems.append(
            Problem(
                "R-AF-3",
                "survey_file_missing",
                _("Attach the analysis of the market survey (PDF, XLSX or CSV)."),
                "survey_file",
            )
        )
    return problems


def _clo_missing(number: int) -> dict[str, str]:
    """What each blank part of CLO ``number`` asks for, keyed by the part's field (R-AF-4)."""
    n = {"number": number}
    return {
        "verb": _("CLO%(number)s needs an action verb, such as “explain” or “design”.") % n,
        "outcome": _("CLO%(number)s needs its content: what the learner will be able to do.") % n,
        "criteria": _("CLO%(number)s needs performance criteria: how well the learner must do it.") % n,
        "conditions": _("CLO%(number)s needs conditions: what the learner is given or works with.") % n,
        "mqf_level": _("CLO%(number)s needs an MQF level.") % n,
        "effort_hours": _("CLO%(number)s needs the learning effort in hours.") % n,
    }


def clo_problems(snapshot: ProposalSnapshot) -> list[Problem]:
    """R-AF-4: outcomes with an action verb, performance criteria, conditions, MQF level and
    effort. Each missing part is its own problem, pointing at its field; an outcome with no part
    at all is one problem."""
    clos = snapshot.data.clos
    if not clos:
        return [Problem("R-AF-4", "clos_required", _("Add the course learning outcomes."), "clos")]
    problems = []
    for index, clo in enumerate(clos):
        present = {
            "verb": clo.verb.strip(),
            "outcome": clo.outcome.strip(),
            "criteria": clo.criteria.strip(),
            "conditions": clo.conditions.strip(),
            "mqf_level": clo.mqf_level,
            "effort_hours": clo.effort_hours,
        }
        if not any(present.values()):
            message = _("CLO%(number)s is empty: write its parts, or remove it.") % {"number": index + 1}
            problems.append(Problem("R-AF-4", "clo_empty", message, f"clos[{index}]"))
            continue
        asks = _clo_missing(index + 1)
        problems += [
            Problem("R-AF-4", "clo_incomplete", asks[name], f"clos[{index}].{name}")
            for name, value in present.items()
            if not value
        ]
    return problems


def valid_units(units: Sequence[UnitData], policy: PolicyData) -> tuple[UnitData, ...]:
    """The units with only their valid lines (known activity, sane quantity, rate in range): the
    totals never count a line that a save would refuse."""
    return tuple(
        UnitData(u.title, tuple(line for line in u.lines if not line_problems(line, policy, ""))) for u in units
    )


def table4_problems(snapshot: ProposalSnapshot, totals: SLTTotals, policy: PolicyData) -> list[Problem]:
    """R-SLT-1: Table 4 has units with lines; R-SLT-2: every rate in range (a draft keeps an
    out-of-range rate as typed; submission waits for it); R-SLT-3: the credit value matches."""
    data = snapshot.data
    if not data.units:
        return [Problem("R-SLT-1", "table4_empty", _("Add the learning units of Table 4."), "units")]
    problems = [
        Problem("R-SLT-1", "unit_empty", _("Unit %(number)s has no lines.") % {"number": n}, f"units[{n - 1}]")
        for n, unit in enumerate(data.units, start=1)
        if not unit.lines
    ]
    for u, unit in enumerate(data.units):
        for n, line in enumerate(unit.lines):
            rate = rate_problem(line.activity, line.rate_minutes, policy, f"units[{u}].lines[{n}].rate_minutes")
            if rate is not None and rate.code == "slt_rate_out_of_range":
                problems.append(rate)
    course = snapshot.origin_course
    if course is None or data.kind not in ACCREDITED_KINDS:
        return problems
    whole = data.kind == ProposalKind.CAT1_WHOLE
    credits = course.credits if whole else data.part_credits
    if not credits:
        return problems
    match = credit_match(totals, credits, policy)
    if not match.within:
        problems.append(
            Problem(
                "R-SLT-3",
                "slt_credit_mismatch",
                _(
                    "Table 4 totals %(actual)s hours; %(credits)s credits need %(expected)s hours "
                    "(%(low)s-%(high)s within the tolerance)."
                )
                % {
                    "actual": plain(round(match.actual_hours, 1)),
                    "credits": credits,
                    "expected": plain(match.expected_hours),
                    "low": plain(match.low_hours),
                    "high": plain(match.high_hours),
                },
                "units",
                # Only a whole course must match (R-SLT-3); a part gets a warning.
                blocking=whole,
            )
        )
    return problems


def delivery_problems(snapshot: ProposalSnapshot, totals: SLTTotals, policy: PolicyData) -> list[Problem]:
    """R-WF-6 / R-SLT-4: the mode is chosen; SBL needs a PTG reference; conventional stays within SBL."""
    data = snapshot.data
    if not data.delivery_mode:
        return [Problem("R-WF-6", "delivery_mode_required", _("Choose the delivery mode."), "delivery_mode")]
    share = totals.online_share_pct
    if is_sbl(data.delivery_mode, share, policy) and not data.ptg_reference.strip():
        return [
            Problem(
                "R-WF-6",
                "sbl_needs_ptg",
                _(
                    "%(share)s%% of the SLT is online: a conventional course this online is Substitute "
                    "Blended Learning and needs its PTG application reference."
                )
                % {"share": share},
                "ptg_reference",
            )
        ]
    if is_above_sbl(data.delivery_mode, share, policy):
        return [
            Problem(
                "R-SLT-4",
                "online_share_above_sbl",
                _(
                    "%(share)s%% of the SLT is online, above the %(max)s%% a conventional course may have; choose ODL or blended."
                )
                % {"share": share, "max": policy.sbl_online_max_pct},
                "delivery_mode",
            )
        ]
    return []


@dataclass(frozen=True)
class Readiness:
    problems: tuple[Problem, ...]
    totals: SLTTotals

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.blocking)

    @property
    def ready(self) -> bool:
        return not self.blocking


def proposal_readiness(snapshot: ProposalSnapshot, policy: PolicyData) -> list[Problem]:
    """Every rule the proposal still breaks, blocking ones and warnings, in the order of the page."""
    return list(readiness_report(snapshot, policy).problems)


def readiness_report(snapshot: ProposalSnapshot, policy: PolicyData) -> Readiness:
    data = snapshot.data
    totals = slt_totals(valid_units(data.units, policy), policy)
    origin_code = snapshot.origin_course.code if snapshot.origin_course else None
    problems = [
        *input_problems(snapshot, policy),
        *origin_problems(snapshot),
        *code_problems(data.kind, data.code, origin_code, data.part_credits),
        *title_problems(data.title),
        *form_problems(snapshot),
        *survey_problems(snapshot, policy),
        *clo_problems(snapshot),
        *table4_problems(snapshot, totals, policy),
        *delivery_problems(snapshot, totals, policy),
        *assessment_problems(data.clos, data.units, data.components, policy),
    ]
    return Readiness(tuple(problems), totals)

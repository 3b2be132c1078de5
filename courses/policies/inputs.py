"""Input refused on every save, drafts included: values out of bounds, rates outside the policy
range (R-SLT-2), retakes of non-quizzes (R-AS-4), a Foundation origin (R-CAT-5), a qualification's
name as title (R-NM-1), a code in use (R-NM-2). Everything else waits for submission
(``readiness``). Pure."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from courses.choices import DeliveryMode, MQFLevel, ProposalKind
from courses.policies import limits
from courses.policies.assessment import component_problems
from courses.policies.data import TEXT_FIELDS, CLOData, Problem, ProposalData, ProposalSnapshot
from courses.policies.naming import code_taken_problem, qualification_name_problems
from courses.policies.slt import line_save_problems
from policy.data import PolicyData

# field -> maximum characters
_SHORT_TEXT = {"title": 250, "code": 20, "study_session": 60, "ptg_reference": 60}


def _bad(code: str, message: str, field: str, rule_id: str = "input") -> Problem:
    return Problem(rule_id, code, message, field)


def _too_long(field: str, limit: int) -> Problem:
    return _bad("too_long", _("At most %(limit)s characters.") % {"limit": limit}, field)


def _too_many(field: str, limit: int) -> Problem:
    return _bad("too_many", _("At most %(limit)s entries.") % {"limit": limit}, field)


def scalar_problems(data: ProposalData) -> list[Problem]:
    problems = []
    if data.kind not in ProposalKind.values:
        problems.append(_bad("kind_unknown", _("Choose a category and type."), "kind", "R-CAT-4"))
    for field, limit in _SHORT_TEXT.items():
        if len(getattr(data, field)) > limit:
            problems.append(_too_long(field, limit))
    problems += [
        _too_long(field, limits.TEXT_MAX) for field in TEXT_FIELDS if len(getattr(data, field)) > limits.TEXT_MAX
    ]
    if data.delivery_mode and data.delivery_mode not in DeliveryMode.values:
        problems.append(_bad("delivery_mode_unknown", _("Choose ODL, conventional or blended."), "delivery_mode"))
    if data.course_level is not None and data.course_level not in MQFLevel.values:
        problems.append(_bad("course_level_unknown", _("Choose an MQF level from 1 to 8."), "course_level"))
    if data.part_credits is not None and not 1 <= data.part_credits <= 9:
        problems.append(
            _bad(
                "part_credits_range", _("A part has 1 to 9 credits (one digit of its code)."), "part_credits", "R-NM-3"
            )
        )
    if data.fee is not None and not (
        Decimal(0) <= data.fee <= limits.FEE_MAX and data.fee == data.fee.quantize(Decimal("0.01"))
    ):
        problems.append(
            _bad("fee_range", _("A fee in MYR from 0.00 to %(max)s, in sen.") % {"max": limits.FEE_MAX}, "fee")
        )
    if data.survey_respondents is not None and not 0 <= data.survey_respondents <= limits.RESPONDENTS_MAX:
        problems.append(
            _bad("survey_respondents_range", _("A number of respondents, 0 or more."), "survey_respondents", "R-AF-3")
        )
    if data.offer_start and data.offer_end and data.offer_end < data.offer_start:
        problems.append(_bad("offer_period_order", _("The offer period ends before it starts."), "offer_end"))
    return problems


def clo_input_problems(clo: CLOData, index: int) -> list[Problem]:
    prefix = f"clos[{index}]"
    problems = []
    if len(clo.verb) > 60:
        message = _("An action verb is a word or two, such as “explain”: at most %(limit)s characters.") % {"limit": 60}
        problems.append(_bad("too_long", message, f"{prefix}.verb"))
    problems += [
        _too_long(f"{prefix}.{name}", limits.TEXT_MAX)
        for name in ("outcome", "criteria", "conditions")
        if len(getattr(clo, name)) > limits.TEXT_MAX
    ]
    if clo.mqf_level is not None and clo.mqf_level not in MQFLevel.values:
        problems.append(
            _bad("clo_mqf_level_unknown", _("Choose an MQF level from 1 to 8."), f"{prefix}.mqf_level", "R-AF-4")
        )
    if clo.effort_hours is not None and not 1 <= clo.effort_hours <= limits.EFFORT_HOURS_MAX:
        problems.append(
            _bad(
                "clo_effort_range",
                _("Learning effort is a whole number of hours from 1 to %(max)s.") % {"max": limits.EFFORT_HOURS_MAX},
                f"{prefix}.effort_hours",
                "R-AF-4",
            )
        )
    return problems


def design_problems(data: ProposalData, policy: PolicyData) -> list[Problem]:
    problems = []
    for field, items, limit in (
        ("clos", data.clos, limits.MAX_CLOS),
        ("units", data.units, limits.MAX_UNITS),
        ("components", data.components, limits.MAX_COMPONENTS),
    ):
        if len(items) > limit:
            problems.append(_too_many(field, limit))
    for index, clo in enumerate(data.clos):
        problems += clo_input_problems(clo, index)
    for u, unit in enumerate(data.units):
        if len(unit.title) > 200:
            problems.append(_too_long(f"units[{u}].title", 200))
        if len(unit.lines) > limits.MAX_LINES_PER_UNIT:
            problems.append(_too_many(f"units[{u}].lines", limits.MAX_LINES_PER_UNIT))
        for n, line in enumerate(unit.lines):
            problems += line_save_problems(line, policy, f"units[{u}].lines[{n}]")
    for index, component in enumerate(data.components):
        if len(component.title) > 200:
            problems.append(_too_long(f"components[{index}].title", 200))
        problems += component_problems(component, index, clo_count=len(data.clos), unit_count=len(data.units))
    return problems


def origin_input_problems(snapshot: ProposalSnapshot) -> list[Problem]:
    """R-CAT-5: never from a Foundation programme; R-CAT-1: the course belongs to the programme."""
    problems = []
    if snapshot.origin_programme is not None and snapshot.origin_programme.is_foundation:
        problems.append(
            _bad(
                "origin_foundation",
                _("Micro-credentials cannot be made from Foundation programmes."),
                "origin_programme",
                "R-CAT-5",
            )
        )
    if snapshot.origin_programme and snapshot.origin_course and not snapshot.course_in_programme:
        problems.append(
            _bad(
                "origin_course_not_in_programme",
                _("%(course)s is not a course of %(programme)s.")
                % {"course": snapshot.origin_course.code, "programme": snapshot.origin_programme.code},
                "origin_course",
                "R-CAT-1",
            )
        )
    return problems


def input_problems(snapshot: ProposalSnapshot, policy: PolicyData) -> list[Problem]:
    """Everything a save refuses; empty means the draft may be saved."""
    data = snapshot.data
    problems = scalar_problems(data) + origin_input_problems(snapshot) + design_problems(data, policy)
    problems += qualification_name_problems(data.title, snapshot.qualification_names)
    if snapshot.code_taken and data.code:
        problems.append(code_taken_problem(data.code))
    return problems

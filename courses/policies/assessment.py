"""The assessment plan (R-AS-1..5). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from courses.choices import RETAKE_METHODS, AssessmentKind, AssessmentMethod
from courses.policies.data import CLOData, ComponentData, Problem, UnitData
from policy.data import PolicyData


@dataclass(frozen=True)
class AssessmentSplit:
    """R-AS-5: the MMS states formative (continuous) % and summative (final) %."""

    continuous_pct: int
    final_pct: int

    @property
    def total_pct(self) -> int:
        return self.continuous_pct + self.final_pct


def assessment_split(components: Sequence[ComponentData]) -> AssessmentSplit:
    return AssessmentSplit(
        continuous_pct=sum(c.weight for c in components if c.kind == AssessmentKind.CONTINUOUS),
        final_pct=sum(c.weight for c in components if c.kind == AssessmentKind.FINAL),
    )


def component_problems(component: ComponentData, index: int, *, clo_count: int, unit_count: int) -> list[Problem]:
    """Input refused on every save: known method and kind, a whole weight 1-100, retakes only for
    quizzes (R-AS-4), and references to CLOs and units that exist."""
    prefix = f"components[{index}]"
    problems = []
    if component.method not in AssessmentMethod.values:
        problems.append(Problem("R-AS-1", "assessment_method_unknown", _("Choose a method."), f"{prefix}.method"))
    if component.kind not in AssessmentKind.values:
        problems.append(
            Problem("R-AS-1", "assessment_kind_unknown", _("Choose continuous or final."), f"{prefix}.kind")
        )
    if not 1 <= component.weight <= 100:
        problems.append(
            Problem(
                "R-AS-1",
                "assessment_weight_range",
                _("A weight is a whole percentage from 1 to 100."),
                f"{prefix}.weight",
            )
        )
    if component.retake_allowed and component.method not in RETAKE_METHODS:
        problems.append(
            Problem(
                "R-AS-4",
                "assessment_retake_not_quiz",
                _("Only online quizzes may be retaken."),
                f"{prefix}.retake_allowed",
            )
        )
    if component.unit is not None and not 1 <= component.unit <= unit_count:
        problems.append(
            Problem(
                "R-AS-3",
                "assessment_unit_unknown",
                _("Unit %(number)s does not exist.") % {"number": component.unit},
                f"{prefix}.unit",
            )
        )
    unknown = [n for n in component.clos if not 1 <= n <= clo_count]
    if unknown or len(set(component.clos)) != len(component.clos):
        problems.append(
            Problem(
                "R-AS-2",
                "assessment_clo_unknown",
                _("Map the component to existing CLOs, each once."),
                f"{prefix}.clos",
            )
        )
    return problems


def assessment_problems(
    clos: Sequence[CLOData],
    units: Sequence[UnitData],
    components: Sequence[ComponentData],
    policy: PolicyData,
) -> list[Problem]:
    """R-AS-1..3, checked before submission."""
    if not components:
        return [Problem("R-AS-1", "assessment_empty", _("Add the components of the assessment plan."), "components")]
    problems = []
    split = assessment_split(components)
    if split.total_pct != 100:
        problems.append(
            Problem(
                "R-AS-1",
                "assessment_weights_sum",
                _("The weights add up to %(total)s%%; they must add up to exactly 100%%.") % {"total": split.total_pct},
                "components",
            )
        )
    if not split.continuous_pct or not split.final_pct:
        problems.append(
            Problem(
                "R-AS-1",
                "assessment_kinds_missing",
                _("The plan needs both continuous and final components."),
                "components",
            )
        )
    for index, component in enumerate(components):
        if not component.clos:
            problems.append(
                Problem(
                    "R-AS-2",
                    "component_without_clo",
                    _("Component %(number)s is not mapped to any CLO.") % {"number": index + 1},
                    f"components[{index}].clos",
                )
            )
    assessed = {n for c in components for n in c.clos}
    for number in range(1, len(clos) + 1):
        if number not in assessed:
            problems.append(
                Problem(
                    "R-AS-2",
                    "clo_not_assessed",
                    _("CLO%(number)s is not assessed by any component.") % {"number": number},
                    f"clos[{number - 1}]",
                )
            )
    problems.extend(unit_assessment_problems(units, components, policy))
    return problems


def unit_assessment_problems(
    units: Sequence[UnitData], components: Sequence[ComponentData], policy: PolicyData
) -> list[Problem]:
    """R-AS-3 (interpretation): a unit is assessed when a component is set in it or its Table 4 has
    an assessment line (counted in the marks or not)."""
    assessed_units = {c.unit for c in components if c.unit is not None}
    problems = []
    for number, unit in enumerate(units, start=1):
        has_line = any(_is_assessment(line.activity, policy) for line in unit.lines)
        if number not in assessed_units and not has_line:
            problems.append(
                Problem(
                    "R-AS-3",
                    "unit_without_assessment",
                    _("Unit %(number)s has no assessment.") % {"number": number},
                    f"units[{number - 1}]",
                )
            )
    return problems


def _is_assessment(activity: str, policy: PolicyData) -> bool:
    try:
        return policy.slt_rate(activity).is_assessment
    except KeyError:
        return False

"""Writing a proposal's design (CLOs, Table 4, assessment plan) as a whole: the rows are replaced
in a handful of bulk queries; references between them are by position (Unit 1, CLO2)."""

from __future__ import annotations

from courses.models import AssessmentComponent, CourseLearningOutcome, LearningUnit, Proposal, Table4Line
from courses.policies import ProposalData


def design_replace(*, proposal: Proposal, data: ProposalData) -> None:
    """Replace the proposal's CLOs, units, lines and components with ``data``'s. Call inside the
    caller's transaction, after ``input_problems`` passed."""
    AssessmentComponent.objects.filter(proposal=proposal).delete()
    Table4Line.objects.filter(unit__proposal=proposal).delete()
    LearningUnit.objects.filter(proposal=proposal).delete()
    CourseLearningOutcome.objects.filter(proposal=proposal).delete()

    clos = CourseLearningOutcome.objects.bulk_create(
        CourseLearningOutcome(
            proposal=proposal,
            position=n,
            verb=c.verb,
            outcome=c.outcome,
            criteria=c.criteria,
            conditions=c.conditions,
            mqf_level=c.mqf_level,
            effort_hours=c.effort_hours,
        )
        for n, c in enumerate(data.clos)
    )
    units = LearningUnit.objects.bulk_create(
        LearningUnit(proposal=proposal, position=n, title=u.title) for n, u in enumerate(data.units)
    )
    Table4Line.objects.bulk_create(
        Table4Line(
            unit=unit,
            position=n,
            activity=line.activity,
            quantity=line.quantity,
            rate_minutes=line.rate_minutes,
            is_online=line.is_online,
        )
        for unit, unit_data in zip(units, data.units, strict=True)
        for n, line in enumerate(unit_data.lines)
    )
    components = AssessmentComponent.objects.bulk_create(
        AssessmentComponent(
            proposal=proposal,
            position=n,
            title=c.title,
            method=c.method,
            kind=c.kind,
            weight=c.weight,
            unit=units[c.unit - 1] if c.unit else None,
            retake_allowed=c.retake_allowed,
        )
        for n, c in enumerate(data.components)
    )
    through = AssessmentComponent.clos.through
    through.objects.bulk_create(
        through(assessmentcomponent_id=component.pk, courselearningoutcome_id=clos[number - 1].pk)
        for component, c in zip(components, data.components, strict=True)
        for number in c.clos
    )

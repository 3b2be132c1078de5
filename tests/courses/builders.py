"""Complete, rule-abiding proposals as plain values, for the pure tests and the service tests."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from courses.choices import AssessmentKind, AssessmentMethod, DeliveryMode, ProposalKind
from courses.policies import (
    CLOData,
    ComponentData,
    CourseFacts,
    LineData,
    ProgrammeFacts,
    ProposalData,
    ProposalSnapshot,
    UnitData,
)

D = Decimal

# 3380 + 3240 = 6620 SLT minutes = 110h 20m: within 10% of 3 credits x 40 h (R-SLT-3).
UNITS = (
    UnitData(
        "Computers and their parts",
        (
            LineData("slide", 200, D("7.5"), True),
            LineData("video", 300, D("3.5"), True),
            LineData("reading", 100, D("7.5")),
            LineData("quiz", 20, D("4"), True),
        ),
    ),
    UnitData(
        "Networks and the internet",
        (
            LineData("lecture", 600, D("3.5")),
            LineData("reading", 100, D("7.5")),
            LineData("assignment_essay", 5, D("60")),
            LineData("exam_long", 6, D("15")),
        ),
    ),
)
CLOS = (
    CLOData("Explain", "the parts of a computer", "correctly, in writing", "given a diagram", 6, 40),
    CLOData("Compare", "network technologies", "with three criteria", "in a short essay", 6, 70),
)
COMPONENTS = (
    ComponentData(AssessmentMethod.QUIZ, AssessmentKind.CONTINUOUS, 30, "Quiz", 1, (1,), True),
    ComponentData(AssessmentMethod.FORUM, AssessmentKind.CONTINUOUS, 20, "Forum", 2, (2,)),
    ComponentData(AssessmentMethod.ASSIGNMENT_ESSAY, AssessmentKind.FINAL, 50, "Essay", 2, (1, 2)),
)


def ready_data(kind: str = ProposalKind.CAT1_WHOLE, **overrides) -> ProposalData:
    standalone = kind in (ProposalKind.CAT3_SAMC, ProposalKind.CAT3_QVC)
    values = {
        "kind": kind,
        "title": "Micro-Credential in Introduction to Computer Technologies",
        "code": {
            ProposalKind.CAT1_WHOLE: "TMUI233MC",
            ProposalKind.CAT1_PART: "TMN4031MCA",
            ProposalKind.CAT3_SAMC: "MC001",
            ProposalKind.CAT3_QVC: "MCV001",
        }[ProposalKind(kind)],
        "part_credits": 1 if kind == ProposalKind.CAT1_PART else None,
        "justification": "Industry asks for it.",
        "objectives": "Learners can talk about computers." if standalone else "",
        "entry_requirements": "SPM or equivalent.",
        "synopsis": "Computers, networks and the internet.",
        "study_session": "2026/2027 Semester 1",
        "offer_start": date(2026, 9, 1),
        "offer_end": date(2026, 12, 31),
        "course_level": 6,
        "learner_commitment": "6 hours a week for 18 weeks.",
        "promotion": "Faculty website and LinkedIn.",
        "continuous_improvement": "Learner survey after each run.",
        "fee": D("350.00"),
        "delivery_mode": DeliveryMode.ODL,
        "lecturer_ids": (1,),
        "survey_respondents": 35 if standalone else None,
        "clos": CLOS,
        "units": UNITS,
        "components": COMPONENTS,
    }
    values.update(overrides)
    return ProposalData(**values)


def ready_snapshot(
    kind: str = ProposalKind.CAT1_WHOLE, *, data: ProposalData | None = None, **facts
) -> ProposalSnapshot:
    data = data or ready_data(kind)
    accredited = kind in (ProposalKind.CAT1_WHOLE, ProposalKind.CAT1_PART)
    values = {
        "data": data,
        "origin_programme": ProgrammeFacts("SK29", "Bachelor of Computer Science with Honours", False)
        if accredited
        else None,
        "origin_course": (
            CourseFacts("TMUI233", "Introduction to Computer Technologies", 3, False)
            if kind == ProposalKind.CAT1_WHOLE
            else CourseFacts("TMN4033", "Internet of Things", 3, False)
        )
        if accredited
        else None,
        "qualification_names": ("Bachelor of Computer Science with Honours", "Diploma in Computer Science"),
        "other_part_credits": (1, 1) if kind == ProposalKind.CAT1_PART else (),
        "survey_file_present": not accredited,
    }
    values.update(facts)
    return ProposalSnapshot(**values)


def with_data(snapshot: ProposalSnapshot, **changes) -> ProposalSnapshot:
    return dataclasses.replace(snapshot, data=dataclasses.replace(snapshot.data, **changes))

"""The first policy version, from DOMAIN.md and the UNIMAS Guidelines on Micro-Credential v2.0.

Plain data, written by the data migration ``0002_seed_policy`` (and by the test suite after a
transactional test empties the tables); never read at run time otherwise: the database is the
truth once seeded.
"""

from datetime import date
from decimal import Decimal
from typing import Any

GUIDELINE = {
    "name": "UNIMAS Guidelines on Micro-Credential 2.0",
    "effective_from": "2025-01-01",
    "source": "UNIMAS Guidelines on Micro-Credential, version 2.0 (2025), sections 2.2, 3.3, 3.4",
    "notes": (
        "Grade bands and the pass mark at 50% are an interpretation (R-RS-1); the SLT match "
        "tolerance of 10% is an interpretation (R-SLT-3); cap combination is an interpretation "
        "(R-CT-5)."
    ),
}

# activity, unit, min, max, is_assessment  (R-SLT-1)
SLT_RATES = [
    ("slide", "1 slide", 5, 10, False),
    ("forum", "1 min", 2, 5, False),
    ("video", "1 min", 2, 5, False),
    ("webinar", "1 min", 2, 5, False),
    ("lecture", "1 min", 2, 5, False),
    ("reading", "1 page", 5, 10, False),
    ("quiz", "1 question", 3, 5, True),
    ("assignment_video", "1 min of video", 20, 30, True),
    ("assignment_essay", "1 page", 60, 60, True),
    ("presentation", "1 min", 10, 10, True),
    ("exam_short", "1 question", 5, 10, True),
    ("exam_long", "1 question", 10, 20, True),
]

# grade, from mark, grade point  (R-RS-1, interpretation: UNIMAS's usual bands, pass at C = 50)
GRADE_BANDS = [
    ("A", Decimal("80"), Decimal("4.00")),
    ("A-", Decimal("75"), Decimal("3.67")),
    ("B+", Decimal("70"), Decimal("3.33")),
    ("B", Decimal("65"), Decimal("3.00")),
    ("B-", Decimal("60"), Decimal("2.67")),
    ("C+", Decimal("55"), Decimal("2.33")),
    ("C", Decimal("50"), Decimal("2.00")),
    ("C-", Decimal("45"), Decimal("1.67")),
    ("D+", Decimal("40"), Decimal("1.33")),
    ("D", Decimal("35"), Decimal("1.00")),
    ("F", Decimal("0"), Decimal("0.00")),
]

# level, normal entry, via APEL.A / APEL.M  (R-AP-4)
MINIMUM_AGES = [
    ("certificate", 19, 20),
    ("diploma", 20, 22),
    ("bachelor", 22, 24),
    ("master", 24, 31),
]


# state, cumulative progress %, suggested days in the step (R-WF-4, Table 3, online / blended).
# Before CFLEX approval nothing is built yet (0%); committee steps keep SME vetting's 85% until the
# Senate's 100%. Days are the duration of the milestone that follows the step (ranges take their
# upper end). Interpretation: the proposal-approval week applies to each of the two approvals;
# "Senate approval under 1 month" to each step from SME vetting to the Senate; registration one
# week; a returned proposal two weeks.
WORKFLOW_STEPS = [
    ("draft", 0, None),
    ("submitted", 0, 7),
    ("head_approved", 0, 7),
    ("cflex_approved", 15, 14),
    ("table4_approved", 20, 30),
    ("content_developed", 40, 60),
    ("video_materials", 60, 7),
    ("promo_video", 65, 7),
    ("uploaded", 70, 28),
    ("sme_vetted", 85, 30),
    ("presented", 85, 30),
    ("committee_approved", 85, 30),
    ("senate_approved", 100, 30),
    ("registered", 100, 7),
    ("ready_to_offer", 100, None),
    ("returned", 0, 14),
]


def seed_apply(apps: Any) -> None:
    """Write the first version unless it is there. ``apps`` is a migration's app registry or
    ``django.apps.apps``."""
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    SLTRate = apps.get_model("policy", "SLTRate")
    GradeBand = apps.get_model("policy", "GradeBand")
    MinimumAge = apps.get_model("policy", "MinimumAge")
    effective = date.fromisoformat(GUIDELINE["effective_from"])
    existing = PolicyVersion.objects.filter(effective_from=effective).first()
    if existing is not None:
        _seed_workflow_steps(apps, existing)
        return
    # History, not a new version: bulk_create writes it without the model's "starts in the
    # future" check (decision 0002), as the migration's historical model does.
    (version,) = PolicyVersion.objects.bulk_create(
        [
            PolicyVersion(
                name=GUIDELINE["name"], effective_from=effective, source=GUIDELINE["source"], notes=GUIDELINE["notes"]
            )
        ]
    )
    SLTRate.objects.bulk_create(
        SLTRate(version=version, activity=a, unit=u, min_minutes=lo, max_minutes=hi, is_assessment=asm)
        for a, u, lo, hi, asm in SLT_RATES
    )
    GradeBand.objects.bulk_create(
        GradeBand(version=version, grade=g, min_mark=m, grade_point=gp) for g, m, gp in GRADE_BANDS
    )
    MinimumAge.objects.bulk_create(
        MinimumAge(version=version, level=lvl, normal_entry_age=n, apel_entry_age=a) for lvl, n, a in MINIMUM_AGES
    )
    _seed_workflow_steps(apps, version)


def _seed_workflow_steps(apps: Any, version: Any) -> None:
    try:
        WorkflowStep = apps.get_model("policy", "WorkflowStep")
    except LookupError:  # migration 0002 runs before the model exists; 0003 adds the steps
        return
    if WorkflowStep.objects.filter(version=version).exists():
        return
    WorkflowStep.objects.bulk_create(
        WorkflowStep(version=version, state=s, progress_pct=p, suggested_days=d) for s, p, d in WORKFLOW_STEPS
    )

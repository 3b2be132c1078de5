from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policy import seed
from policy.data import PolicyData, SLTRateData, WorkflowPlan


def seed_policy_data(**overrides) -> PolicyData:
    """The guideline's policy (policy/seed.py) as plain data: no database needed."""
    values = {
        "id": 1,
        "name": seed.GUIDELINE["name"],
        "effective_from": date(2025, 1, 1),
        "hours_per_credit": 40,
        "slt_match_tolerance_pct": Decimal("10"),
        "sbl_online_min_pct": 30,
        "sbl_online_max_pct": 79,
        "market_survey_min_respondents": 30,
        "pass_mark": Decimal("50"),
        "ct_category1_max_pct": 100,
        "ct_samc_apelc_max_pct": 30,
        "ct_samc_all_max_pct": 70,
        "ct_outside_max_pct": 70,
        "ct_total_max_pct": 100,
        "ct_min_at_unimas_pct": 30,
        "apelc_min_clo_pct": 50,
        "apelm_min_credit_pct": 50,
        "apela_advice_one_institution_pct": 30,
        "apela_advice_several_institutions_pct": 70,
        "slt_rates": tuple(SLTRateData(a, u, Decimal(lo), Decimal(hi), asm) for a, u, lo, hi, asm in seed.SLT_RATES),
        "grade_bands": (),
        "minimum_ages": (),
        "workflow": WorkflowPlan(
            progress={s: p for s, p, _ in seed.WORKFLOW_STEPS},
            suggested_days={s: d for s, _, d in seed.WORKFLOW_STEPS if d is not None},
        ),
    }
    values.update(overrides)
    return PolicyData(**values)


@pytest.fixture
def policy() -> PolicyData:
    return seed_policy_data()


@pytest.fixture
def records(ptj):
    """Accredited courses and programmes, made through the services (as core.demo does)."""
    from types import SimpleNamespace

    from courses.models import ProgrammeLevel
    from courses.services import course_ensure, programme_ensure

    tmui = course_ensure(code="TMUI233", name="Introduction to Computer Technologies", credits=3, ptj=ptj)
    iot = course_ensure(code="TMN4033", name="Internet of Things", credits=3, ptj=ptj)
    mpu = course_ensure(code="MPU3183", name="Penghayatan Etika dan Peradaban", credits=3, ptj=ptj, is_mpu=True)
    maths = course_ensure(code="PPU0013", name="Foundation Mathematics", credits=3, ptj=ptj)
    bachelor = programme_ensure(
        code="SK29",
        name="Bachelor of Computer Science with Honours (Network Computing)",
        ptj=ptj,
        level=ProgrammeLevel.BACHELOR,
        graduating_credits=128,
        courses=[tmui, iot, mpu],
    )
    diploma = programme_ensure(
        code="SK37",
        name="Diploma in Computer Science",
        ptj=ptj,
        level=ProgrammeLevel.DIPLOMA,
        graduating_credits=90,
        courses=[tmui],
    )
    foundation = programme_ensure(
        code="ASC",
        name="Foundation in Science",
        ptj=ptj,
        level=ProgrammeLevel.FOUNDATION,
        graduating_credits=36,
        courses=[maths],
    )
    return SimpleNamespace(
        tmui=tmui, iot=iot, mpu=mpu, maths=maths, bachelor=bachelor, diploma=diploma, foundation=foundation
    )


@pytest.fixture
def developer(ptj):
    from accounts.models import Role
    from tests.factories import user_with_role

    return user_with_role(Role.COURSE_DEVELOPER, ptj=ptj, full_name="Dr. Aisyah Binti Rahman")


@pytest.fixture
def other_developer(ptj):
    from accounts.models import Role
    from tests.factories import user_with_role

    return user_with_role(Role.COURSE_DEVELOPER, ptj=ptj, full_name="Dr. Other Developer")


@pytest.fixture
def make_ready(records, developer):
    """A complete, rule-abiding ProposalData of a type, with the records' ids."""
    import dataclasses

    from courses.choices import ProposalKind
    from tests.courses.builders import ready_data

    def make(kind=ProposalKind.CAT1_WHOLE, **overrides):
        data = ready_data(kind, lecturer_ids=(developer.pk,), code="")
        if kind == ProposalKind.CAT1_WHOLE:
            data = dataclasses.replace(data, origin_programme_id=records.bachelor.pk, origin_course_id=records.tmui.pk)
        elif kind == ProposalKind.CAT1_PART:
            data = dataclasses.replace(data, origin_programme_id=records.bachelor.pk, origin_course_id=records.iot.pk)
        return dataclasses.replace(data, **overrides)

    return make


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT

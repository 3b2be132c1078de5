"""Seed the first policy version from DOMAIN.md (policy/seed.py)."""

from datetime import date

from django.db import migrations

from policy import seed


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    SLTRate = apps.get_model("policy", "SLTRate")
    GradeBand = apps.get_model("policy", "GradeBand")
    MinimumAge = apps.get_model("policy", "MinimumAge")
    effective = date.fromisoformat(seed.GUIDELINE["effective_from"])
    if PolicyVersion.objects.filter(effective_from=effective).exists():
        return
    version = PolicyVersion.objects.create(
        name=seed.GUIDELINE["name"],
        effective_from=effective,
        source=seed.GUIDELINE["source"],
        notes=seed.GUIDELINE["notes"],
    )
    SLTRate.objects.bulk_create(
        SLTRate(version=version, activity=a, unit=u, min_minutes=lo, max_minutes=hi, is_assessment=asm)
        for a, u, lo, hi, asm in seed.SLT_RATES
    )
    GradeBand.objects.bulk_create(
        GradeBand(version=version, grade=g, min_mark=m, grade_point=gp) for g, m, gp in seed.GRADE_BANDS
    )
    MinimumAge.objects.bulk_create(
        MinimumAge(version=version, level=lvl, normal_entry_age=n, apel_entry_age=a) for lvl, n, a in seed.MINIMUM_AGES
    )


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

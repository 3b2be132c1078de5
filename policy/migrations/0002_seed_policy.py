"""Seed the first policy version from DOMAIN.md (policy/seed.py)."""

from django.db import migrations

from policy import seed


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    seed.seed_apply(apps)


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

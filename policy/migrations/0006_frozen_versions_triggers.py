"""Decision 0002 in the database itself: a policy version in force (``effective_from`` today or
past) and its rows (SLT rates, grade bands, minimum ages, Table 3 steps) cannot be changed, even by
raw SQL, and an edit cannot move a version into force. Written the way the audit trail's
append-only rule is (audit/migrations/0002).

PostgreSQL (production) refuses UPDATE and DELETE; "today" is the date in the portal's time zone.
TRUNCATE stays possible for the owner (the test runner empties tables with it). SQLite
(development only) refuses UPDATE, with "today" in UTC; its test runner empties tables with
DELETE, so DELETE stays possible there. INSERT is not refused here: the first version (the 2025
guideline) is history written by the seed; a new version's date is checked by the model and the
service. A later migration that rebuilds these tables on SQLite drops the triggers with them; the
raw-SQL test in tests/policy/test_frozen_versions.py fails if that happens.
"""

# ruff: noqa: S608 -- the SQL is built from this file's constants and settings.TIME_ZONE, no input.
from django.conf import settings
from django.db import migrations

VERSION = "policy_policyversion"
CHILDREN = ("policy_sltrate", "policy_gradeband", "policy_minimumage", "policy_workflowstep")
MESSAGE = "policy version in force is frozen (decision 0002)"


def _today_pg() -> str:
    zone = settings.TIME_ZONE.replace("'", "")
    return f"(now() AT TIME ZONE '{zone}')::date"


def _postgres_up() -> list[str]:
    today = _today_pg()
    statements = [
        f"""CREATE OR REPLACE FUNCTION policy_version_frozen() RETURNS trigger AS $$
            BEGIN
              IF OLD.effective_from <= {today} THEN
                RAISE EXCEPTION '{MESSAGE}';
              END IF;
              IF TG_OP = 'DELETE' THEN
                RETURN OLD;
              END IF;
              IF NEW.effective_from <= {today} THEN
                RAISE EXCEPTION '{MESSAGE}';
              END IF;
              RETURN NEW;
            END; $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER policy_version_frozen BEFORE UPDATE OR DELETE ON {VERSION}
            FOR EACH ROW EXECUTE FUNCTION policy_version_frozen();""",
        f"""CREATE OR REPLACE FUNCTION policy_row_frozen() RETURNS trigger AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM {VERSION} v WHERE v.id = OLD.version_id AND v.effective_from <= {today}) THEN
                RAISE EXCEPTION '{MESSAGE}';
              END IF;
              IF TG_OP = 'DELETE' THEN
                RETURN OLD;
              END IF;
              IF EXISTS (SELECT 1 FROM {VERSION} v WHERE v.id = NEW.version_id AND v.effective_from <= {today}) THEN
                RAISE EXCEPTION '{MESSAGE}';
              END IF;
              RETURN NEW;
            END; $$ LANGUAGE plpgsql;""",
    ]
    for table in CHILDREN:
        statements.append(
            f"""CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION policy_row_frozen();"""
        )
    return statements


POSTGRES_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};" for table in CHILDREN),
    f"DROP TRIGGER IF EXISTS policy_version_frozen ON {VERSION};",
    "DROP FUNCTION IF EXISTS policy_row_frozen();",
    "DROP FUNCTION IF EXISTS policy_version_frozen();",
]

SQLITE_UP = [
    f"""CREATE TRIGGER policy_version_frozen BEFORE UPDATE ON {VERSION}
        WHEN OLD.effective_from <= date('now') OR NEW.effective_from <= date('now')
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    *(
        f"""CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table}
            WHEN (SELECT effective_from FROM {VERSION} WHERE id = OLD.version_id) <= date('now')
              OR (SELECT effective_from FROM {VERSION} WHERE id = NEW.version_id) <= date('now')
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
        for table in CHILDREN
    ),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS policy_version_frozen;",
    *(f"DROP TRIGGER IF EXISTS {table}_frozen;" for table in CHILDREN),
]


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements() if callable(statements) else statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("policy", "0005_results_after_assessment")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": _postgres_up}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]

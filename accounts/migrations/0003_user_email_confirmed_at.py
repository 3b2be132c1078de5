from django.db import migrations, models

import accounts.validators
from django.db.models import F, Q


def mark_confirmed(apps, schema_editor):
    """An account that is active, or has ever logged in, got past the emailed link (or never needed
    one): it counts as confirmed, so its old link can never confirm (and log in) again."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(Q(is_active=True) | Q(last_login__isnull=False)).update(email_confirmed_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_remove_roleassignment_role_ptj_scope_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="email confirmed at"),
        ),
        migrations.RunPython(mark_confirmed, migrations.RunPython.noop),
        # The legal-name rule for names entered from now on; names already stored are kept as they are.
        migrations.AlterField(
            model_name="user",
            name="full_name",
            field=models.CharField(
                max_length=200, validators=[accounts.validators.validate_legal_name], verbose_name="full name"
            ),
        ),
    ]

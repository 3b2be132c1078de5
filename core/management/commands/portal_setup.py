"""What `bin/portal` does before it serves: one process, so Django starts once and not four times."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Set up the embedded portal in one go: migrate, the demo data with its logins, the past intakes "
        "for the reports, and the status lists signed by the current key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", history=True, stdout=self.stdout)
        try:
            call_command("credential_status_resign", stdout=self.stdout)
        except CommandError as error:
            # The portal still serves; only credentials signed under another address fail here.
            self.stderr.write(
                f"!! status lists not re-signed ({error}); "
                "credentials issued under another address will not verify here"
            )

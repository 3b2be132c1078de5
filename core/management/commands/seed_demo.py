from typing import Any

from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create demo PTjs, programmes, courses and one user per role; print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_seed()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        width = max(len(u.email) for u in users)
        for u in users:
            scope = u.ptj or u.committee or ""
            self.stdout.write(f"  {u.email.ljust(width)}  {u.role.label}{f' [{scope}]' if scope else ''}")
        from credentials.models import Credential
        from credentials.services import verification_url

        for credential in Credential.objects.filter(learner__email__iexact="learner@demo.unimas.my")[:3]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo credential {credential.serial}: {verification_url(str(credential.verification_id))}"
                )
            )

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create demo PTjs, programmes, courses and one user per role; print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--history", action="store_true", help="also the past intakes for the reports (as seed_demo_history)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        notes: list[str] = []
        users = demo_seed(notes=notes, history=options["history"])
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        width = max(len(u.email) for u in users)
        for u in users:
            scope = u.ptj or u.committee or ""
            self.stdout.write(f"  {u.email.ljust(width)}  {u.role.label}{f' [{scope}]' if scope else ''}")
        for note in notes:
            self.stdout.write(self.style.SUCCESS(note))

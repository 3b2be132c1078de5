from typing import Any

from django.core.management.base import BaseCommand

from core.demo import demo_seed


class Command(BaseCommand):
    help = "The demo data and, for the reports, past intakes with results, surveys and a returned proposal."

    def handle(self, *args: Any, **options: Any) -> None:
        demo_seed(history=True)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo history for the reports is in: log in as cflex.admin@ or dean@ and open /reports/."
            )
        )

"""Print every state machine's transition table as Markdown (docs/workflows.md is its output)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.fsm import tables_markdown


class Command(BaseCommand):
    help = "Print every transition table (core.fsm) as Markdown: python manage.py workflow_tables > docs/workflows.md"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(tables_markdown(), ending="")

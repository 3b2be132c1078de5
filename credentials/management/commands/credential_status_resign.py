"""Re-sign the published status lists with the current key (after a key rotation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import ApplicationError
from credentials import ld
from credentials.services import status_lists_resign


class Command(BaseCommand):
    help = (
        "After a key rotation (a new key first in CREDENTIAL_SIGNING_KEYS): re-sign every published status list "
        "that is not yet signed by the current key, so a retired or compromised key can then be removed without "
        "any status check failing. Also publishes any list a credential points into that was never made. "
        "Refuses, changing nothing, if the lists were published under another DID (PUBLIC_BASE_URL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="re-sign every list, even those the current key signed")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = status_lists_resign(everything=options["all"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        key = ld.verification_method_id(ld.current_signing_key())
        self.stdout.write(
            f"Status lists: {result.signed} signed with {key}, {result.created} created, "
            f"{result.unchanged} already signed by it."
        )

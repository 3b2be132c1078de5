"""Revoke a credential from the command line (audited as the system, R-CR-5)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import ApplicationError
from credentials.management.commands.credential_export import _credential
from credentials.services import credential_status_change


class Command(BaseCommand):
    help = "Revoke a credential with a reason; its status list is updated and re-signed at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verification_id")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        credential = _credential(options["verification_id"])
        try:
            credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason=options["reason"])
        except ApplicationError as error:
            raise CommandError(f"{error.field or 'credential'}: {error.message}") from error
        self.stdout.write(f"{credential.serial} revoked: {options['reason'].strip()}")

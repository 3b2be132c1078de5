"""Make a new Ed25519 credential signing key for CREDENTIAL_SIGNING_KEYS (docs/decisions/0040)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credentials.ld.keys import KEY_ID_PATTERN, SigningKey


class Command(BaseCommand):
    help = (
        "Print a new '<key-id>:<secretKeyMultibase>' item for CREDENTIAL_SIGNING_KEYS. To rotate, put it "
        "FIRST and keep the old items after it: the first key signs, the others stay published so that "
        "what they signed still verifies. Nothing is stored; keep the output secret."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--key-id", default=f"key-{date.today():%Y%m%d}", help="default: key-YYYYMMDD")

    def handle(self, *args: Any, **options: Any) -> None:
        key_id = options["key_id"]
        if not KEY_ID_PATTERN.match(key_id):
            raise CommandError("--key-id must be letters, digits, '.', '_' or '-' (up to 64 characters)")
        key = SigningKey.generate(key_id)
        self.stderr.write(
            f"New signing key {key_id} (public key {key.public_key_multibase}).\n"
            "Put the line below first in CREDENTIAL_SIGNING_KEYS, a comma before the keys already there:\n"
            f"  CREDENTIAL_SIGNING_KEYS={key_id}:<this secret>,<old items...>\n"
            "Never remove a retired key while credentials it signed are still meant to verify; remove a "
            "compromised key at once (what it signed then stops verifying, and should be re-issued)."
        )
        self.stdout.write(key.config_entry())

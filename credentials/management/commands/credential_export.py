"""Write one credential's certificate.pdf, mms.pdf and credential.json into a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from credentials.services import credential_pdf
from credentials.services.verification import credential_by_verification_id


class Command(BaseCommand):
    help = "Export a credential: certificate.pdf, mms.pdf and credential.json into --out DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verification_id")
        parser.add_argument("--out", required=True, help="folder to write into (created if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        credential = _credential(options["verification_id"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "certificate.pdf").write_bytes(credential_pdf(credential, "certificate"))
        (out / "mms.pdf").write_bytes(credential_pdf(credential, "mms"))
        (out / "credential.json").write_text(
            json.dumps(credential.document, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(f"{credential.serial}: certificate.pdf, mms.pdf, credential.json written to {out}")


def _credential(verification_id: str) -> Any:
    try:
        credential = credential_by_verification_id(verification_id)
    except (ValidationError, ValueError):  # a malformed id is a typo, said plainly below
        credential = None
    if credential is None:
        raise CommandError(f"No credential has the verification id {verification_id!r}.")
    return credential

"""What enrolment needs from the app above it, credentials, as a port that app fills in its
``AppConfig.ready()`` (``credentials_port_set(credentials.api)``). Enrolment never imports
credentials: the import-linter layers in pyproject.toml (docs/decisions/0152)."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from accounts.models import User
from enrolment.data import PassedResult


class CredentialsPort(Protocol):
    def credential_issue_requests(
        self, *, actor: User, offering_id: int, course_code: str, course_title: str, asks: list[PassedResult]
    ) -> int:
        """Senate approved an offering's results (R-RS-2): request a credential for each passing
        learner, inside the approving transaction."""
        ...

    def learner_has_credentials(self, learner_id: int) -> bool:
        """R-CR-7: has the portal issued this learner any credential?"""
        ...

    def credentials_reissue_for_learner(self, *, actor: User, learner_id: int, reason: str) -> list[str]:
        """R-CR-7: re-issue the learner's credentials after a legal-name change."""
        ...


_port: CredentialsPort | None = None


def credentials_port_set(port: CredentialsPort) -> None:
    global _port
    _port = port


def credentials() -> CredentialsPort:
    """The credentials app's door; refuses loudly when nothing filled it, never skips issuance."""
    if _port is None:
        raise ImproperlyConfigured("The credentials app has not connected enrolment's credentials port.")
    return _port

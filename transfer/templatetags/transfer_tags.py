"""Labels of credit-transfer codes for templates and emails."""

from __future__ import annotations

from django import template

from transfer.choices import ApplicationStatus, CredentialKind, Verification
from transfer.policies.explain import cap_label
from transfer.policies.workflow import EVENT_LABELS

register = template.Library()


@register.filter
def transfer_status(value: str) -> str:
    """An application's status, or a claim's evidence verdict (both appear in the history)."""
    if value in ApplicationStatus.values:
        return str(ApplicationStatus(value).label)
    return str(Verification(value).label) if value in Verification.values else value


@register.filter
def transfer_action(value: str) -> str:
    return str(EVENT_LABELS.get(value, value))


@register.filter
def credential_kind(value: str) -> str:
    return str(CredentialKind(value).label) if value in CredentialKind.values else value


@register.filter
def verification_label(value: str) -> str:
    return str(Verification(value).label) if value in Verification.values else value


@register.filter
def cap_name(value: str) -> str:
    return cap_label(value) if value else ""


@register.filter
def get(mapping: dict, key: str) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None

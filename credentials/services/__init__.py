"""The only code that writes credentials (STYLE: services)."""

from credentials.services.issuance import (
    batch_for_offering,
    credential_announce,
    credential_facts,
    credential_issue,
    credential_pdf,
    credential_reissue,
    credential_render,
    issuance_attempt,
    issuance_enqueue,
    issuance_enqueue_many,
    issuance_fail,
    issuance_retry_failed,
    issuance_stale_requeue,
    verification_url,
)
from credentials.services.status import credential_status_change, status_list_document
from credentials.services.verification import verification_hit

__all__ = [
    "batch_for_offering",
    "credential_announce",
    "credential_facts",
    "credential_issue",
    "credential_pdf",
    "credential_reissue",
    "credential_render",
    "credential_status_change",
    "issuance_attempt",
    "issuance_enqueue",
    "issuance_enqueue_many",
    "issuance_fail",
    "issuance_retry_failed",
    "issuance_stale_requeue",
    "status_list_document",
    "verification_hit",
    "verification_url",
]

"""The only code that writes credentials (STYLE: services)."""

from credentials.services.issuance import (
    badge_url,
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
    issuer_image,
    verification_url,
)
from credentials.services.pdf_check import PdfInputError, credential_verify_pdf
from credentials.services.status import (
    credential_status_change,
    status_list_document,
    status_lists_ensure,
    status_lists_resign,
)
from credentials.services.verification import (
    credential_record_verification,
    credential_verdict,
    credential_verify_document,
    verification_count,
    verification_counts_flush,
    verification_hit,
)
from credentials.services.wallet import wallet_exchange_step, wallet_offer_create

__all__ = [
    "PdfInputError",
    "badge_url",
    "batch_for_offering",
    "credential_announce",
    "credential_facts",
    "credential_issue",
    "credential_pdf",
    "credential_record_verification",
    "credential_reissue",
    "credential_render",
    "credential_status_change",
    "credential_verdict",
    "credential_verify_document",
    "credential_verify_pdf",
    "issuance_attempt",
    "issuance_enqueue",
    "issuance_enqueue_many",
    "issuance_fail",
    "issuance_retry_failed",
    "issuance_stale_requeue",
    "issuer_image",
    "status_list_document",
    "status_lists_ensure",
    "status_lists_resign",
    "verification_count",
    "verification_counts_flush",
    "verification_hit",
    "verification_url",
    "wallet_exchange_step",
    "wallet_offer_create",
]

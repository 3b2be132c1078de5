"""The awarding institution as printed on every credential, from settings with sensible
defaults (``CREDENTIAL_*`` environment variables)."""

from __future__ import annotations

from django.conf import settings


def institution() -> str:
    return getattr(settings, "CREDENTIAL_INSTITUTION", "Universiti Malaysia Sarawak (UNIMAS)")


def institution_status() -> str:
    return getattr(
        settings,
        "CREDENTIAL_INSTITUTION_STATUS",
        "Public university, Malaysia; self-accrediting higher education provider (MQA)",
    )


def issuer_email() -> str:
    return getattr(settings, "CREDENTIAL_CONTACT_EMAIL", "cflex@unimas.my")


def signatory() -> tuple[str, str]:
    return (
        getattr(settings, "CREDENTIAL_SIGNATORY_NAME", "Director, CFLEX"),
        getattr(settings, "CREDENTIAL_SIGNATORY_TITLE", "Centre for Flexible Learning, UNIMAS"),
    )


def language() -> str:
    return getattr(settings, "CREDENTIAL_LANGUAGE", "English")


def base_url() -> str:
    return str(settings.PUBLIC_BASE_URL)


def linkedin_organization_id() -> str:
    """The university's LinkedIn page id for "Add to profile" links (empty: name only)."""
    return str(getattr(settings, "CREDENTIAL_LINKEDIN_ORGANIZATION_ID", "") or "")


def issuer_address() -> dict[str, str]:
    """The awarding institution's postal address (an OB 3.0 ``Address``)."""
    return {
        "type": "Address",
        "streetAddress": getattr(settings, "CREDENTIAL_ADDRESS_STREET", "Jalan Datuk Mohammad Musa"),
        "addressLocality": getattr(settings, "CREDENTIAL_ADDRESS_LOCALITY", "Kota Samarahan"),
        "addressRegion": getattr(settings, "CREDENTIAL_ADDRESS_REGION", "Sarawak"),
        "postalCode": getattr(settings, "CREDENTIAL_ADDRESS_POSTCODE", "94300"),
        "addressCountry": getattr(settings, "CREDENTIAL_ADDRESS_COUNTRY", "Malaysia"),
        "addressCountryCode": getattr(settings, "CREDENTIAL_ADDRESS_COUNTRY_CODE", "MY"),
    }


def issuer_description() -> str:
    return getattr(
        settings,
        "CREDENTIAL_ISSUER_DESCRIPTION",
        "Universiti Malaysia Sarawak issues its micro-credentials through the Centre for Flexible "
        "Learning (CFLEX): each is approved by the University Senate and signed by the university.",
    )


def mqr_url() -> str:
    """Where a verifier looks up an MQR reference (the alignment's ``targetUrl``)."""
    return str(getattr(settings, "CREDENTIAL_MQR_URL", "") or "https://www2.mqa.gov.my/mqr/")


def qvc_url() -> str:
    """Where a verifier reads about MQA's quality verification of stand-alone micro-credentials."""
    return str(getattr(settings, "CREDENTIAL_QVC_URL", "") or "https://www.mqa.gov.my/")

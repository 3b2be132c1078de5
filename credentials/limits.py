"""How often the public verification doors answer (docs/decisions/0121).

Employers reach the portal through carrier NAT and office proxies, so one address is often many
people: the credential pages are limited per credential (a flood on one id) and by a global
ceiling (a flood over many ids), never per address. Uploads (a full signature check each, about
20 ms of CPU) keep a per-address limit beside their own ceiling. Counters live in the shared cache
(django-ratelimit); the pages and the API count in the same groups, so each limit holds across
both doors. Rates are settings, read on each request."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

PER_CREDENTIAL = "credentials.verify.credential"
EVERYONE = "credentials.verify.all"
UPLOAD_ADDRESS = "credentials.upload.address"
UPLOAD_EVERYONE = "credentials.upload.all"


def credential_key(group: str, request: HttpRequest) -> str:
    match = request.resolver_match
    return str(match.kwargs.get("verification_id", "")) if match else ""


def everyone_key(group: str, request: HttpRequest) -> str:
    return "all"


def rate(group: str, request: HttpRequest) -> str:
    return {
        PER_CREDENTIAL: settings.VERIFY_RATE_PER_CREDENTIAL,
        EVERYONE: settings.VERIFY_RATE_GLOBAL,
        UPLOAD_ADDRESS: settings.VERIFY_UPLOAD_RATE_PER_ADDRESS,
        UPLOAD_EVERYONE: settings.VERIFY_UPLOAD_RATE_GLOBAL,
    }[group]


def credential_limited(request: HttpRequest) -> bool:
    """Count this request against its credential's limit and the global ceiling; True when
    either is exceeded."""
    per_credential = is_ratelimited(request, group=PER_CREDENTIAL, key=credential_key, rate=rate, increment=True)
    overall = is_ratelimited(request, group=EVERYONE, key=everyone_key, rate=rate, increment=True)
    return per_credential or overall


def upload_limited(request: HttpRequest) -> bool:
    per_address = is_ratelimited(request, group=UPLOAD_ADDRESS, key="ip", rate=rate, increment=True)
    overall = is_ratelimited(request, group=UPLOAD_EVERYONE, key=everyone_key, rate=rate, increment=True)
    return per_address or overall

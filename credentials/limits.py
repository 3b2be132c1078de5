"""The limit on uploads to the public verification doors (docs/decisions/0121).

A posted or uploaded credential gets a full signature check (about 20 ms of CPU), so uploads keep
a per-address limit beside a global ceiling, through django-ratelimit and the shared cache.
The credential GETs (page, JSON, API verdict) are limited per credential and by a global ceiling
instead, never per address, in ``credentials.hits``: employers share carrier NAT."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

UPLOAD_ADDRESS = "credentials.upload.address"
UPLOAD_EVERYONE = "credentials.upload.all"


def everyone_key(group: str, request: HttpRequest) -> str:
    return "all"


def rate(group: str, request: HttpRequest) -> str:
    return {
        UPLOAD_ADDRESS: settings.VERIFY_UPLOAD_RATE_PER_ADDRESS,
        UPLOAD_EVERYONE: settings.VERIFY_UPLOAD_RATE_GLOBAL,
    }[group]


def upload_limited(request: HttpRequest) -> bool:
    """Count this upload against its address and the global ceiling; True when either is exceeded."""
    per_address = is_ratelimited(request, group=UPLOAD_ADDRESS, key="ip", rate=rate, increment=True)
    overall = is_ratelimited(request, group=UPLOAD_EVERYONE, key=everyone_key, rate=rate, increment=True)
    return per_address or overall

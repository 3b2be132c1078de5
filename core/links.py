"""Links that leave the portal (mail, PDFs) are absolute, on the address the portal is served at:
``PUBLIC_BASE_URL``, the same address credentials and their verification pages are issued under."""

from __future__ import annotations

from django.conf import settings


def absolute_url(url: str) -> str:
    """``/proposals/9/`` -> ``https://mc.unimas.my/proposals/9/``; an absolute URL is kept."""
    if not url or "://" in url:
        return url
    return str(settings.PUBLIC_BASE_URL).rstrip("/") + "/" + url.lstrip("/")

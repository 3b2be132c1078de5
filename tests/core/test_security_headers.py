"""Security headers on every page (issue 12): a Content-Security-Policy with no inline script or
style, and the other headers; and no template carries what that policy would refuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into PDFs, never served to a browser: the CSP does not apply.
PDF_TEMPLATES = {
    "courses/agenda_pdf.html",
    "transfer/letter_pdf.html",
    "credentials/certificate.html",
    "credentials/mms.html",
    "credentials/transcript_pdf.html",
}


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("name", ["home", "login", "register", "catalogue", "api-docs", "admin:login"])
def test_every_page_sends_a_strict_policy_and_the_other_headers(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def _served_templates() -> list[Path]:
    return sorted(
        p
        for p in TEMPLATES.rglob("*.html")
        if p.relative_to(TEMPLATES).as_posix() not in PDF_TEMPLATES and not {"email", "emails"} & set(p.parts)
    )


def test_the_pdf_template_list_is_true():
    for name in PDF_TEMPLATES:
        assert (TEMPLATES / name).exists(), name


@pytest.mark.parametrize("path", _served_templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_no_template_has_inline_script_style_or_handlers(path: Path):
    html = path.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline <script> in {path.name}: {tag}"
    assert not re.search(r"<style\b", html), f"<style> element in {path.name}"
    assert not re.search(r"\sstyle\s*=", html), f'style="" attribute in {path.name}'
    assert not re.search(r"\son[a-z]+\s*=", html), f"on* event handler in {path.name}"
    assert "javascript:" not in html, f"javascript: URL in {path.name}"

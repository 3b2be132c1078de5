"""Badge images (issue 16): one per achievement, drawn from its course code, title and level
around the UNIMAS crest the certificate prints (static/credentials/crest.svg), as SVG and as
PNG (CairoSVG) for LinkedIn and wallets that do not show SVG. Pure drawing: no ORM, no request.

The drawing depends only on its inputs, so a rendered image is kept per process by them."""

from __future__ import annotations

import functools
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

SIZE = 600  # px; square, as Open Badges images and wallets expect
CREST_FILE = Path(settings.BASE_DIR) / "static" / "credentials" / "crest.svg"
_FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"
NAVY = "#14325c"
GOLD = "#b8912f"
CREAM = "#fdfaf2"


@dataclass(frozen=True)
class BadgeFacts:
    code: str
    title: str
    level: str  # "MQF Level 4", or "" when not levelled
    institution: str = "UNIMAS"


@functools.cache
def _crest_inner() -> tuple[str, str]:
    """The crest's viewBox and its drawing (everything inside its <svg> element)."""
    text = CREST_FILE.read_text(encoding="utf-8")
    match = re.search(r"<svg[^>]*viewBox=\"([^\"]+)\"[^>]*>(.*)</svg>", text, re.S)
    if match is None:
        raise ValueError(f"{CREST_FILE} is not an SVG with a viewBox")
    return match.group(1), match.group(2).strip()


def title_lines(title: str, *, width: int = 22, most: int = 3) -> list[str]:
    """The title wrapped to at most ``most`` lines of about ``width`` characters; a longer one
    ends with an ellipsis."""
    lines = textwrap.wrap(" ".join(title.split()), width=width, break_long_words=True) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def badge_svg(facts: BadgeFacts) -> str:
    """The badge: a navy disc with a gold ring, the crest, the course code, the title and the
    level. Text is escaped; nothing in it is read as markup."""
    view_box, crest = _crest_inner()
    # R-NM-1 titles read "Micro-Credential in <title>"; the badge already says so above the code.
    lines = title_lines(re.sub(r"^micro-credential in\s+", "", facts.title.strip(), flags=re.I))
    code_size = 58 if len(facts.code) <= 10 else 44
    title_top = 372 - (len(lines) - 1) * 16
    title = "".join(
        f'<text x="300" y="{title_top + n * 34}" font-size="28" fill="{CREAM}" text-anchor="middle">'
        f"{escape(line)}</text>"
        for n, line in enumerate(lines)
    )
    level = escape(facts.level or "Micro-credential")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" '
        f'role="img" aria-label="{escape(facts.code, {chr(34): "&quot;"})} {escape(facts.title, {chr(34): "&quot;"})}">'
        f'<circle cx="300" cy="300" r="296" fill="{GOLD}"/>'
        f'<circle cx="300" cy="300" r="282" fill="{NAVY}"/>'
        f'<circle cx="300" cy="300" r="270" fill="none" stroke="{GOLD}" stroke-width="3"/>'
        f'<svg x="250" y="42" width="100" height="120" viewBox="{view_box}">{crest}</svg>'
        f'<g font-family="{_FONT}">'
        f'<text x="300" y="200" font-size="22" fill="#e3c878" text-anchor="middle" letter-spacing="3">'
        f"{escape(facts.institution.upper())} MICRO-CREDENTIAL</text>"
        f'<text x="300" y="282" font-size="{code_size}" font-weight="bold" fill="#ffffff" text-anchor="middle">'
        f"{escape(facts.code)}</text>"
        f"{title}"
        f'<rect x="170" y="462" width="260" height="50" rx="25" fill="{GOLD}"/>'
        f'<text x="300" y="496" font-size="24" font-weight="bold" fill="{NAVY}" text-anchor="middle">{level}</text>'
        "</g></svg>"
    )


@functools.lru_cache(maxsize=256)
def badge_png(facts: BadgeFacts) -> bytes:
    """The badge as a PNG of SIZE x SIZE pixels."""
    return svg_to_png(badge_svg(facts))


def svg_to_png(svg: str, *, width: int = SIZE) -> bytes:
    import cairosvg

    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
    return png


@functools.cache
def crest_png() -> bytes:
    """The crest alone (the issuer's image), 240 pixels wide."""
    return svg_to_png(CREST_FILE.read_text(encoding="utf-8"), width=240)

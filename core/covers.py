"""Generated course covers (issue 17): a small SVG drawn from the course's code and title and
its faculty, the same every time, with no external image and no stored file (decision 0225).

The faculty (PTj) picks the background from a palette of deep colours that all carry white text
above 7:1 (``cover-c0`` .. ``cover-c7`` in static/css/portal.css: the CSP allows no style
attributes); the code and title pick the shapes. The course code is HTML text on a solid chip of
the same colour, not SVG text, so its contrast can be checked (axe cannot check text over a
drawing). The cover is decorative (the card's heading names the course): hidden from assistive
technology, and its SVG holds no ids that could collide when many covers share a page."""

from __future__ import annotations

import hashlib
from html import escape

# Deep backgrounds, each with white text above 7:1; the first is the UNIMAS navy of the crest.
PALETTE = (
    "#14325c",  # UNIMAS navy
    "#0f5257",  # teal
    "#1f5632",  # forest
    "#6d1f2f",  # maroon
    "#3f2a6b",  # aubergine
    "#254e7a",  # river blue
    "#5a3d12",  # timber
    "#234a4a",  # slate green
)
GOLD = "#e3c878"  # the crest's light gold
WIDTH, HEIGHT = 320, 120


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(p.strip().lower() for p in parts).encode("utf-8")).digest()


def cover_index(field: str) -> int:
    """The faculty's background (an index into PALETTE): every course of one PTj shares it."""
    return _digest(field)[0] % len(PALETTE)


def cover_colour(field: str) -> str:
    return PALETTE[cover_index(field)]


def cover_svg(*, code: str, title: str) -> str:
    """The cover's drawing as inline SVG markup: shapes only, no text, ids, links or scripts. It
    fills its box (a shorter box, the dashboard's, flattens the drawing; nothing is cut off)."""
    d = _digest(code, title)
    shapes = []
    # Three soft circles, placed and sized by the digest, each wholly inside the drawing (a shape
    # reaching outside it would overlap the text around the cover for axe's contrast check).
    for i in range(3):
        r = 16 + d[7 + i] % 40
        cx = r + d[1 + i] % (WIDTH - 2 * r)
        cy = r + d[4 + i] % (HEIGHT - 2 * r + 1)
        opacity = (8 + d[10 + i] % 10) / 100
        shapes.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#fff" fill-opacity="{opacity:.2f}"/>')
    # A band of diagonal lines whose angle, spacing and count come from the digest, inside too.
    step = 10 + d[13] % 6
    slope = 20 + d[14] % 30
    count = 6 + d[16] % 5
    extent = slope + (count - 1) * step
    start = WIDTH - extent - 4 - d[15] % max(1, WIDTH - extent - 120)
    lines = "".join(f'<path d="M{start + k * step} {HEIGHT}l{slope} -{HEIGHT}"/>' for k in range(count))
    shapes.append(f'<g stroke="{GOLD}" stroke-opacity="0.45" stroke-width="2">{lines}</g>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'preserveAspectRatio="none" focusable="false">'
        + "".join(shapes)
        + f'<rect y="{HEIGHT - 6}" width="{WIDTH}" height="6" fill="{GOLD}"/></svg>'
    )


def cover_html(*, code: str, title: str, field: str) -> str:
    """The whole cover: the faculty's colour, the drawing and the course code (escaped)."""
    label = escape(code.strip().upper()[:12])
    return (
        f'<div class="cover cover-c{cover_index(field)}" aria-hidden="true">'
        f'{cover_svg(code=code, title=title)}<span class="cover-code">{label}</span></div>'
    )

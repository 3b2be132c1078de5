"""Generated course covers (issue 17, decision 0225): the same course always gets the same cover,
courses differ, a faculty keeps one colour, and the markup is inert (escaped text, no ids, no
links, no style attributes, nothing fetched). Pure: no database."""

from __future__ import annotations

import re

from django.conf import settings

from core.covers import HEIGHT, PALETTE, WIDTH, cover_html, cover_index, cover_svg


def test_the_same_course_always_gets_the_same_cover():
    first = cover_html(code="TMN1013", title="Drone mapping for smallholder farms", field="FCSIT")
    assert cover_html(code="TMN1013", title="Drone mapping for smallholder farms", field="FCSIT") == first


def test_courses_differ_and_a_faculty_keeps_its_colour():
    a = cover_html(code="TMN1013", title="Drone mapping", field="FCSIT")
    b = cover_html(code="TMN2024", title="Sago processing", field="FCSIT")
    assert a != b
    assert f'class="cover cover-c{cover_index("FCSIT")}"' in a and f'class="cover cover-c{cover_index("FCSIT")}"' in b
    assert 0 <= cover_index("FCSIT") < len(PALETTE)
    assert len({cover_index(f) for f in ("FCSIT", "FENG", "FRST", "FSSH", "FMHS", "FEB", "FACA")}) > 1


def test_the_cover_is_decorative_and_inert():
    html = cover_html(code='<script>"x"</script>', title="</svg><img src=x onerror=alert(1)>", field="F&B")
    assert html.startswith('<div class="cover ') and html.endswith("</div>")
    assert 'aria-hidden="true"' in html
    assert "<script" not in html and "<img" not in html and "onerror" not in html
    assert "&lt;SCRIPT&gt;" in html  # the code is shown, escaped
    # Nothing that could collide between covers on one page, need a style attribute (CSP) or fetch.
    assert not re.search(r"\s(id|href|xlink:href|src|style)=", html)
    assert "url(" not in html


def test_every_palette_colour_has_its_class_in_the_stylesheet():
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    for i, colour in enumerate(PALETTE):
        assert f".cover-c{i}, .cover-c{i} .cover-code {{ background-color: {colour}; }}" in css


def test_every_shape_stays_inside_the_drawing():
    # A shape outside the box would overlap the page's text around the cover (axe "needs review").
    for n in range(500):
        svg = cover_svg(code=f"C{n}", title=f"Course {n}")
        for cx, cy, r in re.findall(r'<circle cx="(\d+)" cy="(\d+)" r="(\d+)"', svg):
            assert int(r) <= int(cx) <= WIDTH - int(r) and int(r) <= int(cy) <= HEIGHT - int(r)
        for x, slope in re.findall(r'<path d="M(\d+) \d+l(\d+) -\d+"', svg):
            assert 0 <= int(x) and int(x) + int(slope) <= WIDTH

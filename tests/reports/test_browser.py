"""The dashboards in Chromium with the demo history (the history steps of courses.demo and enrolment.demo): at 1280 px and 360 px each
has its charts and the numbers beside them, nothing scrolls sideways on a phone, axe finds
nothing, and a Dean sees only their PTj. Screenshots go to $MCPORTAL_SHOTS/shots-reports (or the
temporary folder) for a person to look at."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser]
SHOTS = Path(os.environ.get("MCPORTAL_SHOTS", "") or tempfile.gettempdir()) / "shots-reports"
DASHBOARDS = ["pipeline", "delivery", "experience", "credentials", "transfer", "register"]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


@pytest.fixture
def context(live_server, transactional_db, monkeypatch):
    from playwright.sync_api import sync_playwright

    from core.demo import demo_seed
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    demo_seed(history=True)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
        context.set_default_timeout(10_000)
        yield context
        browser.close()


def _assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    incomplete = [
        (i["id"], [(n["target"], n.get("any", [{}])[0].get("message")) for n in i["nodes"]])
        for i in results.response["incomplete"]
    ]
    assert not incomplete, incomplete


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_dashboard_shows_charts_with_their_numbers(context, width):
    # DOMAIN R-QA-2
    page = context.new_page()
    page.set_viewport_size(width)
    log_in(page, "cflex.admin@demo.unimas.my")
    page.locator('[data-role="cflex_admin"]').get_by_role("link", name="Reports").click()
    page.wait_for_url("**/reports/")
    for slug in DASHBOARDS:
        page.goto(f"/reports/{slug}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shot(page, slug)
        if slug not in ("register", "transfer"):  # the demo has no credit-transfer application
            charts = page.locator("figure.chart [role=img]")
            assert charts.count() >= 2, slug
            # Every chart sits beside a table with the same numbers, and a CSV link.
            for i in range(charts.count()):
                block = charts.nth(i).locator("xpath=ancestor::section[contains(@class,'report-block')]")
                expect(block.locator("table")).to_be_visible()
                expect(block.get_by_role("link", name="as CSV")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width["width"], slug
        _assert_accessible(page)


def test_a_dean_sees_their_ptj_and_a_bad_date_is_named(context):
    # DOMAIN R-QA-2: a Dean sees their own PTj only.
    page = context.new_page()
    log_in(page, "dean.feng@demo.unimas.my")
    page.goto("/reports/delivery/")
    table = page.locator("#table-by-course")
    expect(table).to_contain_text("KNS2153MC")
    expect(table).not_to_contain_text("TMUI233MC")
    shot(page, "delivery-dean-feng")
    response = page.goto("/reports/delivery/?from=2026-02-30")
    assert response is not None and response.status == 400
    expect(page.locator("[role=alert]")).to_contain_text("from")

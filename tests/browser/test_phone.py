"""At 360 x 740 (a small phone) nothing scrolls sideways and the header stays usable: the check
each page visit makes (``assert_usable_on_a_phone``, run on every visit by
``tests/browser/test_accessibility.py`` on the page it has loaded), and the header's language
switch and log-in links used on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def phone_page(context):
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return page


def _assert_in_view_and_tappable(locator) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 24  # WCAG 2.2 target size (minimum)


def assert_usable_on_a_phone(page) -> None:
    """The loaded page, narrowed to 360 x 740: nothing scrolls sideways, and every link and button
    of the header, the language list and its button are in view and big enough to tap."""
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    nav = page.locator("nav.site-nav")
    targets = nav.locator("a, button")
    assert targets.count() >= 2
    for i in range(targets.count()):
        _assert_in_view_and_tappable(targets.nth(i))
    _assert_in_view_and_tappable(page.locator("#lang-select"))
    _assert_in_view_and_tappable(page.locator(".lang-switch button"))


def test_language_switch_works_on_a_phone(phone_page, demo):
    page = phone_page
    page.goto("/accounts/login/")
    page.locator("#lang-select").select_option("ms")
    page.locator(".lang-switch button").click()
    page.wait_for_url("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ms")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log masuk")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.locator("#lang-select").select_option("en")
    page.locator(".lang-switch button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_phone_nav_leads_to_login_and_out_again(phone_page, demo):
    page = phone_page
    page.goto("/")
    page.locator("nav.site-nav").get_by_role("link", name="Log in").click()
    log_in(page, "developer@demo.unimas.my")
    expect(page.locator('[data-role="course_developer"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("nav.site-nav").get_by_role("button", name="Log out").click()
    page.wait_for_url("/")
    expect(page.locator("nav.site-nav").get_by_role("link", name="Register")).to_be_visible()

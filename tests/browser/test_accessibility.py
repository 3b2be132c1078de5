"""axe-core finds nothing on the public pages, logged-in home pages, the Malay pages and forms
showing errors; and each of those pages, narrowed to a small phone, scrolls nothing sideways and
keeps its header usable (``tests.browser.test_phone.assert_usable_on_a_phone``)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import csp_violations
from tests.browser.pages import Visit, open_visit, visits
from tests.browser.test_phone import assert_usable_on_a_phone

pytestmark = [pytest.mark.browser]

axe = Axe()


def assert_accessible(page) -> None:
    # Every rule axe runs by default (WCAG 2.0-2.2 A/AA and best practices), none switched off.
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    # "Needs review" results too: axe could not decide (e.g. an aria-describedby pointing at
    # nothing, text over an image), and a person would have to check by hand.
    incomplete = [(item["id"], [node["target"] for node in item["nodes"]]) for item in results.response["incomplete"]]
    assert not incomplete, incomplete


@visits
def test_no_axe_violations_and_usable_on_a_phone(page, context, live_server, demo, visit: Visit):
    refused = csp_violations(page)
    open_visit(page, context, live_server.url, visit)
    assert_accessible(page)
    # The same page at 360 px: narrowed, not loaded again (media queries apply at once, and no
    # script of ours reads the width), as tests/browser/test_every_page.py checks every page.
    assert_usable_on_a_phone(page)
    assert refused == []  # and nothing on it needs what the Content-Security-Policy forbids


@pytest.mark.parametrize(
    ("path", "button"),
    [("/accounts/register/", "Create my account"), ("/accounts/login/", "Log in")],
    ids=["register", "login"],
)
def test_no_axe_violations_when_a_form_shows_errors(page, transactional_db, path, button):
    refused = csp_violations(page)
    page.goto(path)
    page.locator("main").get_by_role("button", name=button).click()
    page.wait_for_selector("[role=alert]")
    assert_accessible(page)
    assert refused == []

"""The pages every browser check visits: (id, path, who is logged in, language)."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import log_in, use_language


class Visit(NamedTuple):
    path: str
    email: str | None = None
    language: str = "en"


VISITS = {
    "landing": Visit("/"),
    "login": Visit("/accounts/login/"),
    "register": Visit("/accounts/register/"),
    "password-reset": Visit("/accounts/password-reset/"),
    "home-cflex-admin": Visit("/", email="cflex.admin@demo.unimas.my"),
    "home-learner": Visit("/", email="learner@demo.unimas.my"),
    "landing-ms": Visit("/", language="ms"),
    "login-ms": Visit("/accounts/login/", language="ms"),
}

visits = pytest.mark.parametrize("visit", list(VISITS.values()), ids=list(VISITS))


def open_visit(page: Page, context: BrowserContext, live_server_url: str, visit: Visit) -> None:
    if visit.language != "en":
        use_language(context, visit.language, live_server_url)
    if visit.email:
        log_in(page, visit.email)
    page.goto(visit.path)
    assert page.locator("html").get_attribute("lang") == visit.language

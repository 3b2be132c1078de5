"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium for all the browser tests, a fresh context (cookies, storage) per test. Never run
``playwright install``: the browser is the system one (``bin/test`` installs it).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from core.demo import DEMO_PASSWORD, demo_seed

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Started once for this package and stopped after its last test.

    Playwright's sync API leaves an event loop running in the test thread, and Django's ORM
    refuses to run "from an async context" while it does; so for exactly that span the check is
    off. Package scope, not session: the loop and the variable end with the browser tests, and
    do not leak into later tests or the subprocesses they start (``check --deploy`` fails on it).
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package (bin/test does).")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# The demo data as it was right after ``demo_seed()``, one copy per test database (so per test
# process), on SQLite only: see ``demo``.
_DEMO_COPIES: dict[str, sqlite3.Connection] = {}


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo data (``core.demo``), fresh for this test.

    On SQLite it is seeded once per test process and, for every later test, copied back over the
    emptied database with SQLite's backup API (the same rows, ids and sequences as right after
    seeding; a few milliseconds instead of seconds of seeding, signing and PDF rendering, for more
    than a hundred page visits). What the process keeps besides the database is forgotten with it
    (the cache, content types, verification counts), as after a fresh seed. On any other engine
    it is seeded for each test. Decision 0250."""
    from django.db import connection

    if connection.vendor != "sqlite":
        demo_seed()
        return
    connection.ensure_connection()
    raw = connection.connection
    name = str(connection.settings_dict["NAME"])
    copy = _DEMO_COPIES.get(name)
    if copy is None:
        demo_seed()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(copy)
        _DEMO_COPIES[name] = copy
        return
    copy.backup(raw)
    _forget_what_the_process_kept()


def _forget_what_the_process_kept() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    from credentials import hits

    ContentType.objects.clear_cache()
    cache.clear()
    hits.reset()


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("/")


def csp_violations(page: Page) -> list[str]:
    """What the browser refuses under the Content-Security-Policy while ``page`` is used (an
    inline script or style, an outside source), filled in as it happens."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return refused


def use_language(context: BrowserContext, code: str, url: str) -> None:
    context.add_cookies([{"name": "django_language", "value": code, "url": url}])

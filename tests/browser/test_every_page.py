"""Issue 17: every page (enumerated from the URL configuration, not a hand-picked few) passes
axe and stays within the first-load budget of 60 KB, at 1366 px, and at 360 px nothing on it
scrolls sideways. One browser, one demo world, one log-in per person; the weight is what a first
visit transfers with the production server's compression (gzip for text, as WhiteNoise serves it),
nothing cached. The phone width is checked on the page already loaded, by narrowing the window
(media queries apply at once; no second load), so it costs little."""

from __future__ import annotations

import gzip
from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import PHONE, csp_violations, log_in
from tests.browser.pages import demo_ids
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser]

BUDGET = 60 * 1024
DESKTOP = {"width": 1366, "height": 800}
LEARNER = "learner@demo.unimas.my"
DEV = "developer@demo.unimas.my"
ADMIN = "cflex.admin@demo.unimas.my"

# route name -> (who is logged in, path). Every page route is here or in NOT_PAGES.
PAGES: dict[str, tuple[str | None, str]] = {
    "home": (None, "/"),
    "login": (None, "/accounts/login/"),
    "register": (None, "/accounts/register/"),
    "register-resend": (None, "/accounts/register/resend/"),
    "password_reset": (None, "/accounts/password-reset/"),
    "password_reset_done": (None, "/accounts/password-reset/sent/"),
    "password_reset_complete": (None, "/accounts/password-reset/done/"),
    "catalogue": (None, "/catalogue/"),
    "course-page": (None, "/catalogue/{offering}/"),
    "credentials:verify_lookup": (None, "/verify/"),
    "credentials:verify": (None, "/verify/{credential}/"),
    "transfer-programmes": (None, "/transfer/programmes/"),
    "my-settings": (LEARNER, "/accounts/settings/"),
    "my-learning": (LEARNER, "/learning/"),
    "learner-profile": (LEARNER, "/learning/profile/"),
    "name-change": (LEARNER, "/learning/profile/name/"),
    "enrol": (LEARNER, "/catalogue/{offering}/enrol/"),
    "credentials:wallet": (LEARNER, "/credentials/"),
    "transfer-home": (LEARNER, "/transfer/"),
    "transfer-check": (LEARNER, "/transfer/check/?programme={sk29}"),
    "transfer-credential-add": (LEARNER, "/transfer/credentials/add/"),
    "proposal-list": (DEV, "/proposals/"),
    "proposal-new": (DEV, "/proposals/new/"),
    "proposal-edit": (DEV, "/proposals/{draft}/"),
    "proposal-queue": ("head.mqa@demo.unimas.my", "/proposals/queue/"),
    "proposal-workflow": ("head.mqa@demo.unimas.my", "/proposals/{submitted}/review/"),
    "proposal-board": ("cflex.reviewer@demo.unimas.my", "/proposals/board/"),
    "meeting-list": ("jtsppa.secretary@demo.unimas.my", "/proposals/meetings/"),
    "meeting-detail": ("jtsppa.secretary@demo.unimas.my", "/proposals/meetings/{meeting}/"),
    "teaching": ("instructor@demo.unimas.my", "/teaching/"),
    "gradebook": ("instructor@demo.unimas.my", "/teaching/{offering}/"),
    "results-queue": ("senate.secretary@demo.unimas.my", "/results/"),
    "cflex-offerings": (ADMIN, "/offerings/"),
    "cflex-offering": (ADMIN, "/offerings/{offering}/"),
    "name-change-queue": (ADMIN, "/names/"),
    "credentials:batches": (ADMIN, "/cflex/credentials/"),
    "credentials:batch": (ADMIN, "/cflex/credentials/batch/{batch}/"),
    "credentials:manage": (ADMIN, "/cflex/credentials/{credential}/"),
    "reports-index": ("dean@demo.unimas.my", "/reports/"),
    "report": (ADMIN, "/reports/delivery/"),
    "transfer-queue": ("coordinator@demo.unimas.my", "/transfer/queue/"),
    "transfer-application": ("coordinator@demo.unimas.my", "/transfer/applications/{transfer_application}/"),
    "two-factor": (ADMIN, "/accounts/two-factor/"),
    "quality-list": (ADMIN, "/proposals/quality/"),
    "proposal-quality": (ADMIN, "/proposals/{ready}/quality/"),
    "report-esp": (ADMIN, "/reports/esp/"),
    "credentials:issuer": (None, "/issuer/"),
    "credentials:transcripts": (LEARNER, "/credentials/transcripts/"),
}
# Routes that are not pages a person opens by a link: form posts, files, machine documents, and
# links that carry a one-time token or a record the demo world does not have.
NOT_PAGES = {
    "healthz": "machine check",
    "logout": "form post",
    "set_language": "form post",
    "language_choose": "sets the language cookie and redirects back",
    "register-confirm": "one-time link from a mail",
    "password_reset_confirm": "one-time link from a mail",
    "proposal-submit": "form post",
    "proposal-preview": "the editor's live totals (a form post answering JSON)",
    "proposal-delete": "form post",
    "proposal-survey-upload": "form post",
    "proposal-survey-download": "file",
    "proposal-transition": "form post",
    "proposal-sme": "form post",
    "proposal-video": "form post",
    "agenda-pdf": "file",
    "agenda-add": "form post",
    "agenda-decide": "form post",
    "name-change-evidence": "file",
    "name-change-detail": "no request in the demo world",
    "learning-enrolment": "checked by the learner crawl (tests/core/test_words_for_people.py)",
    "grade-import": "no upload in the demo world",
    "cflex-fee": "form post",
    "report-csv": "file",
    "credentials:verify_json": "machine document",
    "credentials:status_list": "machine document",
    "credentials:did": "machine document",
    "credentials:context": "machine document",
    "credentials:achievement": "machine document",
    "credentials:download": "file",
    "credentials:batch_retry": "form post",
    "transfer-apply": "form post",
    "transfer-credential-withdraw": "form post",
    "transfer-credential-evidence": "file",
    "transfer-transition": "form post",
    "transfer-mapping": "form post",
    "transfer-line-evidence": "file",
    "transfer-line-assess": "form post",
    "transfer-age-exception": "form post",
    "transfer-age-exception-revoke": "form post",
    "transfer-letter": "file",
    "credentials:badge_svg": "image",
    "credentials:badge_png": "image",
    "credentials:issuer_image": "image",
    "credentials:wallet_manifest": "machine document",
    "credentials:wallet_worker": "script",
    "credentials:transcript_withdraw": "form post",
    "credentials:add_to_wallet": "form post",
    "credentials:transcript": "a shared transcript's secret link (none in the demo world)",
    "credentials:transcript_json": "machine document",
    "credentials:transcript_pdf": "file",
    "credentials:zip_request": "form post",
    "credentials:resend": "form post",
    "credentials:zip": "a download's progress (none in the demo world)",
    "credentials:zip_status": "machine document",
    "credentials:zip_file": "file",
}


def _routes(patterns=None, ns: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith(("admin/", "api/")):
                continue
            names |= _routes(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            names.add(ns + p.name)
    return names


def test_every_route_is_a_checked_page_or_named_as_not_a_page():
    routes = _routes()
    assert routes - set(PAGES) - set(NOT_PAGES) == set(), "add the new route to PAGES (or NOT_PAGES, with why)"
    assert set(PAGES) | set(NOT_PAGES) <= routes


def _first_load_bytes(responses) -> int:
    total = 0
    for response in responses:
        if 300 <= response.status < 400:
            continue  # a redirect has no body
        try:
            body = response.body()
        except PlaywrightError:  # a request the page itself dropped (nothing was loaded)
            continue
        kind = response.headers.get("content-type", "")
        text = kind.startswith(("text/", "application/javascript", "image/svg"))
        total += len(gzip.compress(body, 6)) if text else len(body)
    return total


def test_every_page_is_axe_clean_and_within_the_weight_budget(browser, live_server, demo):
    ids = demo_ids()
    by_person: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    for name, (who, path) in PAGES.items():
        by_person[who].append((name, path.format(**ids)))
    heavy, sideways = {}, {}
    for who, pages in by_person.items():
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
        context.set_default_timeout(15_000)
        page = context.new_page()
        if who:
            log_in(page, who)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        refused = csp_violations(page)
        responses: list = []

        def record(response, responses=responses) -> None:
            responses.append(response)

        page.on("response", record)
        for name, path in pages:
            responses.clear()
            answer = page.goto(path)
            page.wait_for_load_state("load")
            assert answer is not None and answer.status == 200, (name, path, answer and answer.status)
            weight = _first_load_bytes(responses)
            if weight > BUDGET:
                heavy[name] = weight
            assert_accessible(page)
            page.set_viewport_size(PHONE)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                sideways[name] = width
            page.set_viewport_size(DESKTOP)
        assert refused == [], (who, refused)
        context.close()
    assert heavy == {}, f"over {BUDGET // 1024} KB on first load: {heavy}"
    assert sideways == {}, f"wider than {PHONE['width']} px on a phone (page width in px): {sideways}"

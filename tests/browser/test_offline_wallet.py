"""The offline learner wallet (issue 16): "My credentials" is an installable web app (manifest and
service worker, no CDN, no inline script). Once opened it keeps the page, its QR codes and the
PDFs on the device: with the network off a reload still shows them, and when the network is back
the statuses are refreshed. Its first load stays within the 60 KB page-weight budget."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from credentials.models import Credential
from credentials.services import credential_status_change
from tests.browser.conftest import PHONE, csp_violations, log_in
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser]

FIRST_LOAD_BUDGET = 60 * 1024


def test_my_credentials_open_offline_with_qr_codes_and_pdfs(browser, live_server, demo):
    credential = Credential.objects.filter(learner__email="learner@demo.unimas.my").first()
    assert credential is not None
    # Log in in one context, then open "My credentials" for the first time in a fresh one (an
    # empty HTTP cache), as a learner on a new phone would.
    login = browser.new_context(base_url=live_server.url)
    log_in(login.new_page(), "learner@demo.unimas.my")
    state = login.storage_state()
    login.close()
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        storage_state=state,
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused = csp_violations(page)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))

    page.goto("/credentials/", wait_until="load")
    transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
    assert transferred <= FIRST_LOAD_BUDGET, f"first load {transferred} bytes"
    print(f"first load of My credentials: {transferred} bytes in {len(finished)} responses")
    manifest = page.locator("link[rel=manifest]").get_attribute("href")
    assert manifest and page.request.get(manifest).json()["start_url"] == "/credentials/"
    # The service worker has kept the page, its files and every PDF.
    expect(page.locator("[data-wallet]")).to_have_attribute("data-offline-ready", "true")
    pdf_links = page.locator("[data-keep]")
    assert pdf_links.count() >= 2
    pdf_href = pdf_links.first.get_attribute("href")
    # Issue 17: "Copy link" (js/share.js, shown only where it works) copies the share link and says so.
    page.get_by_role("button", name="Copy link").first.click()
    expect(page.locator("[data-copy-status]").first).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("input.share-link").first.input_value()

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="My credentials")).to_be_visible()
    expect(page.get_by_text(credential.serial)).to_be_visible()
    expect(page.locator("[data-offline-note]")).to_be_visible()
    qr_codes = page.locator(".verify-qr img")
    assert qr_codes.count() >= 1
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr_codes.first.element_handle())
    thumb = page.locator("img.credential-thumb").first  # the badge image, kept too (issue 17)
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", thumb.element_handle())
    pdf = page.evaluate(
        """async (url) => {
            const response = await fetch(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            return [response.status, response.headers.get("content-type"), String.fromCharCode(...bytes.slice(0, 5))];
        }""",
        pdf_href,
    )
    assert pdf == [200, "application/pdf", "%PDF-"]

    # Back online: the status shown is refreshed from the portal without a reload.
    credential_status_change(
        actor=user_with_role(Role.CFLEX_ADMIN), credential_id=credential.pk, action="suspend", reason="Check"
    )
    context.set_offline(False)
    status = page.locator(f'[data-status-of="{credential.verification_id}"]')
    expect(status).to_have_text("Suspended", timeout=20_000)
    expect(page.locator("[data-offline-note]")).to_be_hidden()
    assert refused == []
    context.close()

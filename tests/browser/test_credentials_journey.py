"""End to end: the demo learner downloads their certificate; an employer on a phone scans its QR
code (decoded from the rendered PDF page) and sees "valid"; CFLEX revokes it; the employer's
page and an uploaded copy of the badge then say "revoked" (R-CR-1, R-CR-3, R-CR-5)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from credentials.models import Credential
from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser]


def _qr_text(pdf: bytes, folder: Path) -> str:
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(folder / "certificate.pdf"), str(folder / "page")],
        check=True,
    )
    page = next(folder.glob("page*.png"))
    codes = zxingcpp.read_barcodes(Image.open(page))
    assert codes, "no QR code found on the certificate"
    return codes[0].text


def test_scan_verify_revoke_and_verify_again(browser, live_server, demo, tmp_path):
    credential = Credential.objects.get(learner__email="learner@demo.unimas.my")
    learner = browser.new_context(base_url=live_server.url)
    page = learner.new_page()
    log_in(page, "learner@demo.unimas.my")
    page.goto("/credentials/")
    expect(page.get_by_role("heading", name="My credentials")).to_be_visible()
    certificate_href = page.get_by_role("link", name="Certificate (PDF)").get_attribute("href")
    badge_href = page.get_by_role("link", name="Digital badge (JSON)").get_attribute("href")
    assert certificate_href and badge_href
    pdf = page.request.get(certificate_href).body()
    assert pdf.startswith(b"%PDF")
    badge = page.request.get(badge_href).body()
    learner.close()

    scanned = _qr_text(pdf, tmp_path)
    assert urlsplit(scanned).path == f"/verify/{credential.verification_id}/"
    employer = browser.new_context(base_url=live_server.url, viewport=PHONE)
    phone = employer.new_page()
    phone.goto(urlsplit(scanned).path)
    expect(phone.get_by_role("heading", name="Valid credential")).to_be_visible()
    expect(phone.get_by_text(credential.serial)).to_be_visible()

    cflex = browser.new_context(base_url=live_server.url)
    admin = cflex.new_page()
    log_in(admin, "cflex.admin@demo.unimas.my")
    admin.goto("/cflex/credentials/")
    admin.get_by_label("Find a credential by serial no., learner name or email").fill(credential.serial)
    admin.get_by_role("button", name="Search").click()
    admin.get_by_role("link", name=credential.serial).click()
    admin.get_by_label("Action").select_option("revoke")
    admin.get_by_label("Reason", exact=True).fill("Issued in error")
    admin.get_by_role("button", name="Apply and publish").click()
    expect(admin.get_by_text("Revoked: Issued in error")).to_be_visible()
    cflex.close()

    phone.reload()
    expect(phone.get_by_role("heading", name="Revoked: this credential is no longer valid")).to_be_visible()
    expect(phone.get_by_text("Issued in error")).to_be_visible()
    (tmp_path / "badge.json").write_bytes(badge)
    phone.goto("/verify/")
    phone.get_by_label("Credential file (.json)").set_input_files(str(tmp_path / "badge.json"))
    phone.get_by_role("button", name="Verify").click()
    expect(phone.get_by_role("heading", name="Revoked: this credential is no longer valid")).to_be_visible()
    employer.close()

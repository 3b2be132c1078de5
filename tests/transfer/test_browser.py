"""The credit-transfer journey in Chromium (R-CT-6), each step by the demo user whose role takes it,
logged in through the login form: the learner checks what would count towards SK29 with the
credential UNIMAS issued them and a course from another university, and applies; the coordinator
corrects a course mapping, accepts the evidence and supports; the Dean approves; the learner
receives the decision letter by email (PDF attached) and finds it on the application's page.

Celery runs its tasks in-process here (``task_always_eager``), as the worker would after commit,
so the letter is written and mailed by the real task and service."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core import mail

from core.demo import demo_seed
from courses.models import Programme
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, log_in
from transfer.models import Application, DecisionLetter

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SHOTS = os.environ.get("MCPORTAL_SHOTS", "")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(live_server, settings, tmp_path, monkeypatch) -> Iterator:
    from mcportal.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        opened: dict = {}
        errors: list[str] = []

        def as_(who: str):
            if who not in opened:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
                context.set_default_timeout(15_000)
                page = context.new_page()
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                log_in(page, f"{who}@demo.unimas.my")
                opened[who] = page
            return opened[who]

        try:
            yield as_
        finally:
            app.conf.task_always_eager = eager
            browser.close()
        assert not errors, errors


def shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"transfer-{name}.png"), full_page=True)


def assert_accessible(page) -> None:
    from tests.browser.test_accessibility import assert_accessible as axe_check

    axe_check(page)


def claim(page, code: str):
    return page.locator(".claim").filter(has=page.locator(f"h3:has-text('{code}')"))


def test_learner_applies_coordinator_adjusts_and_supports_dean_approves_learner_gets_the_letter(people):
    mail.outbox.clear()
    learner = people("learner")

    # What would count? The learner's home panel leads there.
    learner.get_by_role("link", name="Credit transfer: what would count?").click()
    learner.get_by_label("Programme").select_option(
        label="SK29 Bachelor of Computer Science with Honours (Network Computing)"
    )
    learner.get_by_role("button", name="Show what would count").click()
    # The micro-credential UNIMAS issued maps to the course it was made from (R-CT-1, R-NM-2).
    expect(claim(learner, "TMUI233MC").locator("select")).to_have_value("TMUI233")
    expect(claim(learner, "TMUI233MC").locator(".outcome")).to_contain_text("Counts for 3 credits towards TMUI233")
    expect(learner.locator("#credits-transferred")).to_have_text("3 of 128 credits")
    # The course from another university: the learner maps it (to the wrong course, as it happens).
    claim(learner, "KMK2053").locator("select").select_option("TMN4033")
    learner.get_by_role("button", name="Recalculate with these mappings").click()
    expect(learner.locator("#credits-transferred")).to_have_text("6 of 128 credits")
    expect(claim(learner, "KMK2053").locator(".outcome")).to_contain_text("Provisional")
    expect(learner.locator("#result")).to_contain_text("You would still take 122 credits")
    expect(learner.locator("#apelm")).to_contain_text("Not eligible for APEL.M")
    shot(learner, "check")
    assert_accessible(learner)
    learner.get_by_label("A note to the reviewers (optional)").fill("KMK2053 is the UMS networks course.")
    learner.get_by_role("button", name="Apply", exact=True).click()
    expect(learner.locator("#status")).to_have_text("With the programme coordinator")
    application = Application.objects.get(learner__email="learner@demo.unimas.my", programme__code="SK29")
    assert application.credits_transferred == 6

    # The coordinator corrects the mapping, accepts the evidence and supports (R-CT-6).
    coordinator = people("coordinator")
    coordinator.goto("/transfer/queue/")
    coordinator.locator("#waiting").get_by_role("link", name=f"Application {application.pk}: SK29").click()
    expect(coordinator.locator("main")).to_contain_text("KMK2053 is the UMS networks course.")
    claim(coordinator, "KMK2053").locator("select").select_option("TMN2053")
    coordinator.get_by_label("Why the mapping changes (optional)").fill("KMK2053 matches TMN2053 Computer Networks.")
    coordinator.get_by_role("button", name="Save the course mapping").click()
    expect(coordinator.locator(".message")).to_contain_text("The course mapping is saved.")
    expect(claim(coordinator, "KMK2053").locator("select")).to_have_value("TMN2053")
    review = coordinator.locator("section").filter(has=coordinator.get_by_role("heading", name="Review KMK2053"))
    review.get_by_role("button", name="Accept the evidence").click()
    expect(claim(coordinator, "KMK2053")).to_contain_text("Verified")
    shot(coordinator, "coordinator")
    assert_accessible(coordinator)
    coordinator.get_by_label("Comment (optional)").first.fill("Both courses match; supported.")
    coordinator.get_by_role("button", name="Support: send to the Dean").click()
    expect(coordinator.locator("#status")).to_have_text("With the Dean")

    # The Dean approves.
    dean = people("dean")
    dean.goto("/transfer/queue/")
    dean.locator("#waiting").get_by_role("link", name=f"Application {application.pk}: SK29").click()
    expect(dean.locator("main")).to_contain_text("Both courses match; supported.")
    dean.get_by_role("button", name="Approve the credit transfer").click()
    expect(dean.locator("#status")).to_have_text("Approved")

    # The learner receives the decision letter: by email with the PDF, and on the page.
    application.refresh_from_db()
    assert application.status == "approved" and application.credits_transferred == 6
    letter = DecisionLetter.objects.get(application=application)
    assert letter.sent_at is not None
    letters = [m for m in mail.outbox if m.attachments]
    to_learner = next(m for m in letters if m.to == ["learner@demo.unimas.my"])
    _name, content, mimetype = to_learner.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF-")
    assert any(m.to == ["cflex.admin@demo.unimas.my"] for m in letters)  # and to the administrator
    learner.goto(f"/transfer/applications/{application.pk}/")
    expect(learner.locator("#status")).to_have_text("Approved")
    expect(claim(learner, "KMK2053").locator("[data-mapped]")).to_have_text("TMN2053")
    link = learner.locator("#letter-link")
    expect(link).to_be_visible()
    pdf = learner.request.get(link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    shot(learner, "approved")


def test_the_apelc_officer_assesses_a_samc_claim_clo_by_clo(people):
    # DOMAIN R-AP-1, R-CT-6: the learner's stand-alone MC goes to the APEL.C officer first.
    from accounts.models import User
    from transfer.models import PriorCredential
    from transfer.services import Claim, application_submit

    learner = User.objects.get(email="learner@demo.unimas.my")
    samc = PriorCredential.objects.get(learner=learner, code="GITS101")
    application = application_submit(
        actor=learner, programme_id=Programme.objects.get(code="SK29").pk, claims=[Claim(samc.ref, "TMN4033")]
    )
    officer = people("apelc")
    officer.goto("/transfer/queue/")
    officer.locator("#waiting").get_by_role("link", name=f"Application {application.pk}: SK29").click()
    expect(claim(officer, "GITS101")).to_contain_text("Not assessed yet")
    assert_accessible(officer)
    officer.get_by_label("Attainment on each CLO of the claimed course, in %, separated by commas").fill("72, 49")
    officer.get_by_role("button", name="Record the CLO assessment").click()
    expect(claim(officer, "GITS101").locator(".outcome")).to_contain_text(
        "Below 50% on at least one course learning outcome"
    )
    expect(officer.locator("#credits-transferred")).to_have_text("0 of 128 credits")
    officer.get_by_label("Attainment on each CLO of the claimed course, in %, separated by commas").fill("72, 150")
    officer.get_by_role("button", name="Record the CLO assessment").click()
    expect(officer.locator("[data-error-code=clo_attainment_invalid]")).to_contain_text("CLO 2")
    assert_accessible(officer)

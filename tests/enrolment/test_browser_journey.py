"""End to end at 360 px: a visitor finds a course in the catalogue in Malay, registers, enrols;
the instructor imports marks from Moodle; the committee and Senate approve; the learner sees the
result and the survey."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import PHONE, log_in, use_language
from tests.enrolment import builders
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser]
SHOTS = Path(os.environ.get("MCPORTAL_SHOTS", "") or tempfile.gettempdir()) / "shots-enrol"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


@pytest.fixture
def context(live_server, transactional_db, monkeypatch):
    from importlib import import_module

    from django.apps import apps
    from playwright.sync_api import sync_playwright

    from policy.models import PolicyVersion
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not PolicyVersion.objects.exists():  # an earlier transactional test may have flushed it
        import_module("policy.migrations.0002_seed_policy").forwards(apps, None)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(10_000)
        yield context
        browser.close()


@pytest.fixture
def page(context):
    return context.new_page()


def test_public_visitor_to_approved_result_on_a_phone(page, context, live_server, transactional_db):
    course = builders.ready_course()
    teacher = user_with_role(Role.INSTRUCTOR, email="teacher@example.test", full_name="Dr. Tan")
    offer = builders.offering(course, teacher=teacher)
    user_with_role(Role.COMMITTEE_SECRETARY, committee="JTSPPA", email="jtsppa@example.test")
    user_with_role(Role.SENATE_SECRETARY, email="senate@example.test")

    use_language(context, "ms", live_server.url)
    page.goto("/catalogue/?q=Computer")
    assert page.locator("html").get_attribute("lang") == "ms"
    shot(page, "catalogue-ms")
    page.locator(f'[data-offering="{offer.pk}"] h2 a').click()
    expect(page.locator("#apel-warning")).to_be_visible()
    shot(page, "course-ms")

    use_language(context, "en", live_server.url)
    page.goto("/accounts/register/")
    page.get_by_label("Full name").fill("Nur Sabrina Binti Jamil")
    page.get_by_label("Email address").fill("sabrina@example.test")
    page.get_by_label("Password", exact=True).fill("sarawak-kek-lapis-26")
    page.get_by_label("Password again").fill("sarawak-kek-lapis-26")
    page.get_by_role("button", name="Create my account").click()
    link = re.search(r"https?://\S+/accounts/register/confirm/\S+/", mail.outbox[-1].body)
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm and log in").click()
    page.wait_for_url("/")

    page.goto(f"/catalogue/{offer.pk}/enrol/")
    page.wait_for_url(re.compile("/learning/profile/"))
    page.get_by_label("Full name as on your identity document").fill("Nur Sabrina Binti Jamil")
    page.get_by_label("Malaysian NRIC (MyKad)").check()
    page.get_by_label("NRIC or passport number").fill("020304-13-5566")
    page.get_by_label("Phone").fill("+60 12-345 6789")
    page.locator("#id_pdpa_consent").check()
    shot(page, "profile")
    page.locator("#save-profile").click()
    page.wait_for_url(re.compile("/enrol/"))
    page.locator("#confirm-enrol").click()
    page.wait_for_url(re.compile(r"/learning/\d+/"))
    enrolment_url = page.url
    page.get_by_role("button", name="Log out").click()
    builders.course_has_run(offer)  # R-RS-4: results go forward only after the course has run

    log_in(page, "teacher@example.test", "a-long-test-password")
    page.goto(f"/teaching/{offer.pk}/")
    csv = (
        "First name,Last name,Email address,Quiz: Quiz (Real),Forum: Forum (Real),Assignment: Essay (Real)\n"
        "Nur Sabrina,Jamil,sabrina@example.test,85,70,75\n"
        "Ghost,Learner,ghost@example.test,10,10,10\n"
    )
    page.locator("#import-file").set_input_files(
        files=[{"name": "grades.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.locator("#upload-import").click()
    page.wait_for_url(re.compile("/teaching/import/"))
    page.get_by_label("Quiz: Quiz (Real)").select_option(label="Quiz (30%)")
    page.get_by_label("Forum: Forum (Real)").select_option(label="Forum (20%)")
    page.get_by_label("Assignment: Essay (Real)").select_option(label="Essay (50%)")
    page.locator("#preview-import").click()
    expect(page.locator('#import-problems [data-code="unknown_learner"]')).to_have_count(1)
    shot(page, "import-preview")
    page.locator("#confirm-import").click()
    page.wait_for_url(re.compile(rf"/teaching/{offer.pk}/$"))
    shot(page, "gradebook")
    page.locator("#submit-results").click()
    expect(page.locator("#results-status")).to_have_text("Submitted to committee")
    page.get_by_role("button", name="Log out").click()

    for email, button in (("jtsppa@example.test", "Endorse"), ("senate@example.test", "Approve (Senate)")):
        log_in(page, email, "a-long-test-password")
        page.goto("/results/")
        shot(page, f"queue-{email.split('@')[0]}")
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text("Recorded")
        page.get_by_role("button", name="Log out").click()

    log_in(page, "sabrina@example.test", "sarawak-kek-lapis-26")
    page.goto(enrolment_url)
    expect(page.locator("#final-result")).to_contain_text("77.00")  # 25.5 + 14 + 37.5
    expect(page.locator("#survey")).to_be_visible()
    shot(page, "result-and-survey")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

"""End-to-end journeys in Chromium: staff and learners log in through the real form, a new
learner registers and confirms by email, and htmx requests carry the CSRF token."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(
    ("email", "role", "panel_title"),
    [
        ("developer@demo.unimas.my", "course_developer", "Course developer"),
        ("cflex.admin@demo.unimas.my", "cflex_admin", "CFLEX administrator"),
        ("learner@demo.unimas.my", "learner", "Learner"),
    ],
)
def test_demo_user_logs_in_sees_role_panel_and_logs_out(page, demo, email, role, panel_title):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    log_in(page, email)

    panel = page.locator(f'[data-role="{role}"]')
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_have_text(panel_title)
    expect(page.locator("[data-role]")).to_have_count(1)
    expect(page.get_by_text(re.compile(r"^Logged in as "))).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("/")
    expect(page.locator("[data-role]")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Micro-credentials from Universiti Malaysia Sarawak")


def test_learner_registers_confirms_by_email_and_lands_home(page, transactional_db):
    page.goto("/")
    page.get_by_role("link", name="Register as a learner").click()
    page.get_by_label("Full name").fill("Nur Sabrina Binti Jamil")
    page.get_by_label("Email address").fill("sabrina@example.test")
    page.get_by_label("Password", exact=True).fill("sarawak-kek-lapis-26")
    page.get_by_label("Password again").fill("sarawak-kek-lapis-26")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("sabrina@example.test")).to_be_visible()
    assert not User.objects.get(email="sabrina@example.test").is_active

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sabrina@example.test"]
    link = re.search(r"https?://\S+/accounts/register/confirm/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0))
    # Opening the link confirms nothing by itself (mail scanners open links too): one button does.
    assert not User.objects.get(email="sabrina@example.test").is_active
    page.get_by_role("button", name="Confirm and log in").click()

    page.wait_for_url("/")
    expect(page.get_by_role("status")).to_contain_text("Your email address is confirmed")
    expect(page.locator('[data-role="learner"]')).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nur Sabrina Binti Jamil")

    # The new password works from now on.
    page.get_by_role("button", name="Log out").click()
    log_in(page, "sabrina@example.test", "sarawak-kek-lapis-26")
    expect(page.locator('[data-role="learner"]')).to_be_visible()


def test_registration_errors_are_shown_next_to_the_fields(page, transactional_db):
    page.goto("/accounts/register/")
    page.get_by_label("Full name").fill("Test Person")
    page.get_by_label("Email address").fill("person@example.test")
    page.get_by_label("Password", exact=True).fill("sarawak-kek-lapis-26")
    page.get_by_label("Password again").fill("something-else-entirely")
    page.get_by_role("button", name="Create my account").click()
    again = page.get_by_label("Password again")
    expect(again).to_have_attribute("aria-invalid", "true")
    # The error is announced with the field: aria-describedby points at it.
    error_id = again.get_attribute("aria-describedby")
    assert error_id
    expect(page.locator(f"#{error_id}")).to_have_text("The two passwords differ.")
    assert len(mail.outbox) == 0


def _htmx_post_status(page) -> int:
    return page.evaluate(
        """() => new Promise(resolve => {
            document.body.addEventListener('htmx:afterRequest', e => resolve(e.detail.xhr.status), {once: true});
            htmx.ajax('POST', '/i18n/setlang/', {values: {language: 'ms', next: '/'}, swap: 'none'});
        })"""
    )


def test_htmx_is_served_locally_and_sends_the_csrf_token(page, context, live_server):
    page.goto("/")
    assert page.evaluate("typeof window.htmx") == "object"
    # Nothing comes from a CDN: every script and stylesheet is on the portal's own origin.
    urls = page.evaluate("[...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href)")
    assert urls
    assert all(url.startswith(live_server.url) for url in urls), urls

    # Without the header that base.html puts on <body>, Django refuses the POST...
    page.evaluate("document.body.removeAttribute('hx-headers')")
    assert _htmx_post_status(page) == 403
    # ...with it, the same request goes through.
    page.reload()
    assert _htmx_post_status(page) == 200
    assert {c["name"]: c["value"] for c in context.cookies()}.get("django_language") == "ms"

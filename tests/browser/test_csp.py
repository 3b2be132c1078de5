"""The Content-Security-Policy (issue 12) breaks nothing the pages of other tests do not visit:
the admin (with its autocomplete widget), the API docs and the two-factor set-up page."""

from __future__ import annotations

import pytest

from accounts.models import User
from core.demo import DEMO_PASSWORD
from tests.browser.conftest import csp_violations, log_in

pytestmark = [pytest.mark.browser]


def test_the_admin_works_under_the_policy(page, demo):
    refused = csp_violations(page)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Email address").fill("cflex.admin@demo.unimas.my")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("/admin/")
    user = User.objects.get(email="learner@demo.unimas.my")
    for path in (
        "/admin/",
        "/admin/accounts/roleassignment/add/",
        f"/admin/accounts/user/{user.pk}/change/",
        "/admin/audit/auditevent/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
    # The autocomplete widget (select2) opens and searches.
    page.goto("/admin/accounts/roleassignment/add/")
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("learner")
    page.wait_for_selector(".select2-results__option >> text=learner@demo.unimas.my")
    assert refused == []


def test_the_api_docs_work_under_the_policy(page, demo):
    refused = csp_violations(page)
    log_in(page, "developer@demo.unimas.my")
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock")
    assert refused == []


def test_the_two_factor_qr_code_shows(page, demo):
    refused = csp_violations(page)
    log_in(page, "cflex.admin@demo.unimas.my")
    page.goto("/accounts/two-factor/")
    qr = page.locator("img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert refused == []

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_api_root_links_the_schema_and_resources():
    response = APIClient().get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"].endswith("/api/v1/schema/")
    assert body["docs"].endswith("/api/v1/docs/")


def test_openapi_schema_describes_the_api():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/policy/in-force/" in schema["paths"]


def test_schema_page_is_served_without_a_cdn():
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_me_lists_the_roles_held(ptj):
    user = user_with_role(Role.DEAN, ptj=ptj)
    client = APIClient()
    client.force_authenticate(user)
    body = client.get("/api/v1/me/").json()
    assert body["email"] == user.email
    assert body["roles"] == [{"role": "dean", "ptj": "FCSIT", "committee": ""}]


def test_policy_in_force_api_returns_the_numbers_by_date():
    client = APIClient()
    client.force_authenticate(user_with_role(Role.LEARNER))
    body = client.get("/api/v1/policy/in-force/", {"on": "2026-03-01"}).json()
    assert body["hours_per_credit"] == 40
    assert body["effective_from"] == "2025-01-01"
    assert {r["activity"] for r in body["slt_rates"]} >= {"slide", "quiz", "exam_long"}


def test_healthz_answers():
    assert APIClient().get("/healthz").content == b"ok"


def test_schema_generates_without_warnings_and_validates(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/me/" in (tmp_path / "schema.yml").read_text()

"""The OpenAPI schema tells the truth (issue 12): it generates without a warning, a paginated
list is described as a page object, and every operation documents its refusals with the one
error envelope (core.schema.ErrorEnvelope)."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    target = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    return yaml.safe_load(target.read_text())


def test_the_paginated_proposal_list_is_a_page_object(schema):
    ok = schema["paths"]["/api/v1/proposals/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"][ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert page["type"] == "object"
    assert set(page["required"]) >= {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    assert page["properties"]["next"]["nullable"] is True
    parameters = {p["name"] for p in schema["paths"]["/api/v1/proposals/"]["get"]["parameters"]}
    assert {"limit", "offset"} <= parameters


def test_every_operation_documents_its_refusals_with_the_error_envelope(schema):
    envelope = schema["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["required"] == ["error"]
    detail = schema["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message", "field"} and detail["properties"]["field"]["nullable"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "403" in codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "409"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            for code in codes & {"400", "403", "404", "409"}:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorEnvelope"), (method, path, code)


def test_the_sme_appointment_requires_the_sme_one_saw(schema):
    """Issue 12 (lost updates): expected_sme is required and may be null."""
    body = schema["paths"]["/api/v1/proposals/{id}/sme/"]["post"]["requestBody"]["content"]["application/json"]
    component = schema["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert "expected_sme" in component["required"] and component["properties"]["expected_sme"]["nullable"]


def test_operations_document_every_refusal_they_can_give(schema):
    """Found by the API fuzzing (tests/security/test_api_fuzz.py): a malformed query parameter is
    a 400, a body over the limit a 413, a rate-limited view's refusal a 429."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
                assert "400" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "413" in codes, (method, path)
    verify = schema["paths"]["/api/v1/credentials/verify/"]["post"]["responses"]
    assert verify["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    status = schema["paths"]["/api/v1/credentials/{verification_id}/"]["get"]["responses"]
    assert status["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    assert "429" not in schema["paths"]["/api/v1/me/"]["get"]["responses"]  # not rate-limited


def test_the_wallet_answers_are_the_ones_documented(schema):
    offer = schema["paths"]["/api/v1/credentials/{verification_id}/wallet-offer/"]["post"]["responses"]
    assert "201" in offer and "200" not in offer  # the offer creates an exchange: 201, as it answers
    exchange = schema["paths"]["/api/v1/wallet/exchanges/{token}/"]["post"]["responses"]
    assert exchange["410"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")


@pytest.mark.django_db
def test_a_malformed_query_parameter_is_a_documented_400(client):
    from accounts.models import Role
    from tests.factories import user_with_role
    from tests.openapi import assert_conforms

    client.force_login(user_with_role(Role.CFLEX_ADMIN))
    response = client.get("/api/v1/policy/in-force/", {"on": "yesterday"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "on"
    assert_conforms(response, "/api/v1/policy/in-force/", "get")

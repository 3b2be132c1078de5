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

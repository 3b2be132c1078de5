"""Check one real API answer against the portal's OpenAPI schema (issue 12): the status code is
documented for that operation and the body matches the schema of that code, with required and
nullable fields as the schema says."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
from django.test import Client


@functools.cache
def openapi() -> dict[str, Any]:
    """The schema the portal serves at /api/v1/schema/ (no database needed to build it)."""
    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` as JSON Schema's "or null"; everything else as it is."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


def operation(path: str, method: str) -> dict[str, Any]:
    return openapi()["paths"][path][method.lower()]


def assert_conforms(response: Any, path: str, method: str) -> None:
    """``path`` is the schema's template (``/api/v1/transfer/credentials/{id}/withdraw/``)."""
    responses = operation(path, method)["responses"]
    code = str(response.status_code)
    assert code in responses, f"{method.upper()} {path} answered {code}; the schema documents {sorted(responses)}"
    content = responses[code].get("content")
    if content is None:
        assert not response.content, f"{method.upper()} {path} {code}: the schema documents no body"
        return
    body_schema = content["application/json"]["schema"]
    document = _as_json_schema({**body_schema, "components": openapi()["components"]})
    jsonschema.validate(json.loads(response.content), document)

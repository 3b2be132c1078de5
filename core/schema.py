"""OpenAPI schema generation shared by every app's APIs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction, OpenApiResponse
from rest_framework import serializers


class ErrorDetail(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # Built here, not declared: a declared field named "fields" would hide Serializer.fields.
        return {
            "code": serializers.CharField(help_text="Stable code of the refusal: tests and clients match on it."),
            "message": serializers.CharField(help_text="What went wrong, in the caller's language."),
            "field": serializers.CharField(
                allow_null=True, help_text="The input field at fault (a path such as units[0].lines), or null."
            ),
            "fields": serializers.JSONField(required=False, help_text="Every field's errors, when there were several."),
            "current": serializers.JSONField(required=False, help_text="A 409 stale_change: the value as it now is."),
        }


class ErrorEnvelope(serializers.Serializer[Any]):
    """Every 4xx answer of the API (core.exceptions.api_exception_handler)."""

    error = ErrorDetail()


_ERRORS = {
    "400": "The input is refused: error.field names the field and error.code the rule.",
    "403": "Not logged in, or the role may not do this.",
    "404": "No such record, or it is someone else's.",
    "409": "The record's state does not allow this now, or it changed since you read it (stale_change).",
    "413": "The body is larger than the portal accepts.",
    "429": "Too many requests from this address or account: wait, then try again.",
}
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_BODIES = {"POST", "PUT", "PATCH"}
# For a view that limits its callers without DRF throttle classes (its own counters).
RATE_LIMITED = OpenApiResponse(ErrorEnvelope, description=_ERRORS["429"])
# For an operation whose input (not its path) names a record by id: declare it beside the answer,
# ``@extend_schema(responses={201: Out, 404: INPUT_NAMES_NO_RECORD})``.
INPUT_NAMES_NO_RECORD = OpenApiResponse(
    ErrorEnvelope, description="A record the input names (by id) does not exist, or is someone else's."
)


class PortalAutoSchema(AutoSchema):
    """Names nested serializers after the view that holds them (STYLE.md: each API view has its
    own ``InputSerializer`` / ``OutputSerializer``), so ``MeApi.OutputSerializer`` becomes the
    component ``MeOutput`` instead of clashing with every other ``Output``."""

    def get_serializer_name(self, serializer: Any, direction: Direction) -> str:
        cls = serializer if isinstance(serializer, type) else type(serializer)
        parts = cls.__qualname__.split(".")
        if len(parts) > 1:
            outer = [p.removesuffix("Api").removesuffix("Serializer") for p in parts[:-1]]
            return "".join(outer) + parts[-1].removesuffix("Serializer")
        return super().get_serializer_name(serializer, direction)

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        """The documented answers plus the error envelope for the refusals this operation can
        give: 400 when it reads input (a body or query parameters), 403 always, 404 when its path
        names a record, 409 for a write, 413 when it reads a body (too large), 429 when the view is
        rate-limited."""
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        codes = {"403"}
        if self.method in _WRITES or any(parameter["in"] == "query" for parameter in self._get_parameters()):
            codes.add("400")  # a body, or a query parameter (filters, pages, ?on=) that can be malformed
        if "{" in self.path:
            codes.add("404")
        if self.method in _WRITES:
            codes |= {"400", "409"}
        if self.method in _BODIES:
            codes.add("413")
        if self.view.get_throttles():
            codes.add("429")
        for code in sorted(codes):
            if code not in bodies:
                bodies[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorEnvelope, description=_ERRORS[code]), code
                )
        return bodies

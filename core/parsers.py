"""The API's JSON parser: the bounded reader of core.safejson, so no body can nest deep enough to
crash a view, and every refusal is the API's JSON error envelope (400, or 413 for too large)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from core import safejson


class JsonRejected(exceptions.APIException):
    """A request body refused by the bounded JSON reader, with the reader's code."""

    status_code = 400
    default_code = "json_invalid"

    def __init__(self, error: safejson.JsonInputError) -> None:
        super().__init__(detail=error.message, code=error.code)
        self.status_code = error.status


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = safejson.max_bytes_default()
        raw = stream.read(limit + 1) if stream is not None else b""
        try:
            return safejson.loads(raw, max_bytes=limit)
        except safejson.JsonInputError as error:
            raise JsonRejected(error) from None

"""OpenAPI schema generation shared by every app's APIs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction


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

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView


class ApiRootApi(APIView):
    """The API's front door: links to every resource and to the OpenAPI schema."""

    permission_classes = (AllowAny,)

    class OutputSerializer(serializers.Serializer[dict[str, str]]):
        schema = serializers.URLField()
        docs = serializers.URLField()
        me = serializers.URLField()
        policy_in_force = serializers.URLField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return reverse(name, request=request)

        return Response(
            {
                "schema": link("api-schema"),
                "docs": link("api-docs"),
                "me": link("api-me"),
                "policy_in_force": link("api-policy-in-force"),
            }
        )

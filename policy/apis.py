from __future__ import annotations

from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from policy.api import policy_in_force


class PolicyInForceApi(APIView):
    """The policy version in force today, or on ``?on=YYYY-MM-DD``."""

    class InputSerializer(serializers.Serializer[Any]):
        on = serializers.DateField(required=False)

    @extend_schema(parameters=[OpenApiParameter("on", str, description="A date, YYYY-MM-DD")])
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(asdict(policy_in_force(params.validated_data.get("on"))))

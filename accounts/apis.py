from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import RoleAssignment, User


class MeApi(APIView):
    """Who is asking, and the roles they hold."""

    class OutputSerializer(serializers.Serializer[Any]):
        class RoleSerializer(serializers.Serializer[RoleAssignment]):
            role = serializers.CharField()
            ptj = serializers.CharField(source="ptj.code", allow_null=True, default=None)
            committee = serializers.CharField()

        email = serializers.EmailField()
        full_name = serializers.CharField()
        roles = RoleSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated guarantees it
        roles = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("ptj")
        data = {"email": user.email, "full_name": user.full_name, "roles": roles}
        return Response(self.OutputSerializer(data).data)

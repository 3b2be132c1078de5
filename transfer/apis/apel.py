"""API: APEL.M age exceptions (R-AP-4)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.schema import INPUT_NAMES_NO_RECORD
from transfer import services
from transfer.apis.common import _user


class AgeExceptionCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        learner = serializers.IntegerField()
        programme = serializers.IntegerField()
        reason = serializers.CharField()

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        learner = serializers.IntegerField(source="learner_id")
        programme = serializers.IntegerField(source="programme_id")
        reason = serializers.CharField()
        granted_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer, 404: INPUT_NAMES_NO_RECORD})
    def post(self, request: Request) -> Response:
        """R-AP-4: the university's exception to the APEL.M minimum age, with its reason."""
        services.age_exception_may_grant(actor=_user(request))  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        exception = services.age_exception_grant(
            actor=_user(request), learner_id=v["learner"], programme_id=v["programme"], reason=v["reason"]
        )
        return Response(self.OutputSerializer(exception).data, status=status.HTTP_201_CREATED)


class AgeExceptionRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        reason = serializers.CharField()

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        learner = serializers.IntegerField(source="learner_id")
        programme = serializers.IntegerField(source="programme_id")
        reason = serializers.CharField()
        granted_at = serializers.DateTimeField()
        revoked_at = serializers.DateTimeField()
        revoke_reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """R-AP-4: withdraw an age exception, with its reason; the row is kept."""
        services.age_exception_may_revoke(actor=_user(request), exception_id=pk)  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exception = services.age_exception_revoke(
            actor=_user(request), exception_id=pk, reason=data.validated_data["reason"]
        )
        return Response(self.OutputSerializer(exception).data)

"""API: the transition table, programmes, the learner's credentials and what would count."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.schema import INPUT_NAMES_NO_RECORD
from transfer import selectors, services
from transfer.apis.common import HeldSerializer, ProgrammeSerializer, ResultSerializer, _user, result_output
from transfer.choices import EXTERNAL_KINDS
from transfer.policies.workflow import TABLE


class TransitionTableApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        from_state = serializers.CharField(source="source", help_text="'' for the learner's submission.")
        action = serializers.CharField()
        actor = serializers.CharField()
        target = serializers.CharField(help_text="'@route': APEL.C officer when SAMCs are claimed, else coordinator.")
        comment_required = serializers.BooleanField()
        guard = serializers.CharField()
        final = serializers.BooleanField(help_text="A decision: the letter is written and sent.")

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every step of a credit-transfer application: who takes it, from where, to where."""
        return Response(self.OutputSerializer(TABLE, many=True).data)


# --- programmes ---------------------------------------------------------------------------------------


class ProgrammeListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProgrammeSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Programmes credit can be transferred to (never Foundation, R-CAT-5), with their courses."""
        return Response(ProgrammeSerializer(selectors.programme_choices(), many=True).data)


class ProgrammeDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProgrammeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProgrammeSerializer(selectors.programme_data(pk)).data)


# --- prior credentials ----------------------------------------------------------------------------------


class CredentialListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HeldSerializer(many=True))
    def get(self, request: Request) -> Response:
        """My credentials: issued by this portal, and brought from outside."""
        return Response(HeldSerializer(selectors.learner_credentials(_user(request).pk), many=True).data)


class CredentialCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer[Any]):
        kind = serializers.ChoiceField(choices=[k.value for k in EXTERNAL_KINDS])
        code = serializers.CharField(max_length=30)
        title = serializers.CharField(max_length=250)
        provider = serializers.CharField(max_length=200)
        credits = serializers.IntegerField(min_value=1, max_value=60)
        completed_on = serializers.DateField(required=False, allow_null=True, default=None)
        accreditation_reference = serializers.CharField(required=False, allow_blank=True, default="")
        qvc_reference = serializers.CharField(required=False, allow_blank=True, default="")
        evidence = serializers.FileField(help_text="A PDF, or an Open Badges 3.0 credential (.json).")

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        ref = serializers.CharField()
        verification = serializers.CharField()
        verification_reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        services.prior_credential_may_add(actor=_user(request))  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = services.prior_credential_add(actor=_user(request), **data.validated_data)
        return Response(self.OutputSerializer(credential).data, status=status.HTTP_201_CREATED)


class CredentialWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        withdrawn = serializers.BooleanField(help_text="Always true: the credential is withdrawn.")

    @extend_schema(request=None, responses={200: OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        credential = selectors.prior_credential_get(request.user, pk)
        services.prior_credential_withdraw(actor=_user(request), credential=credential)
        return Response(self.OutputSerializer({"id": credential.pk, "withdrawn": True}).data)


# --- the engine -----------------------------------------------------------------------------------------


class MappingSerializer(serializers.Serializer[Any]):
    credential = serializers.CharField(max_length=20, help_text="A credential's ref (p12, u34).")
    course = serializers.CharField(max_length=12, allow_blank=True, help_text="A course code of the programme.")


class EvaluateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        programme = serializers.IntegerField()
        mapping = MappingSerializer(many=True, required=False, default=list)

    @extend_schema(request=InputSerializer, responses={200: ResultSerializer, 404: INPUT_NAMES_NO_RECORD})
    def post(self, request: Request) -> Response:
        """What would count: the engine over my credentials, mapped by default or as given."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        mapping = {m["credential"]: m["course"].strip().upper() for m in v["mapping"]}
        evaluation = selectors.learner_evaluation(_user(request).pk, v["programme"], mapping)
        return Response(result_output(evaluation.result, evaluation.apelm, evaluation.policy.apelc_min_clo_pct))


# --- applications -----------------------------------------------------------------------------------------

"""The SAMC market-survey analysis through the API (R-AF-3): upload, and download for people who
may see the proposal."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.errors import ApplicationError
from courses.selectors import proposal_get
from courses.services import market_survey_attach, proposal_may
from courses.views.files import survey_file_response


class MarketSurveyUploadApi(APIView):
    """Attach the analysis (multipart field ``survey_file``): PDF, XLSX or CSV by content, within
    the size limit."""

    parser_classes = (MultiPartParser,)

    class OutputSerializer(serializers.Serializer[Any]):
        file_name = serializers.CharField()
        file_kind = serializers.CharField()
        file_size = serializers.IntegerField()
        file_sha256 = serializers.CharField()
        respondents = serializers.IntegerField(allow_null=True)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"survey_file": {"type": "string", "format": "binary"}},
            }
        },
        responses={201: OutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = proposal_get(request.user, pk, design=False)
        assert isinstance(request.user, User)
        proposal_may(request.user, "courses.change_proposal", proposal)  # before the input is read
        upload = request.FILES.get("survey_file")
        if upload is None:
            raise ApplicationError(
                "upload_missing", _("Send the file in the field 'survey_file'."), field="survey_file"
            )
        survey = market_survey_attach(actor=request.user, proposal=proposal, upload=upload)
        return Response(self.OutputSerializer(survey).data, status=status.HTTP_201_CREATED)


class MarketSurveyDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> FileResponse:
        return survey_file_response(proposal_get(request.user, pk, design=False))

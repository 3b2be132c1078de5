"""CFLEX's API: open an offering, record a fee. One view per action, no logic."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import not_found
from core.schema import INPUT_NAMES_NO_RECORD
from enrolment import services
from enrolment.apis import _user
from enrolment.choices import FeeStatus, Platform
from enrolment.models import Enrolment, Offering


class OfferingCreateApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        proposal = serializers.IntegerField()
        session = serializers.CharField(max_length=60)
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        platform = serializers.ChoiceField(choices=Platform.choices)
        capacity = serializers.IntegerField(min_value=1, max_value=100000)
        fee = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
        enrolment_opens = serializers.DateField()
        enrolment_closes = serializers.DateField()
        instructors = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
        minimum_requirements = serializers.CharField(required=False, default="", allow_blank=True)

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        course_code = serializers.CharField()
        session = serializers.CharField()
        capacity = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer, 404: INPUT_NAMES_NO_RECORD})
    def post(self, request: Request) -> Response:
        services.offering_may_create(actor=_user(request))  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        offering = services.offering_create(
            actor=_user(request),
            proposal_id=values.pop("proposal"),
            instructor_ids=values.pop("instructors"),
            **values,
        )
        return Response(self.OutputSerializer(offering).data, status=status.HTTP_201_CREATED)


class FeeRecordApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        fee_status = serializers.ChoiceField(choices=FeeStatus.choices)
        reference = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
        expected_fee_status = serializers.ChoiceField(
            choices=FeeStatus.choices,
            help_text="The fee status you saw. If someone changed it since, the answer is 409 stale_change with "
            "the current fee in error.current.",
        )

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        fee_status = serializers.CharField()
        fee_reference = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        services.enrolment_fee_may(actor=_user(request))  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = Enrolment.objects.filter(pk=pk).first()
        if enrolment is None:
            raise not_found("offering")
        enrolment = services.enrolment_fee_record(actor=_user(request), enrolment=enrolment, **data.validated_data)
        return Response(self.OutputSerializer(enrolment).data)


class AssessmentEndApi(APIView):
    """R-RS-4: CFLEX sets (or clears, with null) an offering's last-assessment date."""

    class InputSerializer(serializers.Serializer[Any]):
        assessment_ends_on = serializers.DateField(allow_null=True)
        expected_assessment_ends_on = serializers.DateField(
            allow_null=True,
            help_text="The date you saw (null: none set). If someone set another since, the answer is 409 "
            "stale_change with the current date in error.current.",
        )

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        assessment_ends_on = serializers.DateField(allow_null=True)
        ends_on = serializers.DateField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        services.offering_assessment_end_may(actor=_user(request))  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = Offering.objects.filter(pk=pk).first()
        if offering is None:
            raise not_found("offering")
        offering = services.offering_assessment_end_set(
            actor=_user(request),
            offering=offering,
            assessment_ends_on=data.validated_data["assessment_ends_on"],
            expected_assessment_ends_on=data.validated_data["expected_assessment_ends_on"],
        )
        return Response(self.OutputSerializer(offering).data)

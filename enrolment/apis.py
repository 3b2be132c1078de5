"""The enrolment API (/api/v1/...): one view per action, nested Input/Output serializers, no
logic. Other people's offerings and enrolments are 404."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.errors import not_found
from enrolment import selectors, services
from enrolment.models import Offering


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


class CatalogueApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        course_code = serializers.CharField()
        course_title = serializers.CharField()
        ptj = serializers.CharField(source="ptj.code")
        course_level = serializers.IntegerField(allow_null=True)
        delivery_mode = serializers.CharField()
        session = serializers.CharField()
        starts_on = serializers.DateField()
        platform = serializers.CharField()
        fee = serializers.DecimalField(max_digits=9, decimal_places=2)
        seats_left = serializers.SerializerMethodField()

        def get_seats_left(self, obj: Offering) -> int:
            return max(obj.capacity - obj.taken, 0)  # type: ignore[attr-defined]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = selectors.CatalogueFilters(
            q=request.query_params.get("q", "")[:100], ptj=request.query_params.get("ptj", "")[:16]
        )
        offerings = selectors.catalogue_offerings(filters, today=timezone.localdate())[:100]
        return Response(self.OutputSerializer(offerings, many=True).data)


class EnrolApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        confirmed_requirements = serializers.ListField(child=serializers.CharField(), required=False, default=list)
        requirements_evidence = serializers.CharField(required=False, default="", allow_blank=True)
        international_notice_accepted = serializers.BooleanField(required=False, default=False)

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        status = serializers.CharField()
        fee_status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offering = Offering.objects.filter(pk=pk).first()
        if offering is None:
            raise not_found("offering")
        services.enrolment_may(actor=_user(request))  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = services.enrolment_create(actor=_user(request), offering=offering, **data.validated_data)
        return Response(self.OutputSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class MyEnrolmentsApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        offering = serializers.IntegerField(source="offering_id")
        course_code = serializers.CharField(source="offering.course_code")
        status = serializers.CharField()
        fee_status = serializers.CharField()
        final_mark = serializers.SerializerMethodField()
        grade = serializers.SerializerMethodField()

        def _approved(self, obj: Any) -> bool:
            return bool(obj.offering.results_status == "senate_approved")

        def get_final_mark(self, obj: Any) -> str | None:
            # R-RS-2: learners see final results only after Senate approval.
            return str(obj.final_mark) if self._approved(obj) and obj.final_mark is not None else None

        def get_grade(self, obj: Any) -> str | None:
            return obj.grade if self._approved(obj) else None

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(selectors.learner_enrolments(_user(request)), many=True).data)


class MarkRecordApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        enrolment = serializers.IntegerField()
        component = serializers.IntegerField()
        score = serializers.DecimalField(max_digits=6, decimal_places=2)
        feedback = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
        expected_score = serializers.DecimalField(
            max_digits=6,
            decimal_places=2,
            allow_null=True,
            help_text="The mark you saw (null: none yet). If someone recorded another since, the answer is 409 "
            "stale_change with the current mark in error.current.",
        )

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        score = serializers.DecimalField(max_digits=6, decimal_places=2)
        max_score = serializers.DecimalField(max_digits=6, decimal_places=2)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        offering = Offering.objects.filter(pk=pk).first()
        if offering is None:
            raise not_found("offering")
        services.mark_may(actor=_user(request), offering=offering)  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        mark = services.mark_record(
            actor=_user(request),
            offering=offering,
            enrolment_id=v["enrolment"],
            component_id=v["component"],
            score=v["score"],
            feedback=v["feedback"],
            expected_score=v["expected_score"],
        )
        return Response(self.OutputSerializer(mark).data, status=status.HTTP_201_CREATED)


class ResultsTransitionApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        action = serializers.ChoiceField(choices=["submit", "endorse", "approve", "return"])
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        results_status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        offering = Offering.objects.filter(pk=pk).first()
        if offering is None:
            raise not_found("offering")
        services.results_may(actor=_user(request), offering=offering)  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = services.results_transition(actor=_user(request), offering=offering, **data.validated_data)
        return Response(self.OutputSerializer(offering).data)

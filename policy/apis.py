from __future__ import annotations

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

    class OutputSerializer(serializers.Serializer[Any]):
        class SLTRateSerializer(serializers.Serializer[Any]):
            activity = serializers.CharField()
            unit = serializers.CharField()
            min_minutes = serializers.DecimalField(max_digits=6, decimal_places=2)
            max_minutes = serializers.DecimalField(max_digits=6, decimal_places=2)
            is_assessment = serializers.BooleanField()

        class GradeBandSerializer(serializers.Serializer[Any]):
            grade = serializers.CharField()
            min_mark = serializers.DecimalField(max_digits=5, decimal_places=2)
            grade_point = serializers.DecimalField(max_digits=3, decimal_places=2)

        class MinimumAgeSerializer(serializers.Serializer[Any]):
            level = serializers.CharField()
            normal_entry_age = serializers.IntegerField()
            apel_entry_age = serializers.IntegerField()

        id = serializers.IntegerField()
        name = serializers.CharField()
        effective_from = serializers.DateField()
        hours_per_credit = serializers.IntegerField()
        slt_match_tolerance_pct = serializers.DecimalField(max_digits=5, decimal_places=2)
        sbl_online_min_pct = serializers.IntegerField()
        sbl_online_max_pct = serializers.IntegerField()
        market_survey_min_respondents = serializers.IntegerField()
        pass_mark = serializers.DecimalField(max_digits=5, decimal_places=2)
        ct_category1_max_pct = serializers.IntegerField()
        ct_samc_apelc_max_pct = serializers.IntegerField()
        ct_samc_all_max_pct = serializers.IntegerField()
        ct_outside_max_pct = serializers.IntegerField()
        ct_total_max_pct = serializers.IntegerField()
        ct_min_at_unimas_pct = serializers.IntegerField()
        apelc_min_clo_pct = serializers.IntegerField()
        apelm_min_credit_pct = serializers.IntegerField()
        apela_advice_one_institution_pct = serializers.IntegerField()
        apela_advice_several_institutions_pct = serializers.IntegerField()
        slt_rates = SLTRateSerializer(many=True)
        grade_bands = GradeBandSerializer(many=True)
        minimum_ages = MinimumAgeSerializer(many=True)

    @extend_schema(
        parameters=[OpenApiParameter("on", str, description="A date, YYYY-MM-DD")], responses=OutputSerializer
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(self.OutputSerializer(policy_in_force(params.validated_data.get("on"))).data)

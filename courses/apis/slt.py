"""POST /api/v1/slt/calculate/: Table 4 totals for any lines, saving nothing (R-SLT-1..4)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ApplicationError
from courses.apis.fields import LineField, TotalsField, validated
from courses.choices import DeliveryMode
from courses.policies import LineData, Problem, UnitData, credit_match, default_rate, is_sbl, line_problems, slt_totals
from courses.policies.limits import MAX_LINES_PER_UNIT, MAX_UNITS
from courses.services import ProposalInputError
from policy.api import policy_in_force


class SLTCalculateApi(APIView):
    """The totals per unit, delivery vs assessment, in minutes and hours, the credit value, and
    (given ``credits``) the Category 1 match; 400 with the rule code and the line at fault."""

    class InputSerializer(serializers.Serializer[Any]):
        class NumberedLine(LineField):
            unit = serializers.IntegerField(default=1, help_text="1-based number of the learning unit")
            rate_minutes = serializers.DecimalField(
                max_digits=12,
                decimal_places=4,
                required=False,
                allow_null=True,
                default=None,
                help_text="Minutes per unit; left out, the midpoint of the activity's range (R-SLT-2).",
            )

        lines = NumberedLine(many=True, allow_empty=True)
        credits = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=99)
        delivery_mode = serializers.ChoiceField(choices=DeliveryMode.choices, required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer[Any]):
        class MatchSerializer(serializers.Serializer[Any]):
            credits = serializers.IntegerField()
            expected_hours = serializers.DecimalField(max_digits=10, decimal_places=1)
            low_hours = serializers.DecimalField(max_digits=10, decimal_places=1)
            high_hours = serializers.DecimalField(max_digits=10, decimal_places=1)
            within = serializers.BooleanField()

        totals = TotalsField()
        credit_match = MatchSerializer(allow_null=True)
        sbl = serializers.BooleanField()
        policy_version = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer(data=request.data))
        policy = policy_in_force()
        if len(values["lines"]) > MAX_UNITS * MAX_LINES_PER_UNIT:
            raise ApplicationError("too_many", _("Too many lines."), field="lines")
        problems = []
        units: dict[int, list[LineData]] = {}
        for index, raw in enumerate(values["lines"]):
            rate = raw["rate_minutes"]
            if rate is None:
                rate = default_rate(raw["activity"], policy) or Decimal(0)
            line = LineData(raw["activity"], raw["quantity"], rate, raw["is_online"])
            problems += line_problems(line, policy, f"lines[{index}]")
            if not 1 <= raw["unit"] <= MAX_UNITS:
                message = _("A unit number from 1 to %(max)s.") % {"max": MAX_UNITS}
                problems.append(Problem("R-SLT-2", "slt_unit_out_of_range", message, f"lines[{index}].unit"))
            units.setdefault(raw["unit"], []).append(line)
        if problems:
            raise ProposalInputError(problems)
        ordered = [UnitData("", tuple(units.get(n, ()))) for n in range(1, max(units, default=0) + 1)]
        totals = slt_totals(ordered, policy)
        credits = values.get("credits")
        return Response(
            self.OutputSerializer(
                {
                    "totals": totals,
                    "credit_match": credit_match(totals, credits, policy) if credits else None,
                    "sbl": is_sbl(values.get("delivery_mode", ""), totals.online_share_pct, policy),
                    "policy_version": policy.id,
                }
            ).data
        )

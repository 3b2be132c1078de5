"""Shared pieces of the credit-transfer API: serializers of a result, the caller."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from accounts.models import User
from transfer.policies.explain import apelm_summary, reason_text, summary


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- shared output shapes ---------------------------------------------------------------------------


class CourseSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    credits = serializers.IntegerField()
    is_mpu = serializers.BooleanField()
    is_core = serializers.BooleanField()


class ProgrammeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField(help_text="MQF level: certificate, diploma, bachelor, master…")
    graduating_credits = serializers.IntegerField()
    mqa_accredited = serializers.BooleanField()
    entry_requirements = serializers.CharField()
    ptj = serializers.CharField(source="ptj_code")
    coordinator = serializers.CharField(source="coordinator_name")
    deans = serializers.ListField(child=serializers.CharField(), source="dean_names")
    courses = CourseSerializer(many=True)


class HeldSerializer(serializers.Serializer[Any]):
    ref = serializers.CharField(help_text="Use this to claim it: p<id> stored, u<id> issued by this portal.")
    origin = serializers.CharField(source="source", help_text="unimas (issued by this portal) or external.")
    kind = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    provider = serializers.CharField()
    credits = serializers.IntegerField()
    verification = serializers.CharField()
    verification_reason = serializers.CharField()
    status = serializers.CharField()
    suggested_course = serializers.CharField()


class OutcomeSerializer(serializers.Serializer[Any]):
    ref = serializers.CharField()
    code = serializers.CharField()
    course = serializers.CharField()
    credits = serializers.IntegerField()
    counted = serializers.IntegerField()
    reason = serializers.CharField()
    rule = serializers.CharField()
    cap = serializers.CharField()
    provisional = serializers.BooleanField()
    explanation = serializers.CharField()


class CapSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    rule = serializers.CharField()
    pct = serializers.IntegerField()
    limit = serializers.IntegerField()
    used = serializers.IntegerField()
    cut = serializers.IntegerField()
    applies = serializers.BooleanField()
    binds = serializers.BooleanField()


class ApelMSerializer(serializers.Serializer[Any]):
    eligible = serializers.BooleanField()
    credits = serializers.IntegerField()
    mpu_credits = serializers.IntegerField()
    required_pct = serializers.IntegerField()
    share_pct = serializers.DecimalField(max_digits=5, decimal_places=1)
    age = serializers.IntegerField(allow_null=True)
    min_age = serializers.IntegerField(allow_null=True)
    normal_age = serializers.IntegerField(allow_null=True)
    age_exception = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    basis_credits = serializers.IntegerField()
    required_credits = serializers.IntegerField()
    programme_mpu_credits = serializers.IntegerField()


class ResultSerializer(serializers.Serializer[Any]):
    """The engine's answer (R-CT-1..5, R-AP-1..3), with the explanation in the request's language."""

    programme = serializers.CharField()
    graduating_credits = serializers.IntegerField()
    policy_version = serializers.IntegerField()
    transferred = serializers.IntegerField()
    transferred_pct = serializers.DecimalField(max_digits=5, decimal_places=1)
    binding_cap = serializers.CharField()
    binding_rule = serializers.CharField()
    binding_cut = serializers.IntegerField()
    binding_caps = serializers.ListField(child=serializers.CharField())
    remaining = serializers.IntegerField(help_text="Still to be taken at UNIMAS (R-CT-4).")
    min_at_unimas = serializers.IntegerField(allow_null=True)
    apela_advised = serializers.BooleanField(help_text="R-AP-3")
    provisional = serializers.BooleanField()
    credentials = OutcomeSerializer(many=True)
    caps = CapSerializer(many=True)
    problems = serializers.ListField(child=serializers.DictField())
    explanation = serializers.ListField(child=serializers.CharField())
    apelm = ApelMSerializer()
    apelm_explanation = serializers.ListField(child=serializers.CharField())


def result_output(result: Any, apelm: Any, min_clo: int) -> dict[str, Any]:
    return dict(
        ResultSerializer(
            {
                "programme": result.programme_code,
                "graduating_credits": result.graduating_credits,
                "policy_version": result.policy_id,
                "transferred": result.transferred,
                "transferred_pct": result.transferred_pct,
                "binding_cap": result.binding_cap,
                "binding_rule": result.binding_rule,
                "binding_cut": result.binding_cut,
                "binding_caps": list(result.binding_caps),
                "remaining": result.remaining,
                "min_at_unimas": result.min_at_unimas,
                "apela_advised": result.advice.advised,
                "provisional": result.provisional,
                "credentials": [
                    {**o.__dict__, "provisional": o.provisional, "explanation": reason_text(o, min_clo)}
                    for o in result.credentials
                ],
                "caps": result.caps,
                "problems": [p.__dict__ for p in result.problems],
                "explanation": summary(result),
                "apelm": apelm,
                "apelm_explanation": apelm_summary(apelm),
            }
        ).data
    )


# --- the transition table (R-CT-6) ---------------------------------------------------------------------

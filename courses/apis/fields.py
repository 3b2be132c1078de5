"""Nested serializers the proposal APIs share. Types only: bounds and rules are checked by the
services with ``courses.policies``, so the API and the pages refuse the same input with the same
rule codes."""

from __future__ import annotations

import dataclasses
from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from core.errors import ApplicationError
from core.exceptions import first_field_error
from courses.policies import CLOData, ComponentData, LineData, ProposalData, UnitData


def validated(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    """The serializer's data, or a 400 ``invalid`` naming the first field at fault."""
    if serializer.is_valid():
        return dict(serializer.validated_data)
    field, message = first_field_error(serializer.errors)
    raise ApplicationError("invalid", message, field=field)


class WholeItem(serializers.Serializer[Any]):
    """One item of a list that replaces the whole list: complete even in a partial update (DRF
    skips required fields and defaults anywhere under a ``partial=True`` root, so an item missing
    a field would reach the services half-built). Missing required fields are a 400 naming them;
    missing optional ones take their defaults."""

    def to_internal_value(self, data: Any) -> Any:
        attrs = super().to_internal_value(data)
        if not getattr(self.root, "partial", False):
            return attrs
        missing: dict[str, list[str]] = {}
        for name, field in self.fields.items():
            if field.read_only or field.source in attrs:
                continue
            if field.required:
                missing[name] = [str(field.error_messages["required"])]
            elif field.default is not empty:
                attrs[field.source] = field.default() if callable(field.default) else field.default
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class LineField(WholeItem):
    activity = serializers.CharField(max_length=32)
    quantity = serializers.IntegerField()
    rate_minutes = serializers.DecimalField(max_digits=12, decimal_places=4)
    is_online = serializers.BooleanField(default=False)


class UnitField(WholeItem):
    title = serializers.CharField(allow_blank=True, default="", max_length=1000)
    lines = LineField(many=True, default=list)


class CLOField(WholeItem):
    verb = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    outcome = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    criteria = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    conditions = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    mqf_level = serializers.IntegerField(allow_null=True, default=None)
    effort_hours = serializers.IntegerField(allow_null=True, default=None)


class ComponentField(WholeItem):
    title = serializers.CharField(allow_blank=True, default="", max_length=1000)
    method = serializers.CharField(max_length=32)
    kind = serializers.CharField(max_length=16)
    weight = serializers.IntegerField()
    unit = serializers.IntegerField(allow_null=True, default=None, help_text="1-based number of the unit")
    clos = serializers.ListField(child=serializers.IntegerField(), default=list, help_text="1-based CLO numbers")
    retake_allowed = serializers.BooleanField(default=False)


class ProposalFields(serializers.Serializer[Any]):
    """The writable fields of a proposal; with ``partial=True`` any subset (lists replace whole)."""

    kind = serializers.CharField(max_length=16)
    title = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False, max_length=2000)
    code = serializers.CharField(allow_blank=True, required=False, max_length=200)
    origin_programme = serializers.IntegerField(allow_null=True, required=False)
    origin_course = serializers.IntegerField(allow_null=True, required=False)
    part_credits = serializers.IntegerField(allow_null=True, required=False)
    justification = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    objectives = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    entry_requirements = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    synopsis = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    study_session = serializers.CharField(allow_blank=True, required=False)
    offer_start = serializers.DateField(allow_null=True, required=False)
    offer_end = serializers.DateField(allow_null=True, required=False)
    course_level = serializers.IntegerField(allow_null=True, required=False)
    learner_commitment = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    promotion = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    continuous_improvement = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    fee = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True, required=False)
    delivery_mode = serializers.CharField(allow_blank=True, required=False)
    ptg_reference = serializers.CharField(allow_blank=True, required=False)
    lecturers = serializers.ListField(child=serializers.IntegerField(), required=False)
    co_developers = serializers.ListField(child=serializers.IntegerField(), required=False)
    survey_respondents = serializers.IntegerField(allow_null=True, required=False)
    clos = CLOField(many=True, required=False)
    units = UnitField(many=True, required=False)
    components = ComponentField(many=True, required=False)


_RENAMED = {
    "origin_programme": "origin_programme_id",
    "origin_course": "origin_course_id",
    "lecturers": "lecturer_ids",
    "co_developers": "co_developer_ids",
}


def proposal_data_from(validated: dict[str, Any], base: ProposalData | None = None) -> ProposalData:
    """``base`` (the proposal as saved) with the fields the request gave."""
    changes: dict[str, Any] = {}
    for key, value in validated.items():
        if key == "clos":
            value = tuple(CLOData(**clo) for clo in value)
        elif key == "units":
            value = tuple(UnitData(unit["title"], tuple(LineData(**line) for line in unit["lines"])) for unit in value)
        elif key == "components":
            value = tuple(ComponentData(**{**c, "clos": tuple(c["clos"])}) for c in value)
        elif key in ("lecturers", "co_developers"):
            value = tuple(sorted(set(value)))
        changes[_RENAMED.get(key, key)] = value
    if base is None:
        return ProposalData(**changes)
    return dataclasses.replace(base, **changes)


class ProblemField(serializers.Serializer[Any]):
    rule_id = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField()
    blocking = serializers.BooleanField()


class TotalsField(serializers.Serializer[Any]):
    class UnitTotalsField(serializers.Serializer[Any]):
        number = serializers.IntegerField()
        title = serializers.CharField()
        delivery_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
        assessment_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
        online_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
        total_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
        total_hm = serializers.CharField()

    units = UnitTotalsField(many=True)
    delivery_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
    assessment_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
    online_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_minutes = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_hours = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        source="total_hours_shown",
        help_text="Whole minutes (half up) / 60, to 0.01 half up: the same rounding as total_hm (R-SLT-2).",
    )
    total_hm = serializers.CharField()
    delivery_hm = serializers.CharField()
    assessment_hm = serializers.CharField()
    credit_value = serializers.DecimalField(max_digits=6, decimal_places=1)
    online_share_pct = serializers.DecimalField(max_digits=5, decimal_places=0)

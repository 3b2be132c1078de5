"""CFLEX administrators keep policy versions here. In-force versions are read-only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from audit.services import audit_record
from core.errors import ApplicationError
from policy.models import Activity, GradeBand, MinimumAge, PolicyVersion, SLTRate, WorkflowStep
from policy.policies import grade_band_problems
from policy.services import policy_version_copy


class _LiveForms(forms.BaseInlineFormSet):
    def live_values(self, field: str) -> list[Any]:
        return [
            f.cleaned_data[field]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and field in f.cleaned_data
        ]


class GradeBandFormSet(_LiveForms):
    def clean(self) -> None:
        super().clean()
        problems = grade_band_problems(self.live_values("min_mark"))
        if problems:
            raise forms.ValidationError(problems)


class SLTRateFormSet(_LiveForms):
    def clean(self) -> None:
        super().clean()
        missing = set(Activity.values) - set(self.live_values("activity"))
        if missing:
            raise forms.ValidationError(
                f"Every SLT activity needs a rate (R-SLT-1); missing: {', '.join(sorted(missing))}."
            )


class _FrozenInlineMixin:
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_frozen) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_frozen) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_frozen) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class SLTRateInline(_FrozenInlineMixin, admin.TabularInline[SLTRate, PolicyVersion]):
    model = SLTRate
    formset = SLTRateFormSet
    extra = 0


class GradeBandInline(_FrozenInlineMixin, admin.TabularInline[GradeBand, PolicyVersion]):
    model = GradeBand
    formset = GradeBandFormSet
    extra = 0


class MinimumAgeInline(_FrozenInlineMixin, admin.TabularInline[MinimumAge, PolicyVersion]):
    model = MinimumAge
    extra = 0


class WorkflowStepInline(_FrozenInlineMixin, admin.TabularInline[WorkflowStep, PolicyVersion]):
    model = WorkflowStep
    extra = 0


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    list_display = ("name", "effective_from", "in_force_now", "created_by")
    inlines = (SLTRateInline, GradeBandInline, MinimumAgeInline, WorkflowStepInline)
    actions = ("copy_as_new_version",)
    readonly_fields = ("created_at", "created_by")

    @admin.display(boolean=True, description="in force or past")
    def in_force_now(self, obj: PolicyVersion) -> bool:
        return obj.is_frozen

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: PolicyVersion, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="policy.version_change" if change else "policy.version_add",
            obj=obj,
            comment=", ".join(form.changed_data),
        )

    @admin.action(description="Copy as a new version taking effect tomorrow")
    def copy_as_new_version(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        source = queryset.order_by("-effective_from").first()
        if source is None:
            return
        tomorrow = timezone.localdate() + timedelta(days=1)
        try:
            new = policy_version_copy(
                source=source,
                effective_from=tomorrow,
                name=f"{source.name} (amended {tomorrow:%Y-%m-%d})",
                actor=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return
        messages.success(request, f"Created '{new}'. Edit its numbers before it takes effect.")

"""CFLEX administrators keep policy versions here. In-force versions are read-only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.errors import ApplicationError
from policy.models import Activity, GradeBand, MinimumAge, PolicyVersion, SLTRate, WorkflowStep
from policy.policies import grade_band_problems
from policy.services import (
    policy_version_check_date,
    policy_version_check_editable,
    policy_version_copy,
    policy_version_delete,
    policy_version_save,
    policy_version_validate,
)


class PolicyVersionForm(forms.ModelForm[PolicyVersion]):
    """The service's own checks, shown on the form before anything is saved (decision 0002)."""

    class Meta:
        model = PolicyVersion
        fields = [f.name for f in PolicyVersion._meta.fields if f.name not in ("id", "created_at", "created_by")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if self.instance.pk is not None:
                policy_version_check_editable(version=self.instance)
            if data.get("effective_from"):
                policy_version_check_date(effective_from=data["effective_from"], version_id=self.instance.pk)
        except ApplicationError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


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
    form = PolicyVersionForm
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

    # One way in (STYLE.md): the admin writes through the policy services, with their rules and audit.
    def save_model(self, request: HttpRequest, obj: PolicyVersion, form: Any, change: bool) -> None:
        policy_version_save(actor=request.user, version=obj, changed=form.changed_data)  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        policy_version_validate(version=form.instance)

    def delete_model(self, request: HttpRequest, obj: PolicyVersion) -> None:
        policy_version_delete(actor=request.user, version=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        for version in queryset:
            policy_version_delete(actor=request.user, version=version)  # type: ignore[arg-type]

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

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from accounts.models import Role, RoleAssignment
from courses.models import Course, Programme, ProgrammeCourse


class ProgrammeCourseInline(admin.TabularInline[ProgrammeCourse, Programme]):
    model = ProgrammeCourse
    autocomplete_fields = ("course",)
    extra = 0


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = (
            "code",
            "name",
            "ptj",
            "level",
            "mqa_accredited",
            "mqa_reference",
            "graduating_credits",
            "entry_requirements",
            "coordinator",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        """R-CT-6: the coordinator holds the programme coordinator role in the programme's PTj."""
        data = super().clean() or {}
        coordinator, ptj = data.get("coordinator"), data.get("ptj")
        if (
            coordinator is not None
            and ptj is not None
            and not RoleAssignment.objects.filter(
                user=coordinator, role=Role.PROGRAMME_COORDINATOR, ptj=ptj, revoked_at__isnull=True
            ).exists()
        ):
            self.add_error("coordinator", "The coordinator must hold the programme coordinator role in this PTj.")
        return data


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    form = ProgrammeForm
    list_display = ("code", "name", "ptj", "level", "mqa_accredited", "graduating_credits", "coordinator")
    list_filter = ("ptj", "level", "mqa_accredited")
    search_fields = ("code", "name")
    raw_id_fields = ("coordinator",)
    inlines = (ProgrammeCourseInline,)

    def save_model(self, request: HttpRequest, obj: Programme, form: Any, change: bool) -> None:
        """A new coordinator is named through the service (checked and audited)."""
        from courses.services import programme_coordinator_set

        coordinator = obj.coordinator
        if change and "coordinator" in form.changed_data:
            obj.coordinator_id = form.initial.get("coordinator")
        super().save_model(request, obj, form, change)
        if "coordinator" in form.changed_data:
            actor = request.user if getattr(request.user, "is_authenticated", False) else None
            programme_coordinator_set(programme=obj, coordinator=coordinator, actor=actor)  # type: ignore[arg-type]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ("code", "name", "credits", "ptj", "is_mpu")
    list_filter = ("ptj", "is_mpu")
    search_fields = ("code", "name")

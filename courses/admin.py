"""Programme and course records in the admin. One way in (STYLE.md): every save, link and
coordinator change goes through ``courses.services`` with its rules and audit events. Records are
retired with "active", never deleted (proposals, offerings and transfer decisions cite them)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from courses.models import Course, Programme, ProgrammeCourse
from courses.services import (
    coordinator_problem,
    course_ensure,
    course_update,
    programme_coordinator_set,
    programme_course_link,
    programme_course_unlink,
    programme_ensure,
    programme_update,
)


def _actor(request: HttpRequest) -> Any:
    return request.user if getattr(request.user, "is_authenticated", False) else None


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The coordinator the page showed travels in a hidden field ("initial-coordinator"): the
        # field counts as changed only against it, and a change made meanwhile is refused (issue 12).
        self.fields["coordinator"].show_hidden_initial = True

    def expected_coordinator_id(self) -> int | None:
        """The coordinator the page showed (None: none)."""
        raw = self.data.get(self.add_initial_prefix("coordinator"), "")
        return int(raw) if str(raw).isdigit() else None

    def clean(self) -> dict[str, Any]:
        """R-CT-6, shown on the form: the same check the service makes (``coordinator_problem``)."""
        data = super().clean() or {}
        ptj = data.get("ptj")
        problem = coordinator_problem(coordinator=data.get("coordinator"), ptj_id=ptj.pk if ptj else None)
        if problem:
            self.add_error("coordinator", problem.message)
        return data


class _NoDelete:
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(_NoDelete, admin.ModelAdmin[Programme]):
    form = ProgrammeForm
    list_display = ("code", "name", "ptj", "level", "mqa_accredited", "graduating_credits", "coordinator")
    list_filter = ("ptj", "level", "mqa_accredited")
    search_fields = ("code", "name")
    raw_id_fields = ("coordinator",)
    inlines = (ProgrammeCourseInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Programme, form: Any, change: bool) -> None:
        actor = _actor(request)
        data = form.cleaned_data
        if change:
            saved = programme_update(actor=actor, programme=obj, changes=data)
        else:
            saved = programme_ensure(
                code=data["code"],
                name=data["name"],
                ptj=data["ptj"],
                level=data["level"],
                graduating_credits=data["graduating_credits"],
                mqa_accredited=data["mqa_accredited"],
                mqa_reference=data["mqa_reference"],
                entry_requirements=data["entry_requirements"],
                actor=actor,
            )
            saved = programme_update(actor=actor, programme=saved, changes={"is_active": data["is_active"]})
        if "coordinator" in form.changed_data:
            saved = programme_coordinator_set(
                programme=saved,
                coordinator=data.get("coordinator"),
                actor=actor,
                expected_coordinator_id=form.expected_coordinator_id() if change else None,
            )
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Course links through the services, audited."""
        actor = _actor(request)
        programme = form.instance
        links = formset.save(commit=False)
        for link in formset.deleted_objects:
            programme_course_unlink(actor=actor, programme=programme, course=link.course)
        for link in links:
            programme_course_link(actor=actor, programme=programme, course=link.course, is_core=link.is_core)


@admin.register(Course)
class CourseAdmin(_NoDelete, admin.ModelAdmin[Course]):
    list_display = ("code", "name", "credits", "ptj", "is_mpu")
    list_filter = ("ptj", "is_mpu")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        actor = _actor(request)
        data = form.cleaned_data
        if change:
            saved = course_update(actor=actor, course=obj, changes=data)
        else:
            saved = course_ensure(
                code=data["code"],
                name=data["name"],
                credits=data["credits"],
                ptj=data["ptj"],
                is_mpu=data.get("is_mpu", False),
                actor=actor,
            )
            saved = course_update(
                actor=actor,
                course=saved,
                changes={"synopsis": data.get("synopsis", ""), "is_active": data.get("is_active", True)},
            )
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

from django.contrib import admin

from courses.models import Course, Programme, ProgrammeCourse


class ProgrammeCourseInline(admin.TabularInline[ProgrammeCourse, Programme]):
    model = ProgrammeCourse
    autocomplete_fields = ("course",)
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("code", "name", "ptj", "level", "mqa_accredited", "graduating_credits")
    list_filter = ("ptj", "level", "mqa_accredited")
    search_fields = ("code", "name")
    inlines = (ProgrammeCourseInline,)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ("code", "name", "credits", "ptj", "is_mpu")
    list_filter = ("ptj", "is_mpu")
    search_fields = ("code", "name")

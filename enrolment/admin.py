"""Read-mostly admin for CFLEX. The learner profile never lists the identity number."""

from __future__ import annotations

from django.contrib import admin

from enrolment.models import Enrolment, LearnerProfile, NameChangeRequest, Offering


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin[Offering]):
    list_display = ("course_code", "session", "starts_on", "platform", "capacity", "results_status")
    list_filter = ("platform", "results_status")
    search_fields = ("course_code", "course_title")
    readonly_fields = ("results_status", "results_comment", "results_approved_at")

    def has_add_permission(self, request: object) -> bool:
        return False  # offerings are opened through enrolment.services.offering_create only


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin[Enrolment]):
    list_display = ("pk", "offering", "status", "fee_status", "grade")
    list_filter = ("status", "fee_status")
    readonly_fields = [f.name for f in Enrolment._meta.fields]


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin[LearnerProfile]):
    list_display = ("pk", "identity_kind", "masked")
    exclude = ("identity_encrypted", "identity_hash")
    readonly_fields = (
        "user",
        "legal_name",
        "identity_kind",
        "identity_last4",
        "nationality",
        "birth_date",
        "phone",
        "student_id",
        "pdpa_consent_at",
    )

    @admin.display(description="identity")
    def masked(self, obj: LearnerProfile) -> str:
        return obj.identity_masked


@admin.register(NameChangeRequest)
class NameChangeRequestAdmin(admin.ModelAdmin[NameChangeRequest]):
    """Read only: requests are made and decided through enrolment.services (R-CR-7)."""

    list_display = ("pk", "old_name", "new_name", "status", "created_at", "decided_at")
    list_filter = ("status",)
    exclude = ("evidence",)
    readonly_fields = [f.name for f in NameChangeRequest._meta.fields if f.name != "evidence"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

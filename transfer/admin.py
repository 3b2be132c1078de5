"""Read-only admin for CFLEX: every change to credit transfer goes through ``transfer.services``
(authorised, audited), so the admin shows and never edits."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from transfer.models import AgeException, Application, ApplicationLine, DecisionLetter, PriorCredential


class _ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke, never delete


class ApplicationLineInline(admin.TabularInline[ApplicationLine, Application]):
    model = ApplicationLine
    extra = 0
    fields = ("position", "credential", "course_code", "verification", "clo_attainment", "counted_credits", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(_ReadOnly):
    list_display = ("pk", "learner", "programme", "status", "credits_transferred", "binding_cap", "submitted_at")
    list_filter = ("status", "ptj")
    search_fields = ("learner__email", "programme__code")
    exclude = ("result",)
    inlines = (ApplicationLineInline,)


@admin.register(PriorCredential)
class PriorCredentialAdmin(_ReadOnly):
    list_display = ("pk", "learner", "code", "provider", "kind", "credits", "verification", "withdrawn_at")
    list_filter = ("kind", "source", "verification")
    search_fields = ("code", "provider", "learner__email")
    exclude = ("evidence_file", "verification_data")


@admin.register(AgeException)
class AgeExceptionAdmin(_ReadOnly):
    list_display = ("pk", "learner", "programme", "granted_by", "granted_at", "revoked_at")


@admin.register(DecisionLetter)
class DecisionLetterAdmin(_ReadOnly):
    list_display = ("pk", "application", "decision", "created_at", "sent_at")
    exclude = ("file",)

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PTj, Role, RoleAssignment, User
from accounts.services import role_assign, role_revoke, role_scope_check
from core.errors import ApplicationError


class PortalUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "preferred_language", "is_active")


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    fields = ("role", "ptj", "committee", "granted_at", "granted_by", "revoked_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ("full_name",)
    list_display = ("email", "full_name", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    list_filter = ("is_active", "is_staff", "role_assignments__role")
    inlines = (RoleAssignmentInline,)
    fieldsets = (
        (None, {"fields": ("email", "full_name", "preferred_language", "password")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)


@admin.register(PTj)
class PTjAdmin(admin.ModelAdmin[PTj]):
    list_display = ("code", "name", "kind", "is_active")
    search_fields = ("code", "name", "name_ms")
    list_filter = ("kind", "is_active")


class RoleAssignmentForm(forms.ModelForm[RoleAssignment]):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "ptj", "committee")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role"):
            try:
                role_scope_check(role=Role(data["role"]), ptj=data.get("ptj"), committee=data.get("committee", ""))
            except ApplicationError as exc:
                self.add_error(exc.field, exc.message)
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    """Roles are granted through ``role_assign`` and revoked, never edited or deleted."""

    form = RoleAssignmentForm
    list_display = ("user", "role", "ptj", "committee", "granted_at", "revoked_at")
    list_filter = ("role", "ptj", "committee")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user", "ptj")
    autocomplete_fields = ("user",)
    actions = ("revoke_selected",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool) -> None:
        try:
            saved = role_assign(
                user=obj.user,
                role=Role(obj.role),
                ptj=obj.ptj,
                committee=obj.committee,
                granted_by=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            # Shown on the form by ``save_form``'s caller; the model form already checked fields.
            raise forms.ValidationError(exc.message) from exc
        obj.pk = saved.pk

    @admin.action(description="Revoke the selected roles")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        done = 0
        for assignment in queryset.filter(revoked_at__isnull=True):
            role_revoke(assignment=assignment, revoked_by=request.user)  # type: ignore[arg-type]
            done += 1
        messages.success(request, f"{done} role(s) revoked.")


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    """django-otp's device admin, whose configuration and QR code pages answer 404 for a device
    that does not exist (django-otp's own raise ``DoesNotExist``: a 500, issue 12)."""

    def config_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


admin.site.unregister(TOTPDevice)  # registered by django-otp's admin module, imported above
admin.site.register(TOTPDevice, TOTPDeviceAdmin)

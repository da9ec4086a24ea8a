from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from mdss.audit.admin import AuditedModelAdmin

from .models import ApiToken, Department, Region, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "full_name", "department", "superior", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups", "department")
    search_fields = ("username", "full_name", "employee_no", "phone", "email")
    list_select_related = ("department", "superior")
    autocomplete_fields = ("superior", "department")
    filter_horizontal = ("groups", "user_permissions", "regions")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {"fields": ("full_name", "employee_no", "email", "phone", "preferred_language")},
        ),
        (_("Organisation"), {"fields": ("department", "superior", "regions", "groups")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")},
        ),
    )


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "parent", "head")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "head")


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_en", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")
    list_select_related = ("parent",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("user", "prefix", "token_hash", "created_at", "last_used_at")
    fields = (
        "user",
        "name",
        "prefix",
        "token_hash",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )

    def has_add_permission(self, request):
        # Tokens are created by `manage.py create_api_token` or on the profile page,
        # where the raw value can be shown once.
        return False

from django.contrib import admin

from . import services
from .models import AuditEvent, ESignature


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits of master data leave field diffs in the audit trail."""

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            original = type(obj).objects.get(pk=obj.pk)
            before = services.snapshot(original)
        super().save_model(request, obj, form, change)
        if change:
            services.record_changes(
                actor=request.user, obj=obj, before=before, action="admin.update"
            )
        else:
            services.record(
                actor=request.user, action="admin.create", obj=obj, changes=services.snapshot(obj)
            )

    def delete_model(self, request, obj):
        services.record(
            actor=request.user, action="admin.delete", obj=obj, changes=services.snapshot(obj)
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_at", "actor_name", "action", "object_repr", "request_id")
    list_filter = ("action", "content_type")
    search_fields = ("action", "object_repr", "actor_name", "request_id", "object_id")
    date_hierarchy = "occurred_at"


@admin.register(ESignature)
class ESignatureAdmin(ReadOnlyAdmin):
    list_display = ("signed_at", "signer_name", "meaning", "object_repr", "content_hash")
    search_fields = ("signer_name", "meaning", "object_repr")

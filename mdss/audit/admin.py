from django.contrib import admin

from . import services
from .models import AuditEvent, ESignature


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits of master data leave field diffs in the audit trail.

    Many-to-many fields (roles, regions) are saved after the row, so the diff is taken
    in ``save_related``, once everything is written.
    """

    # Never put password hashes into the audit trail; record only that they changed.
    audit_exclude = ("password",)

    # Bookkeeping columns that change on every save say nothing about the edit.
    audit_ignore = ("updated_at", "last_login")

    def _snapshot(self, obj) -> dict:
        data = services.snapshot(obj)
        for field in self.audit_ignore:
            data.pop(field, None)
        for field in self.audit_exclude:
            if field in data:
                data[field] = "(hidden)"
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(
                obj.pk and getattr(obj, field.name).values_list("pk", flat=True) or []
            )
        return data

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id:
            original = self.get_object(request, object_id)
            request._audit_before = self._snapshot(original) if original else {}
            request._audit_password = getattr(original, "password", None)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = self._snapshot(obj)
        if not change:
            services.record(actor=request.user, action="admin.create", obj=obj, changes=after)
            return
        before = getattr(request, "_audit_before", {})
        changes = services.diff(before, after)
        if getattr(request, "_audit_password", None) not in (None, getattr(obj, "password", None)):
            changes["password"] = {"before": "(hidden)", "after": "(changed)"}
        if changes:
            services.record(actor=request.user, action="admin.update", obj=obj, changes=changes)

    def delete_model(self, request, obj):
        services.record(
            actor=request.user, action="admin.delete", obj=obj, changes=self._snapshot(obj)
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

"""Service requests are worked through their pages and services; the admin only
reads them (every field is a workflow field)."""

from django.contrib import admin

from .models import ImprovementAction, ServiceRequest


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnly):
    list_display = ["number", "customer", "status", "urgency", "engineer", "reported_at"]
    list_filter = ["status", "urgency", "channel"]
    search_fields = ["number", "customer__name", "reporter_phone"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ReadOnly):
    list_display = ["request", "owner", "due_on", "status"]
    list_filter = ["status"]

"""Service requests are worked through their pages and services; the admin only
reads them (every field is a workflow field)."""

from django.contrib import admin

from mdss.audit.admin import ReadOnlyAdmin as ReadOnly

from .models import ImprovementAction, ServiceRequest


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnly):
    list_display = ["number", "customer", "status", "urgency", "engineer", "reported_at"]
    list_filter = ["status", "urgency", "channel"]
    search_fields = ["number", "customer__name", "reporter_phone"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ReadOnly):
    list_display = ["request", "owner", "due_on", "status"]
    list_filter = ["status"]

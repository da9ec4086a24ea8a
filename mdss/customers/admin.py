"""Back-office views of customers, read-only: every change goes through the pages or
the API, whose services enforce scope, duplicates and the audit trail."""

from django.contrib import admin

from mdss.audit.admin import ReadOnlyAdmin

from .models import Customer, DevelopmentPlan, Feedback, Qualification, ReturnVisit


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "grade", "status", "region", "owner", "next_visit_due")
    list_filter = ("kind", "grade", "status")
    search_fields = ("name", "credit_code")
    list_select_related = ("region__parent", "owner")
    show_full_result_count = False


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "customer", "valid_until", "voided_at")
    list_filter = ("kind",)
    search_fields = ("number", "customer__name")
    list_select_related = ("customer",)


@admin.register(ReturnVisit)
class ReturnVisitAdmin(ReadOnlyAdmin):
    list_display = ("customer", "visited_on", "visitor", "satisfaction")
    list_select_related = ("customer", "visitor")
    date_hierarchy = "visited_on"


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("customer", "category", "status", "created_at")
    list_filter = ("status", "category")
    list_select_related = ("customer",)


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(ReadOnlyAdmin):
    list_display = ("name", "owner", "period_start", "period_end")
    list_select_related = ("owner",)

from django.contrib import admin, messages

from mdss.audit.admin import ReadOnlyAdmin

from . import services
from .models import CalendarDay, CalendarYear, PolicyVersion, SlaClock, SlaTarget


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Edits go through calendar_day_set, so they are audited and reach every process."""

    list_display = ("date", "is_working_day", "name", "source")
    list_filter = ("is_working_day", "source")
    date_hierarchy = "date"
    search_fields = ("name",)
    fields = ("date", "is_working_day", "name")

    def save_model(self, request, obj, form, change):
        services.calendar_day_set(
            actor=request.user,
            day=obj.date,
            is_working_day=obj.is_working_day,
            name=obj.name,
            reason="edited in the admin",
        )

    def delete_model(self, request, obj):
        services.calendar_day_clear(actor=request.user, day=obj.date, reason="deleted in the admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "note", "created_at")
    fields = ("year", "note")

    def save_model(self, request, obj, form, change):
        if change:
            messages.warning(request, "A published year cannot be edited; change its days instead.")
            return
        services.calendar_year_publish(actor=request.user, year=obj.year, note=obj.note)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("number", "is_active", "activated_at", "created_by", "note")


@admin.register(SlaTarget)
class SlaTargetAdmin(ReadOnlyAdmin):
    list_display = ("policy", "code", "name", "duration", "unit", "warn_percent")
    list_filter = ("policy",)


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "subject_repr",
        "status",
        "responsible",
        "due_at",
        "warned_at",
        "breached_at",
        "escalation_level",
    )
    list_filter = ("status", "code")
    list_select_related = ("responsible",)

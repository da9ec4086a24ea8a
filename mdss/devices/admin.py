"""Back-office views of the installed base, read-only: every change goes through the
pages or the API, whose services check the action, the state and write the audit."""

from django.contrib import admin

from mdss.audit.admin import ReadOnlyAdmin

from .models import DeviceTransfer, InstalledDevice


@admin.register(InstalledDevice)
class InstalledDeviceAdmin(ReadOnlyAdmin):
    list_display = ("model", "serial", "lot", "customer", "site", "origin", "status")
    list_filter = ("status", "origin")
    search_fields = ("serial", "lot", "udi", "customer__name")
    list_select_related = ("model__product", "customer")
    show_full_result_count = False


@admin.register(DeviceTransfer)
class DeviceTransferAdmin(ReadOnlyAdmin):
    list_display = ("device", "transferred_on", "from_customer", "to_customer", "recorded_by")
    list_select_related = ("device__model__product", "from_customer", "to_customer", "recorded_by")
    date_hierarchy = "transferred_on"

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import DeliveryStatus
from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "created_at",
        "channel",
        "recipient",
        "kind",
        "subject",
        "status",
        "attempts",
    )
    list_filter = ("channel", "status", "kind")
    search_fields = ("subject", "recipient__username", "dedupe_key")
    list_select_related = ("recipient",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["requeue_failed"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Requeue failed deliveries"))
    def requeue_failed(self, request, queryset):
        for row in queryset.filter(status=DeliveryStatus.FAILED):
            services.requeue(notification=row, actor=request.user)
        messages.success(request, _("Requeued."))

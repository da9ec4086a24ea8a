from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from mdss.api import urls_by_router
from mdss.core import views as core_views
from mdss.core.middleware import login_not_required

admin.site.site_header = "MDSS"
admin.site.site_title = "MDSS"

urlpatterns = [
    # First: API calls are the most frequent requests, and match nothing below.
    path("api/v1/", urls_by_router()),
    path("", include("mdss.core.urls")),
    path("accounts/", include("mdss.accounts.urls")),
    path("notifications/", include("mdss.notifications.urls")),
    path("calendars/", include("mdss.calendars.urls")),
    path("catalog/", include("mdss.catalog.urls")),
    path("customers/", include("mdss.customers.urls")),
    path("training/", include("mdss.training.urls")),
    path("contracts/", include("mdss.contracts.urls")),
    path("devices/", include("mdss.devices.urls")),
    path("pricing/", include("mdss.pricing.urls")),
    path("inventory/", include("mdss.inventory.urls")),
    path("service/", include("mdss.service.urls")),
    path("complaints/", include("mdss.complaints.urls")),
    path("quality/", include("mdss.quality.urls")),
    path("risk/", include("mdss.risk.urls")),
    path("analytics/", include("mdss.analytics.urls")),
    path("portal/", include("mdss.portal.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
]

handler403 = "mdss.core.views.permission_denied"
handler404 = "mdss.core.views.page_not_found"

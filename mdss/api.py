"""The one NinjaAPI at /api/v1/, mounting each app's router."""

from ninja import NinjaAPI

from mdss.accounts.api import router as accounts_router
from mdss.analytics.api import router as analytics_router
from mdss.calendars.api import router as calendars_router
from mdss.catalog.api import router as catalog_router
from mdss.complaints.api import router as complaints_router
from mdss.contracts.api import router as contracts_router
from mdss.core.api import API_AUTH, install_error_handlers
from mdss.core.api_search import router as search_router
from mdss.core.permissions import docs_for_signed_in
from mdss.customers.api import router as customers_router
from mdss.devices.api import router as devices_router
from mdss.inventory.api import router as inventory_router
from mdss.notifications.api import router as notifications_router
from mdss.portal.api import router as portal_router
from mdss.pricing.api import router as pricing_router
from mdss.quality.api import router as quality_router
from mdss.risk.api import router as risk_router
from mdss.service.api import router as service_router
from mdss.training.api import router as training_router

api = NinjaAPI(
    title="MDSS API",
    version="1",
    description=(
        "Medical-device sales and after-sales service management. "
        "Authenticate with `Authorization: Bearer <token>` (create one with "
        "`manage.py create_api_token USERNAME` or on your profile page). "
        "Errors share one shape: `{code, message, errors: [{field, rule, message}], request_id}`. "
        "Creating POSTs honour an `Idempotency-Key` header."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs_decorator=docs_for_signed_in,
)
install_error_handlers(api)

api.add_router("/accounts", accounts_router)
api.add_router("/calendars", calendars_router)
api.add_router("/catalog", catalog_router)
api.add_router("/contracts", contracts_router)
api.add_router("/customers", customers_router)
api.add_router("/devices", devices_router)
api.add_router("/inventory", inventory_router)
api.add_router("/notifications", notifications_router)
api.add_router("/portal", portal_router)
api.add_router("/pricing", pricing_router)
api.add_router("/search", search_router)
api.add_router("/service", service_router)
api.add_router("/complaints", complaints_router)
api.add_router("/quality", quality_router)
api.add_router("/risk", risk_router)
api.add_router("/analytics", analytics_router)
api.add_router("/training", training_router)


def urls_by_router():
    """``api.urls`` with each router's paths under one ``include`` of its prefix.

    Django Ninja lists all ~280 operations flat, so a request to the last router was
    matched against every path before it (~0.1 ms a call here). Grouped by the first
    segment, a request is matched against ~20 prefixes, then its router's paths. The
    names, the order within a router and every URL stay as they were; a route whose
    first segment is not literal would make the grouping change which pattern wins, so
    then the list is left flat."""
    from django.urls import include, path

    patterns, app_name, namespace = api.urls
    heads = [str(p.pattern).partition("/") for p in patterns]
    if any("<" in head for head, _sep, _rest in heads):
        return patterns, app_name, namespace
    grouped, groups = [], {}
    for pattern, (head, sep, rest) in zip(patterns, heads, strict=True):
        if not sep:
            grouped.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            grouped.append(path(f"{head}/", include(groups[head])))
        groups[head].append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
    return grouped, app_name, namespace

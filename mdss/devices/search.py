"""Installed devices in the global search (core/search.py): by serial or lot number
or the customer's name (as the device list searches), or by a scanned UDI (GS1 or HIBC, read with catalog/udi.py): its serial (or lot)
together with its device identifier, so a scan finds the unit itself. Within the
viewer's device scope (service, quality, legal and management all units; sales
staff their customers' units)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.core.search import SearchHit, SearchProvider, list_url

# The roles of the installed-base page in the sidebar (devices/apps.py).
SEARCH_ROLES = (
    "sales_rep",
    "sales_manager",
    "management",
    "legal",
    "service_manager",
    "service_engineer",
    "quality",
)


def _may_search(user) -> bool:
    return user.is_superuser or user.has_role(*SEARCH_ROLES)


def scan_filter(text: str) -> Q | None:
    """The unit a scanned UDI names, or None when the text is not a readable UDI."""
    from mdss.catalog.udi import parse_udi

    if len(text) < 8:  # shorter than any GTIN: a serial typed by hand
        return None
    result = parse_udi(text)
    if not result.ok or not (result.serial or result.lot):
        return None
    unit = Q(serial=result.serial) if result.serial else Q(lot=result.lot)
    # The unit's own DI (from its scan at registration) or, for a unit registered by
    # its typed serial, one of its model's DIs.
    return unit & (Q(di=result.di) | Q(model__device_identifiers__di=result.di))


def _find(user, text: str, limit: int) -> list[SearchHit]:
    from .selectors import devices_for_user

    # As the device list's search: serial, lot or the customer's name.
    match = Q(serial__icontains=text) | Q(lot__iexact=text) | Q(customer__name__icontains=text)
    scanned = scan_filter(text)
    if scanned is not None:
        match |= scanned
    rows = (
        devices_for_user(user)
        .filter(match)
        .only("serial", "lot", "site", "customer__name", "model__code", "model__product__name")
        .distinct()
        .order_by("-id")[:limit]
    )
    return [
        SearchHit(
            label=f"{d.serial or d.lot} · {d.model.product.name} {d.model.code}",
            url=reverse("devices:detail", args=[d.pk]),
            detail=d.customer.name + (f" · {d.site}" if d.site else ""),
        )
        for d in rows
    ]


def _more_url(text: str) -> str:
    # The list filters by serial, lot or customer: a scan is shown in the search page.
    return "" if scan_filter(text) is not None else list_url("devices:list", text)


PROVIDERS = [
    SearchProvider(
        kind="devices",
        title=_("Installed devices"),
        may_search=_may_search,
        find=_find,
        more_url=_more_url,
        order=30,
    )
]

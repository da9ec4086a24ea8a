from dataclasses import replace

from django.db.models import Q
from django.shortcuts import get_object_or_404

from mdss.core.prepared import Prepared

from .history import device_history as _history
from .models import InstalledDevice
from .permissions import ALL_DEVICES, device_scope


def devices_for_user(
    viewer,
    *,
    q: str = "",
    customer: int | None = None,
    model: int | None = None,
    status: str = "",
    origin: str = "",
    sort: str = "",
):
    rows = InstalledDevice.objects.select_related("customer", "model__product")
    scope = device_scope(viewer)
    if scope is not None:
        rows = rows.filter(scope)
    if q:
        rows = rows.filter(
            Q(serial__icontains=q) | Q(lot__icontains=q) | Q(customer__name__icontains=q)
        )
    if customer:
        rows = rows.filter(customer_id=customer)
    if model:
        rows = rows.filter(model_id=model)
    if status:
        rows = rows.filter(status=status)
    if origin:
        rows = rows.filter(origin=origin)
    if sort:  # a key of DEVICE_SORTS, validated by DeviceFilterForm
        from mdss.core.sorting import apply_sort

        from .filters import DEVICE_SORTS

        return apply_sort(rows, sort, DEVICE_SORTS)
    return rows.order_by("-id")


def device_get_for_user(viewer, pk: int) -> InstalledDevice:
    return get_object_or_404(
        devices_for_user(viewer).select_related("installed_by", "registered_by"), pk=pk
    )


def device_history(device, viewer=None) -> list:
    """The device's events so far, from every app that registered a provider; for a
    ``viewer``, an event's link only where their role may follow it (an engineer sees
    that a contract delivered the unit, without a link to the contract)."""
    events = _history(device)
    if viewer is None:
        return events
    return [
        replace(e, url="") if e.url and e.permission and not viewer.has_perm(e.permission) else e
        for e in events
    ]


def customers_with_devices(viewer):
    """The customers' site cards the service, quality and legal roles may open
    (customers/access.py): those with a unit in the installed base. Sales staff open
    the customer page itself. Registered in ``DevicesConfig.ready``."""
    if not (viewer.is_superuser or viewer.has_role(*ALL_DEVICES)):
        return None
    return InstalledDevice.objects.values("customer_id")


def installed_base_growth(model_ids, today, days: int = 365) -> dict[int, float]:
    """Per model: units in service today over the average in service across the last
    ``days`` days (1.0 when unchanged; 1.5 when the base grew by half). Units without
    a delivery date count as in service all along. One query (spare-part demand is
    scaled by it: more units of a model, more repairs)."""
    from datetime import timedelta

    start = today - timedelta(days=days)
    rows = InstalledDevice.objects.filter(model_id__in=list(model_ids)).values_list(
        "model_id", "delivered_on", "decommissioned_on"
    )
    now: dict[int, int] = {}
    unit_days: dict[int, int] = {}
    for model_id, delivered, decommissioned in rows:
        begin = max(delivered or start, start)
        end = min(decommissioned or today, today)
        if end > begin:
            unit_days[model_id] = unit_days.get(model_id, 0) + (end - begin).days
        if (delivered or start) <= today and (decommissioned is None or decommissioned > today):
            now[model_id] = now.get(model_id, 0) + 1
    return {
        model_id: now.get(model_id, 0) / (unit_days[model_id] / days)
        for model_id in unit_days
        if unit_days[model_id]
    }


# What logging a call reads of them: not the customer's profile (its JSON lists
# would be decoded for nothing), and no ordering (the default one joins the catalog).
_DEVICE_FIELDS = (
    "customer_id", "model_id", "serial", "lot", "udi", "site", "status", "warranty_until",
    "decommissioned_on",
)  # fmt: skip
_CUSTOMER_FIELDS = ("name", "kind", "status", "province_id", "region_id", "owner_id", "team_id")

_with_customer = Prepared(
    InstalledDevice,
    lambda pk: (
        InstalledDevice.objects.select_related("customer")
        .only(*_DEVICE_FIELDS, *(f"customer__{name}" for name in _CUSTOMER_FIELDS))
        .filter(pk=pk)
        .order_by()[:1]
    ),
    kinds=(int,),
)


def device_with_customer(pk: int) -> InstalledDevice | None:
    """The unit with its customer, by id, whoever may see it (the caller checks):
    logging a call names both, and this finds both with one query compiled once.
    Other fields of either are read when first used (one query each)."""
    found = _with_customer(pk)
    return found[0] if found else None

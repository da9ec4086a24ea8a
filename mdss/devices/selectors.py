from dataclasses import replace

from django.db.models import Q
from django.shortcuts import get_object_or_404

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

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import InstalledDevice
from .permissions import device_scope


def devices_for_user(viewer, *, q: str = "", customer: int | None = None, model: int | None = None):
    rows = InstalledDevice.objects.select_related("customer", "model__product", "contract")
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
    return rows.order_by("-delivered_on", "-id")


def device_get_for_user(viewer, pk: int) -> InstalledDevice:
    return get_object_or_404(devices_for_user(viewer), pk=pk)


def device_history(device) -> list:
    """The device's events so far (delivery; service and complaints add theirs)."""
    return [
        {
            "on": device.delivered_on,
            "what": "delivered",
            "reference": device.delivery_item.delivery.number,
            "url": f"/contracts/{device.contract_id}/",
        }
    ]

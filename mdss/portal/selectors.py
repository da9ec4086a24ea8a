"""What a customer's login sees: its organisation's units in service and its service
requests, nothing else (another customer's record is a 404, as if it did not exist)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from mdss.core.errors import PermissionDenied
from mdss.customers.portal import portal_customer


def customer_for(user):
    """The customer organisation ``user`` acts for; 403 for anyone without a portal
    account (staff included: the portal is the customers' own door)."""
    customer = portal_customer(user)
    if customer is None:
        raise PermissionDenied("The portal is for customers with a portal account.")
    return customer


def devices(customer):
    from mdss.devices.models import InstalledDevice

    return (
        InstalledDevice.objects.filter(customer=customer)
        .exclude(status="decommissioned")
        .select_related("model__product")
        .order_by("model__code", "serial", "pk")
    )


def device(customer, pk: int):
    return get_object_or_404(devices(customer), pk=pk)


def requests(customer, *, device=None):
    from mdss.service.models import ServiceRequest

    rows = ServiceRequest.objects.filter(customer=customer).select_related(
        "device__model__product", "engineer"
    )
    if device is not None:
        rows = rows.filter(device=device)
    return rows.order_by("-reported_at", "-pk")


def request(customer, pk: int):
    return get_object_or_404(requests(customer), pk=pk)


def request_detail(it) -> dict:
    from mdss.service.models import Confirmation, FollowUp

    return {
        "visits": list(it.visits.prefetch_related("parts__part")),
        "confirmations": list(Confirmation.objects.filter(request=it)),
        "follow_up": FollowUp.objects.filter(request=it).first(),
    }


def complaints(customer):
    from mdss.complaints.selectors import portal_complaints

    return portal_complaints(customer).select_related("device__model")


def complaint(customer, pk: int):
    return get_object_or_404(complaints(customer), pk=pk)

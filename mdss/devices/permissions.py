"""Who sees installed devices: service, quality and management all of them (they
serve, audit and recall them); sales staff those of the customers they may see."""

from django.db.models import Q

from mdss.accounts import roles
from mdss.customers.permissions import customer_scope

ALL_DEVICES = (
    roles.SERVICE_MANAGER,
    roles.SERVICE_ENGINEER,
    roles.QUALITY,
    roles.MANAGEMENT,
    roles.LEGAL,
)


def device_scope(viewer) -> Q | None:
    if viewer.is_superuser or viewer.has_role(*ALL_DEVICES):
        return None
    return customer_scope(viewer, "customer__") or Q()

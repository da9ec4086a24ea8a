from django.shortcuts import get_object_or_404

from .models import Customer
from .permissions import customer_scope


def customer_list_for_user(viewer):
    qs = Customer.objects.select_related("region__parent", "owner")
    scope = customer_scope(viewer)
    return qs if scope is None else qs.filter(scope)


def customer_get_for_user(viewer, pk: int) -> Customer:
    """A customer the viewer may see, or 404 (outside scope looks like missing)."""
    return get_object_or_404(customer_list_for_user(viewer), pk=pk)

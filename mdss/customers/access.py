"""Who may open a customer's *site card*: the read-only service view of a customer
(site address and contacts, no commercial data) for staff who work with the
customer's devices or contracts without owning the customer (issue 15): a service
engineer on a unit's page, legal on a contract's page.

customers sits below devices and contracts (apps depend downwards), so it cannot
ask their scopes itself. Each registers a *grant* from its ``AppConfig.ready()``::

    from mdss.customers.access import register_site_access
    register_site_access(customers_with_my_devices)

A grant is ``fn(viewer) -> queryset of customer ids | None`` (None: the viewer has
no access through this app); the page is open when the customer is in the viewer's
own customer scope (with the customer permission) or in any grant's ids, asked in
one query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .permissions import customer_scope

_grants: list[Callable] = []

CUSTOMER_PAGE_PERMISSION = "customers.view_customer"


def register_site_access(fn: Callable) -> None:
    if fn not in _grants:
        _grants.append(fn)


def may_open_page(viewer) -> bool:
    """Whether ``viewer``'s role opens customer pages at all (the scope decides which)."""
    return viewer.has_perm(CUSTOMER_PAGE_PERMISSION)


def site_filter(viewer) -> Q | None:
    """A filter on Customer for the site cards ``viewer`` may open; None: every
    customer; PermissionDenied when no door leads there at all."""
    conditions = []
    if may_open_page(viewer):
        scope = customer_scope(viewer)
        if scope is None:
            return None
        conditions.append(scope)
    for grant in _grants:
        ids = grant(viewer)
        if ids is not None:
            conditions.append(Q(pk__in=ids))
    if not conditions:
        raise PermissionDenied
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def has_site_access(viewer) -> bool:
    try:
        site_filter(viewer)
    except PermissionDenied:
        return False
    return True


def customer_site_get(viewer, pk: int):
    """The customer for its site card, or 404 (403 without any door to it)."""
    from .models import Customer

    rows = Customer.objects.select_related("region__parent", "province")
    condition = site_filter(viewer)
    return get_object_or_404(rows if condition is None else rows.filter(condition), pk=pk)


def customer_url(viewer, customer_id: int, *, in_scope: bool | None = None) -> str:
    """Where a link to a customer should go for ``viewer``: the customer page when the
    viewer may open it, else the site card. ``in_scope``: the caller already knows
    whether the customer is in the viewer's customer scope (saves the query)."""
    if may_open_page(viewer):
        if in_scope is None:
            from .models import Customer

            scope = customer_scope(viewer)
            in_scope = scope is None or Customer.objects.filter(scope, pk=customer_id).exists()
        if in_scope:
            return reverse("customers:detail", args=[customer_id])
    return reverse("customers:site", args=[customer_id])

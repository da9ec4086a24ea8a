"""Row-level scope of customers (X1): a rep sees own customers, a manager the team's
(own department and direct reports), management and administrators all."""

from django.db.models import Q

from mdss.accounts import roles


def customer_scope(viewer) -> Q | None:
    """A filter on Customer, or None for everything."""
    if viewer.is_superuser or viewer.has_role(roles.MANAGEMENT):
        return None
    scope = Q(owner=viewer)
    if viewer.has_role(roles.SALES_MANAGER):
        scope |= Q(owner__superior=viewer)
        if viewer.department_id:
            scope |= Q(owner__department_id=viewer.department_id)
    return scope

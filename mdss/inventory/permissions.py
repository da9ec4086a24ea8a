"""Who sees spare parts and stock, and who may act.

Seeing: everyone in service, the warehouse, quality and management sees the parts and
stock (an engineer needs to know what is there before asking). Requisitions: an
engineer sees their own; the warehouse, the service manager and management all.

Acting: engineers request parts and return what they did not use; the warehouse
keeper issues, receives, transfers and scraps; a requisition is cancelled by whoever
asked for it or by the warehouse.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied

from .choices import InventoryAction

READERS = (
    roles.SERVICE_ENGINEER,
    roles.SERVICE_MANAGER,
    roles.WAREHOUSE_KEEPER,
    roles.QUALITY,
    roles.MANAGEMENT,
)
ALL_REQUISITIONS = (roles.WAREHOUSE_KEEPER, roles.SERVICE_MANAGER, roles.MANAGEMENT)

ACTION_ROLES = {
    InventoryAction.REQUEST: (roles.SERVICE_ENGINEER, roles.SERVICE_MANAGER),
    InventoryAction.ISSUE: (roles.WAREHOUSE_KEEPER,),
    InventoryAction.RECEIVE: (roles.WAREHOUSE_KEEPER,),
    InventoryAction.TRANSFER: (roles.WAREHOUSE_KEEPER,),
    InventoryAction.SCRAP: (roles.WAREHOUSE_KEEPER,),
    InventoryAction.RETURN: (roles.WAREHOUSE_KEEPER, roles.SERVICE_ENGINEER),
    InventoryAction.CANCEL: (roles.WAREHOUSE_KEEPER, roles.SERVICE_ENGINEER, roles.SERVICE_MANAGER),
    InventoryAction.SUPPLIERS: (roles.WAREHOUSE_KEEPER, roles.QUALITY),
    InventoryAction.QUALIFY: (roles.QUALITY, roles.MANAGEMENT),
    InventoryAction.ORDER: (roles.WAREHOUSE_KEEPER,),
    InventoryAction.APPROVE_ORDER: (roles.MANAGEMENT,),
    InventoryAction.COUNT: (roles.WAREHOUSE_KEEPER,),
    InventoryAction.APPROVE_COUNT: (roles.SERVICE_MANAGER, roles.MANAGEMENT),
}
# Suppliers, purchase orders and counts: the warehouse, quality, the service manager
# and management (not the engineers in the field).
PURCHASING_READERS = (
    roles.WAREHOUSE_KEEPER,
    roles.QUALITY,
    roles.SERVICE_MANAGER,
    roles.MANAGEMENT,
)


def may_read_purchasing(viewer) -> bool:
    return viewer.is_superuser or viewer.has_role(*PURCHASING_READERS)


def may_read(viewer) -> bool:
    return viewer.is_superuser or viewer.has_role(*READERS)


def may_act(actor, action: str) -> bool:
    return actor.is_superuser or actor.has_role(*ACTION_ROLES[action])


def require_action(actor, action: str) -> None:
    if not may_act(actor, action):
        raise PermissionDenied(
            _("Your role may not %(action)s.") % {"action": InventoryAction(action).label}
        )


def requisition_scope(viewer) -> Q | None:
    """None: every requisition; else the ones this person asked for."""
    if viewer.is_superuser or viewer.has_role(*ALL_REQUISITIONS):
        return None
    return Q(requested_by=viewer)


def require_own_or_warehouse(actor, requisition, action: str) -> None:
    """An engineer acts on their own requisitions only; the warehouse on all."""
    require_action(actor, action)
    scope = requisition_scope(actor)
    if scope is not None and requisition.requested_by_id != actor.pk:
        raise PermissionDenied(_("This requisition is someone else's."))

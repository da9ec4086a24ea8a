"""Who sees installed devices, and who may act on them.

Seeing: service, quality and management all of them (they serve, audit and recall
them); sales staff those of the customers they may see.

Acting: the service organisation keeps the installed base. The service manager
(dispatcher) registers, imports, transfers and decommissions units; engineers
record installations, which they do on site. Sales staff see their customers'
devices but change nothing here (their deliveries create units through
``contracts``); management, quality and legal read.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.errors import NotFound, PermissionDenied
from mdss.customers.permissions import customer_scope

from .choices import DEVICE_TRANSITIONS, DeviceAction

ALL_DEVICES = (
    roles.SERVICE_MANAGER,
    roles.SERVICE_ENGINEER,
    roles.QUALITY,
    roles.MANAGEMENT,
    roles.LEGAL,
)

ACTION_ROLES = {
    "view": None,  # the scope alone
    DeviceAction.REGISTER: (roles.SERVICE_MANAGER,),
    DeviceAction.IMPORT: (roles.SERVICE_MANAGER,),
    DeviceAction.INSTALL: (roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
    DeviceAction.TRANSFER: (roles.SERVICE_MANAGER,),
    DeviceAction.DECOMMISSION: (roles.SERVICE_MANAGER,),
    DeviceAction.PM_PLAN: (roles.SERVICE_MANAGER,),
}


def device_scope(viewer) -> Q | None:
    if viewer.is_superuser or viewer.has_role(*ALL_DEVICES):
        return None
    return customer_scope(viewer, "customer__") or Q()


def may_act(actor, action: str) -> bool:
    allowed = ACTION_ROLES[action]
    return allowed is None or actor.is_superuser or actor.has_role(*allowed)


def _label(action: str):
    return DeviceAction(action).label if action in DeviceAction.values else _("view")


def require_device_action(actor, device, action: str = "view") -> None:
    """404 unless ``actor`` sees ``device`` (when there is one); 403 unless their role
    may do ``action``."""
    if device is not None:
        from .models import InstalledDevice

        scope = device_scope(actor)
        if scope is not None and not InstalledDevice.objects.filter(scope, pk=device.pk).exists():
            raise NotFound()
    if not may_act(actor, action):
        raise PermissionDenied(
            _("Your role may not do this to installed devices (%(action)s).")
            % {"action": _label(action)}
        )


def possible_actions(device) -> list[str]:
    """What the device's state allows, whoever asks (the transition map)."""
    actions = list(DEVICE_TRANSITIONS.get(device.status, ()))
    if device.installed_on is not None and DeviceAction.INSTALL in actions:
        actions.remove(DeviceAction.INSTALL)  # recorded once
    return [str(a) for a in actions]


def actions_for(user, device) -> list[str]:
    """The actions ``user`` may take on ``device`` now (``device`` already in scope):
    pages render their buttons from it and the API returns it as ``allowed_actions``."""
    return [a for a in possible_actions(device) if may_act(user, a)]

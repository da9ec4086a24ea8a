"""The installed base's kinds and states, and which action each state allows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceOrigin(models.TextChoices):
    """How a unit came into the installed base. Only a contract delivery creates
    ``DELIVERED`` units; the others are registered by hand or imported."""

    DELIVERED = "delivered", _("delivered through a contract")
    TAKEN_OVER = "taken_over", _("taken over from another distributor")
    BEFORE_GO_LIVE = "before_go_live", _("sold before go-live")
    LOANER = "loaner", _("loaner")
    DEMO = "demo", _("demo unit")


# What a person may pick when registering or importing a unit.
MANUAL_ORIGINS = [o for o in DeviceOrigin if o != DeviceOrigin.DELIVERED]


class DeviceStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("in service")
    DECOMMISSIONED = "decommissioned", _("decommissioned")


class DeviceAction(models.TextChoices):
    """The actions on one unit (``register`` and ``import`` create units)."""

    REGISTER = "register", _("register devices")
    IMPORT = "import", _("import devices")
    INSTALL = "install", _("record the installation")
    TRANSFER = "transfer", _("transfer")
    DECOMMISSION = "decommission", _("decommission")
    PM_PLAN = "pm_plan", _("keep preventive maintenance plans")


# Which action each status allows. A decommissioned unit is history: nothing more
# happens to it (it stays, regulated, for traceability and recalls).
DEVICE_TRANSITIONS = {
    DeviceStatus.IN_SERVICE: (
        DeviceAction.INSTALL,
        DeviceAction.TRANSFER,
        DeviceAction.DECOMMISSION,
    ),
    DeviceStatus.DECOMMISSIONED: (),
}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "mdss.inventory"
    label = "inventory"
    verbose_name = _("Spare parts")

    def ready(self):
        from mdss.accounts import roles
        from mdss.calendars import hooks
        from mdss.core.navigation import NavItem, register

        from . import models, selectors
        from .permissions import READERS

        # The deadline list links a requisition's 24-hour clock to its page.
        hooks.register_subject_links(models.Requisition, selectors.requisition_urls)
        register(
            NavItem(
                _("Spare parts"),
                _("Parts and stock"),
                "inventory:parts",
                "box-seam",
                roles=READERS,
                order=400,
            ),
            NavItem(
                _("Spare parts"),
                _("Requisitions"),
                "inventory:requisitions",
                "inboxes",
                roles=(roles.SERVICE_ENGINEER, *READERS),
                order=410,
            ),
        )

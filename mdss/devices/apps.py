from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "mdss.devices"
    label = "devices"
    verbose_name = _("Installed base")

    def ready(self):
        from mdss.core.navigation import NavItem, register
        from mdss.customers.access import register_site_access

        from .selectors import customers_with_devices

        # A unit's page links its customer's site card (address, contacts) for service.
        register_site_access(customers_with_devices)

        register(
            NavItem(
                _("Contracts"),
                _("Installed base"),
                "devices:list",
                "hdd-stack",
                roles=(
                    "sales_rep",
                    "sales_manager",
                    "management",
                    "legal",
                    "service_manager",
                    "service_engineer",
                    "quality",
                ),
                order=270,
            ),
        )

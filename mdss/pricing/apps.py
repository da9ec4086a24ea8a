from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "mdss.pricing"
    label = "pricing"
    verbose_name = _("Prices")

    def ready(self):
        from mdss.core.navigation import NavItem, register

        register(
            NavItem(
                _("Catalog"),
                _("Price list"),
                "pricing:price_list",
                "currency-yen",
                permission="catalog.view_productmodel",
                order=105,
            ),
            NavItem(
                _("Catalog"),
                _("Price changes"),
                "pricing:change_list",
                "graph-up-arrow",
                permission="pricing.view_pricechange",
                order=106,
            ),
            NavItem(
                _("Catalog"),
                _("Price adjustments"),
                "pricing:adjustment_list",
                "percent",
                roles=("sales_rep", "sales_manager", "management"),
                order=107,
            ),
        )

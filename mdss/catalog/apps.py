from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "mdss.catalog"
    label = "catalog"
    verbose_name = _("Catalog and regulatory documents")

    def ready(self):
        from mdss.core.navigation import NavItem, register

        register(
            NavItem(
                _("Catalog"),
                _("Products"),
                "catalog:model_list",
                "box-seam",
                permission="catalog.view_productmodel",
                order=100,
            ),
            NavItem(
                _("Catalog"),
                _("Expiring documents"),
                "catalog:expiring",
                "hourglass-split",
                permission="catalog.view_productmodel",
                order=110,
            ),
            NavItem(
                _("Catalog"),
                _("Scan a UDI"),
                "catalog:scan",
                "upc-scan",
                permission="catalog.view_productmodel",
                order=120,
            ),
        )

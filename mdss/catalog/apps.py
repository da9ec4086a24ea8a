from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "mdss.catalog"
    label = "catalog"
    verbose_name = _("Catalog and regulatory documents")

    def ready(self):
        from mdss.core import dashboard
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
        dashboard.register(
            dashboard.Card(
                "expiring-documents", "catalog/_dashboard_card.html", _expiring_card, order=20
            )
        )


def _expiring_card(request):
    """The quality role's list of documents that expire within 90 days."""
    if not request.user.has_role("quality"):
        return None
    from mdss.core.dates import local_today

    from .selectors import expiring_documents

    return {"documents": expiring_documents(today=local_today(), within_days=90)[:10]}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "mdss.contracts"
    label = "contracts"
    verbose_name = _("Sales contracts")

    def ready(self):
        from mdss.customers import purchases

        from .selectors import customer_amounts, customer_purchases

        # The customers app shows purchase history and grades customers by revenue.
        purchases.register(history=customer_purchases, amounts=customer_amounts)

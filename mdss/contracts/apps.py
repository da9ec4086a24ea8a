from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "mdss.contracts"
    label = "contracts"
    verbose_name = _("Sales contracts")

    def ready(self):
        from mdss.calendars import hooks
        from mdss.core.navigation import NavItem, register
        from mdss.customers import purchases

        from .services.problems import PROBLEM_CLOCK, problem_clock_breached

        # S11: a problem whose clock breaches goes to management as the sweep marks it.
        hooks.on_breach(PROBLEM_CLOCK, problem_clock_breached)
        # The deadline list links each clock to its contract, amendment or problem.
        from . import models as contract_models
        from . import selectors as contract_selectors

        hooks.register_subject_links(
            contract_models.Contract, contract_selectors.clock_contract_urls
        )
        hooks.register_subject_links(
            contract_models.Amendment, contract_selectors.clock_amendment_urls
        )
        hooks.register_subject_links(contract_models.Problem, contract_selectors.clock_problem_urls)

        register(
            NavItem(
                _("Contracts"),
                _("Contract ledger"),
                "contracts:ledger",
                "file-earmark-text",
                permission="contracts.view_contract",
                order=250,
            ),
            NavItem(
                _("Contracts"),
                _("Overdue receivables"),
                "contracts:receivables",
                "cash-coin",
                roles=("sales_rep", "sales_manager", "legal", "management"),
                order=255,
            ),
            NavItem(
                _("Contracts"),
                _("Deliveries to prepare"),
                "contracts:deliveries_to_prepare",
                "truck",
                roles=("warehouse_keeper", "sales_rep", "sales_manager", "management"),
                order=257,
            ),
            NavItem(
                _("Contracts"),
                _("Legal review"),
                "contracts:review",
                "shield-check",
                roles=("legal",),
                order=260,
            ),
        )
        from mdss.devices.history import register_history_provider

        from .selectors import customer_amounts, customer_purchases, device_deliveries

        # The customers app shows purchase history and grades customers by revenue.
        purchases.register(history=customer_purchases, amounts=customer_amounts)
        # A delivered unit's timeline shows the delivery that brought it.
        register_history_provider(device_deliveries)

        from mdss.customers.access import register_site_access

        from .selectors import customers_with_contracts

        # A contract's page links its customer: readers who do not own customers
        # (legal) open the customer's site card.
        register_site_access(customers_with_contracts)

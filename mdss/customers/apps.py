from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SALES_ROLES = ("sales_rep", "sales_manager", "management")


class CustomersConfig(AppConfig):
    name = "mdss.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from mdss.calendars.signals import policy_activated
        from mdss.core.navigation import NavItem, register

        register(
            NavItem(
                _("Customers"),
                _("Customers"),
                "customers:list",
                "building",
                permission="customers.view_customer",
                order=200,
            ),
            NavItem(
                _("Customers"),
                _("Return visits due"),
                "customers:visits_due",
                "calendar-check",
                permission="customers.view_returnvisit",
                order=210,
            ),
            NavItem(
                _("Customers"),
                _("Customer feedback"),
                "customers:feedback_list",
                "chat-left-quote",
                permission="customers.view_feedback",
                order=220,
            ),
            NavItem(
                _("Customers"),
                _("Development plans"),
                "customers:plan_list",
                "bullseye",
                permission="customers.view_developmentplan",
                order=230,
            ),
        )
        policy_activated.connect(_replan_visits, dispatch_uid="customers.replan_visits")


def _replan_visits(sender, policy, **kwargs):
    from .tasks import visits_replan

    visits_replan()

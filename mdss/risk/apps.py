from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "mdss.risk"
    label = "risk"
    verbose_name = _("Risk management")

    def ready(self):
        from mdss.core.navigation import NavItem, register

        from .permissions import SEES_ALL

        register(
            NavItem(
                _("Risk"), _("Risk register"), "risk:register", "exclamation-triangle",
                roles=SEES_ALL, order=600,
            ),
            NavItem(
                _("Risk"), _("Review calendar"), "risk:reviews", "calendar-check",
                roles=SEES_ALL, order=610,
            ),
            NavItem(
                _("Risk"), _("Signals from the data"), "risk:signals", "broadcast",
                roles=SEES_ALL, order=620,
            ),
        )  # fmt: skip

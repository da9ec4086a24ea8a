from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "mdss.analytics"
    label = "analytics"
    verbose_name = _("Statistics and analysis")

    def ready(self):
        from mdss.core.navigation import NavItem, register

        from .permissions import DECIDE, RESOURCES, SALES, SERVICE

        register(
            NavItem(
                _("Statistics"), _("Management overview"), "analytics:overview", "binoculars",
                roles=DECIDE, order=695,
            ),
            NavItem(
                _("Statistics"), _("Sales statistics"), "analytics:sales", "graph-up",
                roles=SALES, order=700,
            ),
            NavItem(
                _("Statistics"), _("Why sales changed"), "analytics:bridge", "bar-chart-steps",
                roles=SALES, order=710,
            ),
            NavItem(
                _("Statistics"), _("Service statistics"), "analytics:service", "speedometer2",
                roles=SERVICE, order=720,
            ),
            NavItem(
                _("Statistics"), _("Engineers and parts per region"), "analytics:resources",
                "people", roles=RESOURCES, order=730,
            ),
        )  # fmt: skip

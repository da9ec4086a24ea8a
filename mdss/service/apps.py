from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "mdss.service"
    label = "service"
    verbose_name = _("After-sales service")

    def ready(self):
        from mdss.accounts import roles
        from mdss.calendars import hooks
        from mdss.core.navigation import NavItem, register
        from mdss.devices.history import register_history_provider

        from . import breaches, models, selectors
        from .choices import CONTACT_CLOCK, FOLLOWUP_CLOCK, ONSITE_CLOCK
        from .permissions import ALL_REQUESTS, READERS

        hooks.register_subject_links(models.ServiceRequest, selectors.request_urls)
        for code in (CONTACT_CLOCK, ONSITE_CLOCK, FOLLOWUP_CLOCK):
            hooks.on_breaches(code, breaches.requests_missed_deadlines)
        # A device's timeline shows its service requests and the parts fitted.
        register_history_provider(selectors.device_service_events)
        register(
            NavItem(
                _("Service"),
                _("My jobs"),
                "service:mine",
                "phone-vibrate",
                roles=(roles.SERVICE_ENGINEER,),
                order=300,
            ),
            NavItem(
                _("Service"),
                _("Dispatch board"),
                "service:board",
                "kanban",
                roles=(roles.SERVICE_MANAGER,),
                order=305,
            ),
            NavItem(
                _("Service"),
                _("Service requests"),
                "service:list",
                "headset",
                roles=READERS,
                order=310,
            ),
            NavItem(
                _("Service"),
                _("Log a call"),
                "service:create",
                "telephone-plus",
                roles=(roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
                order=315,
            ),
            NavItem(
                _("Service"),
                _("Improvement actions"),
                "service:improvements",
                "graph-up-arrow",
                roles=ALL_REQUESTS,
                order=320,
            ),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "mdss.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from mdss.calendars import hooks
        from mdss.core.navigation import NavItem, register
        from mdss.customers import history
        from mdss.devices.history import register_history_provider

        from . import breaches, models, selectors
        from .choices import CLOCKS
        from .permissions import READERS

        hooks.register_subject_links(models.Complaint, selectors.complaint_urls)
        for code in CLOCKS:
            hooks.on_breach(code, breaches.complaint_deadline_missed)
        # A device's timeline and a customer's page show the complaints about them.
        register_history_provider(selectors.device_complaint_events)
        history.register(selectors.customer_complaints)
        register(
            NavItem(
                _("Quality"),
                _("Complaints"),
                "complaints:list",
                "megaphone",
                roles=READERS,
                order=400,
            ),
            NavItem(
                _("Quality"),
                _("Record a complaint"),
                "complaints:create",
                "telephone-inbound",
                roles=READERS,
                order=405,
            ),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "mdss.quality"
    label = "quality"
    verbose_name = _("Quality")

    def ready(self):
        from mdss.accounts import roles
        from mdss.calendars import hooks
        from mdss.catalog.holds import register_model_hold, register_unit_hold
        from mdss.complaints.handover import handover_opened
        from mdss.core.navigation import NavItem, register
        from mdss.devices.history import register_history_provider
        from mdss.service.signals import defect_suspected

        from . import breaches, receivers, selectors
        from .choices import AE_CLOCKS
        from .permissions import AUDIT_READERS, EVALUATION_READERS, REPORTERS, SEES_ALL, TRACERS
        from .services import recalls

        register_model_hold(recalls.model_holds)
        register_history_provider(selectors.device_quality_events)
        register_unit_hold(recalls.unit_hold)
        handover_opened.connect(receivers.on_handover_opened, dispatch_uid="quality.ae")
        defect_suspected.connect(receivers.on_defect_suspected, dispatch_uid="quality.feedback")
        for code in AE_CLOCKS:
            hooks.on_breach(code, breaches.ae_deadline_missed)
        register(
            NavItem(
                _("Quality"), _("Quality dashboard"), "quality:home", "shield-check",
                roles=SEES_ALL, order=500,
            ),
            NavItem(
                _("Quality"), _("My quality actions"), "quality:my-work", "list-check",
                roles=REPORTERS, order=501,
            ),
            NavItem(
                _("Quality"), _("Product feedback"), "quality:feedback-list", "megaphone",
                roles=REPORTERS, order=502,
            ),
            NavItem(
                _("Quality"), _("Quality incidents"), "quality:incident-list", "bug",
                roles=REPORTERS, order=503,
            ),
            NavItem(
                _("Quality"), _("Suspected adverse events"), "quality:ae-list",
                "exclamation-octagon", roles=SEES_ALL, order=504,
            ),
            NavItem(
                _("Quality"), _("Recalls"), "quality:recall-list", "arrow-counterclockwise",
                roles=SEES_ALL, order=510,
            ),
            NavItem(
                _("Quality"), _("Service-quality evaluations"), "quality:evaluation-list",
                "award", roles=(*EVALUATION_READERS, roles.SERVICE_ENGINEER), order=530,
            ),
            NavItem(
                _("Quality"), _("Record audits"), "quality:audit-list", "clipboard-check",
                roles=AUDIT_READERS, order=540,
            ),
            NavItem(
                _("Quality"), _("Trace a lot or unit"), "quality:trace", "diagram-3",
                roles=TRACERS, order=520,
            ),
        )  # fmt: skip

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "mdss.quality"
    label = "quality"
    verbose_name = _("Quality")

    def ready(self):
        from mdss.calendars import hooks
        from mdss.catalog.holds import register_model_hold, register_unit_hold
        from mdss.complaints.handover import handover_opened
        from mdss.service.signals import defect_suspected

        from . import breaches, receivers
        from .choices import AE_CLOCKS
        from .services import recalls

        register_model_hold(recalls.model_holds)
        register_unit_hold(recalls.unit_hold)
        handover_opened.connect(receivers.on_handover_opened, dispatch_uid="quality.ae")
        defect_suspected.connect(receivers.on_defect_suspected, dispatch_uid="quality.feedback")
        for code in AE_CLOCKS:
            hooks.on_breach(code, breaches.ae_deadline_missed)

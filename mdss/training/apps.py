from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STAFF = (
    "sales_rep",
    "sales_manager",
    "service_engineer",
    "service_manager",
    "trainer",
    "management",
)
KEEPERS = ("sales_manager", "service_manager", "trainer", "management")


class TrainingConfig(AppConfig):
    name = "mdss.training"
    label = "training"
    verbose_name = _("Training and qualification")

    def ready(self):
        from mdss.core.navigation import NavItem, register

        register(
            NavItem(
                _("Training"),
                _("My training record"),
                "training:me",
                "mortarboard",
                roles=STAFF,
                order=300,
            ),
            NavItem(
                _("Training"),
                _("Training sessions"),
                "training:sessions",
                "calendar-event",
                roles=STAFF,
                order=310,
            ),
            NavItem(
                _("Training"),
                _("Assessments"),
                "training:assessments",
                "clipboard-check",
                roles=STAFF,
                order=320,
            ),
            NavItem(
                _("Training"),
                _("External training"),
                "training:external",
                "box-arrow-up-right",
                roles=STAFF,
                order=330,
            ),
            NavItem(
                _("Training"),
                _("Training compliance"),
                "training:compliance",
                "grid-3x3",
                roles=KEEPERS,
                order=340,
            ),
            NavItem(
                _("Training"),
                _("Staff training records"),
                "training:people",
                "people",
                roles=KEEPERS,
                order=350,
            ),
        )

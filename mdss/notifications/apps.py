from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "mdss.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from mdss.core.navigation import NavItem, register

        register(
            NavItem(
                _("Workspace"),
                _("Notifications"),
                "notifications:list",
                "bell",
                needs_role=False,
                order=5,
            )
        )

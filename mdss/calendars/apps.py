from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "mdss.calendars"
    label = "calendars"
    verbose_name = _("Calendar, policy and deadlines")

    def ready(self):
        from mdss.core.navigation import NavItem, register

        register(
            NavItem(_("System"), _("Work calendar"), "calendars:calendar", "calendar3", order=850),
            NavItem(
                _("System"), _("Policy and deadlines"), "calendars:policy", "stopwatch", order=860
            ),
            NavItem(_("Workspace"), _("Deadlines"), "calendars:clocks", "alarm", order=10),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _deadline_card(request):
    user = request.user
    if not (user.is_superuser or (user.role_codes - {"customer"})):
        return None
    from .selectors import clock_counts_for_user

    return {"deadlines": clock_counts_for_user(user)}


class CalendarsConfig(AppConfig):
    name = "mdss.calendars"
    label = "calendars"
    verbose_name = _("Calendar, policy and deadlines")

    def ready(self):
        from mdss.core import dashboard
        from mdss.core.navigation import NavItem, register

        dashboard.register(
            dashboard.Card("deadlines", "calendars/_dashboard_card.html", _deadline_card, order=10)
        )

        register(
            NavItem(_("System"), _("Work calendar"), "calendars:calendar", "calendar3", order=850),
            NavItem(
                _("System"), _("Policy and deadlines"), "calendars:policy", "stopwatch", order=860
            ),
            NavItem(_("Workspace"), _("Deadlines"), "calendars:clocks", "alarm", order=10),
        )

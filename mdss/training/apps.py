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
        from mdss.core import dashboard
        from mdss.core.navigation import NavItem, register

        dashboard.register(
            dashboard.Card("training", "training/_dashboard_card.html", _training_card, order=40)
        )
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


def _training_card(request):
    """Upcoming sessions, the viewer's own open assessments, and (for managers and
    trainers) the rules of the current period not met yet."""
    user = request.user
    if not (user.is_superuser or user.has_role(*STAFF)):
        return None
    from mdss.core.dates import local_today

    from . import compliance, selectors
    from .permissions import keeps_records, team_of

    today = local_today()
    context = {
        "upcoming": list(selectors.upcoming_sessions(today)[:3]),
        "mine": list(selectors.assessments_for_user(user, "scheduled").filter(user=user)[:3]),
        "at_risk": [],
    }
    if keeps_records(user):
        teams = [team_of(user)] if team_of(user) else ["sales", "service"]
        for team in teams:
            for rule in compliance.team_grid(team, today.year, today):
                for cell in rule.cells:
                    if cell.state == compliance.OPEN:
                        context["at_risk"].append((rule, cell))
    return context

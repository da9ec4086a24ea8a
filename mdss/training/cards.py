"""The home page's training card (core.dashboard)."""

from django.urls import reverse
from django.utils.http import urlencode

from mdss.core.dashboard import Card

from .apps import STAFF


def _training_card(request):
    """Upcoming sessions, the viewer's own open assessments, and (for managers and
    trainers) per team the rules missed this year and those of the current period not
    met yet, each linking to the team's compliance grid."""
    user = request.user
    if not (user.is_superuser or user.has_role(*STAFF)):
        return None
    from mdss.core.dates import local_today

    from . import compliance, selectors
    from .choices import Team
    from .permissions import keeps_records, team_of

    today = local_today()
    context = {
        "upcoming": list(selectors.upcoming_sessions(today)[:3]),
        "mine": list(selectors.assessments_for_user(user, "scheduled").filter(user=user)[:3]),
        "at_risk": [],
        "teams": [],
    }
    if keeps_records(user):
        teams = [team_of(user)] if team_of(user) else [Team.SALES, Team.SERVICE]
        for team in teams:
            missed = 0
            for rule in compliance.team_grid(team, today.year, today):
                for cell in rule.cells:
                    if cell.state == compliance.OPEN:
                        context["at_risk"].append((rule, cell, team))
                    missed += cell.state == compliance.MISSED
            context["teams"].append(
                {
                    "key": team,
                    "label": Team(team).label,
                    "missed": missed,
                    "url": f"{reverse('training:compliance')}?"
                    + urlencode({"team": team, "year": today.year}),
                }
            )
    return context


CARDS = [Card("training", "training/_dashboard_card.html", _training_card, order=40)]

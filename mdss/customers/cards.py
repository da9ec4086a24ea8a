"""The home page's return-visit card (core.dashboard)."""

from django.utils.translation import gettext as _

from mdss.core.dashboard import Card


def _visits_card(request):
    """A rep's (or manager's) return visits this period and the open feedback; a
    manager also sees the reps with the most overdue visits as a chart. Four or five
    queries, each an index range (the due customers, counted per owner, not all)."""
    user = request.user
    if not user.has_perm("customers.view_returnvisit"):
        return None
    from mdss.core import charts
    from mdss.core.dates import local_today

    from . import selectors
    from .permissions import is_manager

    today = local_today()
    due = selectors.visits_due_for_user(user, today)
    period = selectors.visit_period(today)
    # The reps with the most overdue visits, at most ten, worst at the top (managers).
    figures = selectors.visit_figures(user, today, period, worst=10 if is_manager(user) else 0)
    context = {
        "period": period,
        "due": figures.due,
        "overdue": figures.overdue,
        "first": list(due[:5]),
        "open_feedback": selectors.open_feedback_count(user),
        "today": today,
        "chart": None,
    }
    if figures.worst:
        late = figures.worst[::-1]  # ECharts draws the first category at the bottom
        context["chart"] = charts.horizontal_bars(
            [name for _pk, name, _n in late],
            [{"name": _("overdue"), "color": charts.RED, "data": [n for _pk, _name, n in late]}],
        )
        context["chart_height"] = 40 + 28 * len(late)
    return context


CARDS = [Card("customer-visits", "customers/_dashboard_card.html", _visits_card, order=15)]

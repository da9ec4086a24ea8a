"""The home page's return-visit card (core.dashboard)."""

from django.utils.translation import gettext as _

from mdss.core.dashboard import Card


def _visits_card(request):
    """A rep's (or manager's) return visits this period and the open feedback; a
    manager also sees the reps with the most overdue visits as a chart. Four or five
    queries, each an index range (the overdue and due customers, not all)."""
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
    counts = selectors.visit_counts(user, today, period)
    context = {
        "period": period,
        **counts,
        "first": list(due[:5]),
        "open_feedback": selectors.open_feedback_count(user),
        "today": today,
        "chart": None,
    }
    if is_manager(user):
        # The reps with the most overdue visits, at most ten, worst at the top.
        late = selectors.overdue_visits_by_rep(user, today, limit=10)
        if late:
            late.reverse()  # ECharts draws the first category at the bottom
            context["chart"] = charts.horizontal_bars(
                [r["owner__full_name"] or r["owner__username"] for r in late],
                [
                    {
                        "name": _("overdue"),
                        "color": charts.RED,
                        "data": [r["overdue"] for r in late],
                    }
                ],
            )
            context["chart_height"] = 40 + 28 * len(late)
    return context


CARDS = [Card("customer-visits", "customers/_dashboard_card.html", _visits_card, order=15)]

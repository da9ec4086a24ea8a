"""The home page's deadline cards (core.dashboard)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mdss.core.dashboard import Card, Figure, figure_card

from .choices import ClockStatus


def _deadline_card(request):
    """Everyone on the staff: the deadlines they answer for, and the next five."""
    user = request.user
    if not (user.is_superuser or (user.role_codes - {"customer"})):
        return None
    from .selectors import clock_counts_for_user, open_clocks_for

    now = timezone.now()
    mine = open_clocks_for(user).filter(Q(responsible=user) | Q(escalated_to=user))
    return {"deadlines": clock_counts_for_user(user, now), "next": list(mine[:5]), "now": now}


def _breaches_card(request):
    """Management and the service manager: every deadline overdue now (SLA breaches)
    and all open ones, as the deadlines page lists them."""
    from .selectors import open_clocks_for, sees_all_clocks

    user = request.user
    if not sees_all_clocks(user):
        return None
    now = timezone.now()
    counts = open_clocks_for(user).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(status=ClockStatus.RUNNING, due_at__lte=now))
    )
    url = reverse("calendars:clocks")
    return figure_card(
        _("Deadlines (SLA)"),
        "stopwatch",
        [
            Figure(
                "sla-breaches",
                _("Overdue now"),
                counts["overdue"],
                f"{url}?overdue=1",
                tone="danger",
            ),
            Figure("sla-open", _("Open deadlines"), counts["open"], url),
        ],
        key="sla",
    )


CARDS = [
    Card("deadlines", "calendars/_dashboard_card.html", _deadline_card, order=10),
    Card("sla", "core/_figure_card.html", _breaches_card, order=12),
]

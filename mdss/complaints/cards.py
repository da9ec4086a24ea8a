"""The home page's complaints card (core.dashboard): for quality and management, the
open complaints, those past a deadline and the major ones open. Each figure is the
count of the queue it links to (tests/test_dashboards.py compares them)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _complaints_card(request):
    user = request.user
    if not user.has_role(roles.QUALITY, roles.MANAGEMENT):
        return None
    from . import selectors

    counts = selectors.queue_counts(user)
    base = reverse("complaints:list")
    figures = [
        Figure("complaints-open", _("Open complaints"), counts["open"], base),
        Figure(
            "complaints-overdue",
            _("Past a deadline"),
            counts["overdue"],
            f"{base}?status=overdue",
            tone="danger" if counts["overdue"] else "",
            note=_("contact 2 h · answer 24 h · special team 48 h"),
        ),
        Figure(
            "complaints-major",
            _("Major complaints open"),
            counts["major"],
            f"{base}?severity=major",
            tone="warning" if counts["major"] else "",
        ),
    ]
    return figure_card(_("Complaints"), "megaphone", figures, key="complaints")


CARDS = [Card("complaints", "core/_figure_card.html", _complaints_card, order=18)]

"""The home page's risk card (core.dashboard): for management and quality, the open
risks assessed unacceptable and the reviews overdue. Each figure is the count of the
list it links to (tests/test_dashboards.py compares them)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _risk_card(request):
    user = request.user
    if not user.has_role(roles.MANAGEMENT, roles.QUALITY):
        return None
    from mdss.core.dates import local_today

    from . import selectors

    counts = selectors.card_counts(user, today=local_today())
    figures = [
        Figure(
            "risks-unacceptable",
            _("Unacceptable risks"),
            counts["unacceptable"],
            f"{reverse('risk:register')}?zone=unacceptable",
            tone="danger" if counts["unacceptable"] else "",
        ),
        Figure(
            "risk-reviews-overdue",
            _("Risk reviews overdue"),
            counts["overdue"],
            reverse("risk:reviews"),
            tone="warning" if counts["overdue"] else "",
        ),
    ]
    return figure_card(_("Risk"), "exclamation-triangle", figures, key="risk")


CARDS = [Card("risk", "core/_figure_card.html", _risk_card, order=20)]

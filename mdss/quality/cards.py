"""The home page's quality card (core.dashboard): for quality and management, the
suspected adverse events whose report is due, the open incidents and the product
feedback not yet closed. Each figure is the count of the list it links to
(tests/test_dashboards.py compares them)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _quality_card(request):
    user = request.user
    if not user.has_role(roles.QUALITY, roles.MANAGEMENT):
        return None
    from . import selectors

    counts = selectors.card_counts()
    figures = [
        Figure(
            "quality-ae-due",
            _("Adverse events to report"),
            counts["ae_due"],
            f"{reverse('quality:ae-list')}?status=draft",
            tone="danger" if counts["ae_due"] else "",
            note=_("death 7 days · serious injury 20 days · cluster 12 hours"),
        ),
        Figure(
            "quality-incidents-open",
            _("Open quality incidents"),
            counts["incidents_open"],
            f"{reverse('quality:incident-list')}?status=open",
            tone="warning" if counts["incidents_open"] else "",
        ),
        Figure(
            "quality-feedback-open",
            _("Product feedback open"),
            counts["feedback_open"],
            f"{reverse('quality:feedback-list')}?status=open",
        ),
    ]
    return figure_card(_("Quality"), "shield-check", figures, key="quality")


CARDS = [Card("quality", "core/_figure_card.html", _quality_card, order=19)]

"""The home page of a customer's login: its service requests, linking to the portal
(whose list shows the same count)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.core.dashboard import Card, Figure, figure_card


def _portal_card(request):
    from mdss.customers.portal import portal_customer

    from . import selectors

    customer = portal_customer(request.user)
    if customer is None:
        return None
    figures = [
        Figure(
            "portal-requests",
            _("Our service requests"),
            selectors.requests(customer).count(),
            reverse("portal:home"),
            note=customer.name,
        )
    ]
    return figure_card(_("Customer portal"), "hospital", figures, key="portal")


CARDS = [Card("portal", "core/_figure_card.html", _portal_card, order=1)]

"""The home page's approvals card (core.dashboard): price requests and price-list
changes waiting for this person's decision."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _approvals_card(request):
    """Sales managers and management: requests waiting for them; management also the
    price-list changes to approve. One or two queries."""
    user = request.user
    if not (user.is_superuser or user.has_role(roles.MANAGEMENT, roles.SALES_MANAGER)):
        return None
    from . import selectors

    figures = [
        Figure(
            "price-requests-waiting",
            _("Price requests waiting"),
            selectors.adjustment_inbox(user).count(),
            f"{reverse('pricing:adjustment_list')}#inbox",
            tone="warning",
        )
    ]
    if user.is_superuser or user.has_role(roles.MANAGEMENT):
        figures.append(
            Figure(
                "price-changes-waiting",
                _("Price-list changes to approve"),
                selectors.approvals_waiting_for(user).count(),
                f"{reverse('pricing:change_list')}#inbox",
                tone="warning",
            )
        )
    return figure_card(_("Waiting for my approval"), "inbox", figures, key="approvals")


CARDS = [Card("approvals", "core/_figure_card.html", _approvals_card, order=8)]

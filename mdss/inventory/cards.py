"""The home page's spare-parts card (core.dashboard): the warehouse's open
requisitions (each with its 24-hour clock) and an engineer's own."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _parts_card(request):
    """Warehouse keepers: requisitions waiting to be issued; engineers: theirs still
    open. One query; the figure equals the requisition list's count."""
    user = request.user
    keeper = user.has_role(roles.WAREHOUSE_KEEPER)
    if not (keeper or user.has_role(roles.SERVICE_ENGINEER)):
        return None
    from . import selectors

    open_count = selectors.requisitions_for_user(user, open_only=True).count()
    label = _("Requisitions to issue") if keeper else _("My open requisitions")
    figures = [
        Figure(
            "requisitions-open",
            label,
            open_count,
            reverse("inventory:requisitions"),
            tone="warning" if open_count else "",
            note=_("within 24 hours of the request"),
        )
    ]
    return figure_card(_("Spare parts"), "box-seam", figures, key="parts")


CARDS = [Card("parts", "core/_figure_card.html", _parts_card, order=18)]

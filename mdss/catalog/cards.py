"""The home page's regulatory card (core.dashboard): documents about to expire and
the compliance overrides in force."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _documents_card(request):
    """Quality and management: certificates and licences expiring (the expiring page's
    window) and the overrides in force; quality also sees the first ten. Three queries."""
    user = request.user
    if not (user.is_superuser or user.has_role(roles.QUALITY, roles.MANAGEMENT)):
        return None
    from mdss.core.dates import local_today

    from . import selectors

    today = local_today()
    documents = selectors.expiring_documents(today=today)
    url = reverse("catalog:expiring")
    figures = [
        Figure(
            "expiring-documents",
            _("Certificates expiring"),
            len(documents),
            url,
            tone="warning",
        ),
        Figure(
            "overrides-in-force",
            _("Overrides in force"),
            selectors.overrides_in_force(today).count(),
            f"{url}#overrides",
        ),
    ]
    rows = []
    if user.has_role(roles.QUALITY):
        rows = [
            {
                "label": f"{doc.number} · {getattr(doc, 'product', None) or doc.manufacturer}",
                "url": "",
                "hint": _("expired")
                if doc.days_left < 0
                else _("%(n)s days left") % {"n": doc.days_left},
                "tone": "danger" if doc.days_left <= 30 else "",
            }
            for doc in documents[:10]
        ]
    return figure_card(
        _("Regulatory documents"), "hourglass-split", figures, key="documents", rows=rows
    )


CARDS = [Card("documents", "core/_figure_card.html", _documents_card, order=20)]

"""The home page's sales cards (core.dashboard): management's and the sales
manager's figures with last year's, the rep's own work, legal's review queue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mdss.accounts import roles
from mdss.core.dashboard import Card, Figure, figure_card


def _ledger(**filters) -> str:
    return f"{reverse('contracts:ledger')}?{urlencode(filters)}"


def _signed(periods, name: str) -> str:
    start, end = periods[name]
    return _ledger(signed_from=start.isoformat(), signed_to=end.isoformat())


def _contracts_note(n: int) -> str:
    return ngettext("%(n)s contract", "%(n)s contracts", n) % {"n": n}


def _sales_card(request):
    """Management (every contract) and the sales manager (the team's): signed this
    month and quarter against last year's same days, overdue receivables, contracts
    waiting for legal, and the year's trend. Four queries."""
    user = request.user
    if not (user.is_superuser or user.has_role(roles.MANAGEMENT, roles.SALES_MANAGER)):
        return None
    from mdss.core import charts
    from mdss.core.dates import local_today

    from . import selectors

    today = local_today()
    f = selectors.sales_figures(user, today)
    owed = selectors.receivables_totals(user, today)
    by_month = f["by_month"]
    periods = f["periods"]
    figures = [
        Figure(
            "signed-month",
            _("Signed this month"),
            f["month"],
            _signed(periods, "month"),
            money=True,
            previous=f["month_last_year"],
        ),
        Figure(
            "signed-quarter",
            _("Signed this quarter"),
            f["quarter"],
            _signed(periods, "quarter"),
            money=True,
            previous=f["quarter_last_year"],
        ),
        Figure(
            "receivables-overdue",
            _("Receivables overdue"),
            owed["amount"],
            reverse("contracts:receivables"),
            money=True,
            tone="danger",
            note=_contracts_note(owed["count"]),
        ),
        Figure(
            "in-review",
            _("Waiting for legal"),
            f["in_review"],
            _ledger(status="in_review"),
            tone="warning",
        ),
    ]
    chart = charts.month_lines(
        [
            {
                "name": str(year),
                "data": [None if v is None else float(v) for v in values],
                **({"color": charts.GREY} if year < today.year else {"color": charts.BLUE}),
            }
            for year, values in by_month.items()
        ],
        money=True,
    )
    title = _("Sales") if not user.has_role(roles.SALES_MANAGER) else _("My team's sales")
    return figure_card(title, "graph-up-arrow", figures, key="sales", chart=chart)


def _rep_card(request):
    """A rep's own work: drafts, contracts in review, price requests waiting for a
    decision, payments overdue on their contracts (visits due and the next deadlines
    have their own cards). Three queries."""
    user = request.user
    if not user.has_role(roles.SALES_REP):
        return None
    from mdss.core.dates import local_today
    from mdss.pricing.selectors import my_open_requests

    from . import selectors

    f = selectors.stage_counts(user)
    today = local_today()
    owed = selectors.receivables_totals(user, today)
    figures = [
        Figure("my-drafts", _("My drafts"), f["drafts"], _ledger(status="draft")),
        Figure("my-in-review", _("In legal review"), f["in_review"], _ledger(status="in_review")),
        Figure(
            "my-requests",
            _("My price requests waiting"),
            my_open_requests(user).count(),
            f"{reverse('pricing:adjustment_list')}?mine=open",
        ),
        Figure(
            "my-receivables-overdue",
            _("Payments overdue"),
            owed["amount"],
            reverse("contracts:receivables"),
            money=True,
            tone="danger",
            note=_contracts_note(owed["count"]),
        ),
    ]
    return figure_card(_("My work"), "briefcase", figures, key="rep")


def _legal_card(request):
    """Legal: the review queue with each review's deadline, oldest first. Three queries."""
    from .permissions import may_act

    user = request.user
    if user.is_superuser or not may_act(user, "review"):
        return None
    from django.utils import timezone

    from mdss.calendars.selectors import running_clocks

    from . import selectors

    queue = selectors.review_inbox()
    waiting = queue.count()
    first = list(queue[:5])
    clocks = running_clocks(first)
    now = timezone.now()
    rows = []
    for contract in first:
        clock = clocks.get(contract.pk)
        overdue = bool(clock and clock.due_at <= now)
        rows.append(
            {
                "label": f"{contract.number} · {contract.customer.name}",
                "url": reverse("contracts:detail", args=[contract.pk]),
                "hint": clock.due_at.strftime("%m-%d %H:%M") if clock else "",
                "tone": "danger" if overdue else "",
            }
        )
    figures = [
        Figure("review-queue", _("Contracts to review"), waiting, reverse("contracts:review")),
        Figure(
            "amendments-queue",
            _("Amendments to review"),
            selectors.amendments_in_review().count(),
            f"{reverse('contracts:review')}#amendments",
        ),
    ]
    return figure_card(_("Legal review"), "shield-check", figures, key="legal", rows=rows)


def _warehouse_card(request):
    """The warehouse: signed contracts with units still to deliver, and those past
    their delivery deadline; the five nearest. Two queries."""
    user = request.user
    if not user.has_role(roles.WAREHOUSE_KEEPER):
        return None
    from mdss.core.dates import local_today

    from . import selectors

    today = local_today()
    rows = selectors.deliveries_to_prepare(user)
    waiting = rows.count()
    first = list(rows.select_related("customer")[:5])
    url = reverse("contracts:deliveries_to_prepare")
    figures = [Figure("deliveries-to-prepare", _("Contracts to deliver"), waiting, url)]
    listed = [
        {
            "label": f"{c.number} · {c.customer.name}",
            "url": f"{reverse('contracts:detail', args=[c.pk])}?tab=deliveries",
            "hint": c.delivery_deadline.isoformat() if c.delivery_deadline else "",
            "tone": "danger" if c.delivery_deadline and c.delivery_deadline < today else "",
        }
        for c in first
    ]
    return figure_card(_("Deliveries"), "truck", figures, key="warehouse", rows=listed)


CARDS = [
    Card("sales", "core/_figure_card.html", _sales_card, order=5),
    Card("rep", "core/_figure_card.html", _rep_card, order=6),
    Card("legal", "core/_figure_card.html", _legal_card, order=7),
    Card("warehouse", "core/_figure_card.html", _warehouse_card, order=7),
]

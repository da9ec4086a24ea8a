"""Reads of contracts for pages, API and the customers app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.shortcuts import get_object_or_404

from .choices import ContractStatus
from .models import Contract, ContractLine, DeliveryItem
from .permissions import contract_scope, contract_scope_parts, sees_every_contract

SIGNED = [ContractStatus.SIGNED, ContractStatus.IN_PERFORMANCE, ContractStatus.COMPLETED]
MONEY = DecimalField(max_digits=16, decimal_places=2)


def contract_list_for_user(viewer):
    rows = Contract.objects.select_related("customer", "rep")
    scope = contract_scope(viewer)
    return rows if scope is None else rows.filter(scope)


def contract_get_for_user(viewer, pk: int) -> Contract:
    return get_object_or_404(contract_list_for_user(viewer), pk=pk)


def clock_contract_urls(viewer, ids) -> dict:
    """Deadline rows (calendars/hooks.py): the contracts among ``ids`` the viewer may
    open, with their page. One query."""
    from django.urls import reverse

    if not viewer.has_perm("contracts.view_contract"):
        return {}
    found = contract_list_for_user(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    return {pk: reverse("contracts:detail", args=[pk]) for pk in found}


def clock_amendment_urls(viewer, ids) -> dict:
    """Deadline rows: the amendments among ``ids`` the viewer may open. One query."""
    from django.urls import reverse

    if not viewer.has_perm("contracts.view_contract"):
        return {}
    found = amendment_list_for_user(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    return {pk: reverse("contracts:amendment", args=[pk]) for pk in found}


def clock_problem_urls(viewer, ids) -> dict:
    """Deadline rows: a problem is handled on its contract's page. One query."""
    from django.urls import reverse

    from .models import Problem

    if not viewer.has_perm("contracts.view_contract"):
        return {}
    rows = Problem.objects.filter(pk__in=ids)
    scope = contract_scope(viewer)
    if scope is not None:
        rows = rows.filter(contract__in=Contract.objects.filter(scope).values("pk"))
    return {
        pk: reverse("contracts:detail", args=[contract_id])
        for pk, contract_id in rows.values_list("pk", "contract_id")
    }


def customers_with_contracts(viewer):
    """The customers' site cards a contract reader may open (customers/access.py):
    the customers of the contracts they see (legal sees every contract, not the
    customer pages). Registered in ``ContractsConfig.ready``."""
    if not viewer.has_perm("contracts.view_contract"):
        return None
    scope = contract_scope(viewer)
    rows = Contract.objects.all() if scope is None else Contract.objects.filter(scope)
    return rows.values("customer_id")


def customer_purchases(customer):
    """(purchases, devices) for the customer page: signed contracts with their totals."""
    from mdss.customers.purchases import Purchase

    contracts = Contract.objects.filter(customer=customer, status__in=SIGNED).order_by("-signed_on")
    return (
        [
            Purchase(
                reference=c.number,
                signed_on=c.signed_on,
                amount=c.amount,
                description=c.get_status_display(),
                url=f"/contracts/{c.pk}/",
            )
            for c in contracts
        ],
        [],
    )


def customer_amounts(customer_ids, start: date, end: date) -> dict[int, Decimal]:
    """Contract amounts signed between two dates, per customer (grades, plans)."""
    rows = Contract.objects.filter(status__in=SIGNED, signed_on__range=(start, end))
    if customer_ids is not None:
        rows = rows.filter(customer_id__in=list(customer_ids))
    return dict(
        rows.order_by()
        .values("customer_id")
        .annotate(total=Sum("amount"))
        .values_list("customer_id", "total")
    )


def _sum(model, field: str, link: str = "contract"):
    """SUM(field) of a child table per contract, as a correlated subquery (so the
    ledger stays one query whatever the number of rows)."""
    from django.db.models import OuterRef, Subquery

    return Subquery(
        model.objects.filter(**{link: OuterRef("pk")})
        .values(link)
        .annotate(total=Sum(field))
        .values("total")
    )


def ledger(
    viewer,
    *,
    status: str = "",
    rep: int | None = None,
    customer: int | None = None,
    province: int | None = None,
    signed_from: date | None = None,
    signed_to: date | None = None,
    q: str = "",
    sort: str = "",
):
    """The contract ledger (合同台账, S10): contracts in scope with their amounts,
    delivered and paid shares, open problems and the first unpaid instalment, in a
    fixed number of queries (amounts, paid and first unpaid are stored on the
    contract, services.totals; the quantities are correlated subqueries, not per-row
    queries; the count of a page uses none of them)."""
    from django.db.models import Count, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from .choices import ProblemStatus
    from .models import Problem

    rows = (
        contract_list_for_user(viewer)
        .select_related("customer__region__parent", "rep")
        .annotate(
            ordered=Coalesce(_sum(ContractLine, "quantity"), Value(0)),
            delivered=Coalesce(_sum(DeliveryItem, "quantity", link="line__contract"), Value(0)),
        )
    )
    open_problems = (
        Problem.objects.filter(
            contract=OuterRef("pk"), status__in=[ProblemStatus.OPEN, ProblemStatus.ESCALATED]
        )
        .values("contract")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = rows.annotate(open_problems=Coalesce(Subquery(open_problems), Value(0)))
    if status:
        rows = rows.filter(status=status)
    if rep:
        rows = rows.filter(rep_id=rep)
    if customer:
        rows = rows.filter(customer_id=customer)
    if province:
        rows = rows.filter(province_id=province)
    if signed_from:
        rows = rows.filter(signed_on__gte=signed_from)
    if signed_to:
        rows = rows.filter(signed_on__lte=signed_to)
    if q:
        from django.db.models import Q

        rows = rows.filter(Q(number__icontains=q) | Q(customer__name__icontains=q))
    if sort:  # a key of LEDGER_SORTS, validated by LedgerFilterForm
        from mdss.core.sorting import apply_sort

        from .choices import LEDGER_SORTS

        return apply_sort(rows, sort, LEDGER_SORTS)
    return rows.order_by("-id")


def contract_detail(contract) -> dict:
    from mdss.audit.models import AuditEvent
    from mdss.calendars.selectors import clocks_for

    from .choices import EVENT_LABELS

    lines = list(contract.lines.select_related("model__product", "adjustment").order_by("id"))
    events = list(
        AuditEvent.objects.filter(
            content_type__app_label="contracts",
            content_type__model="contract",
            object_id=str(contract.pk),
        ).order_by("occurred_at", "id")
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    from .models import Delivery, DeliveryItem

    delivered = dict(
        DeliveryItem.objects.filter(line__contract=contract)
        .values("line_id")
        .annotate(total=Sum("quantity"))
        .values_list("line_id", "total")
    )
    for line in lines:
        line.delivered = delivered.get(line.pk, 0)
    amendments = list(contract.amendments.order_by("seq"))
    # Read by actions.CONTRACT_ACTIONS ("amend" waits for an open amendment to close).
    contract.open_amendments = sum(1 for a in amendments if a.is_open)
    return {
        "lines": lines,
        "remaining": {line.pk: line.quantity - line.delivered for line in lines},
        "payments": list(contract.payments.order_by("received_on", "id")),
        "problems": list(
            contract.problems.select_related("raised_by", "decided_by").prefetch_related(
                "notes__author"
            )
        ),
        "instalments": list(contract.instalments.order_by("due_on", "id")),
        "paid": sum((p.amount for p in contract.payments.all()), Decimal("0.00")),
        "deliveries": list(
            Delivery.objects.filter(contract=contract).prefetch_related(
                "items__line__model__product", "items__devices"
            )
        ),
        "total": sum((line.amount for line in lines), Decimal("0.00")),
        "amendments": amendments,
        "attachments": list(contract.attachments.select_related("uploaded_by")),
        "events": events,
        "clocks": list(clocks_for(contract)),
    }


def review_inbox():
    """Contracts waiting for legal, oldest first, with their review clock."""
    return (
        Contract.objects.filter(status=ContractStatus.IN_REVIEW)
        .select_related("customer", "rep")
        .order_by("updated_at")
    )


def _owing(viewer, today: date, q: str = ""):
    """Contracts in scope being paid whose stored first unpaid instalment is past
    (services.totals): exactly those whose instalments due before today exceed what
    was paid, found by an index range, without a sum per contract."""
    rows = contract_list_for_user(viewer).filter(status__in=SIGNED[:2], first_unpaid__lt=today)
    if q:
        from django.db.models import Q

        rows = rows.filter(Q(number__icontains=q) | Q(customer__name__icontains=q))
    return rows


def receivables_overdue(viewer, today: date, *, q: str = "", sort: str = ""):
    """The overdue receivables list: each contract owing (``_owing``) with its amount
    due before today and overdue, one query (by customer unless ``sort``, a key of
    RECEIVABLE_SORTS validated by the form)."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from .models import Instalment

    due = Subquery(
        Instalment.objects.filter(contract=OuterRef("pk"), due_on__lt=today)
        .order_by()  # no join to the contract for the model's ordering
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    rows = (
        _owing(viewer, today, q)
        .annotate(due=Coalesce(due, Value(Decimal("0.00")), output_field=MONEY))
        .annotate(overdue=ExpressionWrapper(F("due") - F("paid"), output_field=MONEY))
        .order_by("customer__name", "pk")
    )
    if sort:
        from mdss.core.sorting import apply_sort

        from .choices import RECEIVABLE_SORTS

        rows = apply_sort(rows, sort, RECEIVABLE_SORTS)
    return rows


def receivables_totals(viewer, today: date, *, q: str = "", sort: str = "") -> dict:
    """The count and overdue amount of ``receivables_overdue`` with the same filters
    (``sort`` changes nothing): two flat aggregates, no sum per contract. Each listed
    contract owes its instalments due before today less what it paid, so the amount
    is the sum of those instalments less the sum paid."""
    from django.db.models import Count, F

    owing = _owing(viewer, today, q).order_by()
    totals = owing.aggregate(  # contracts_owing_idx alone (services/totals.py)
        count=Count("*"), paid=Sum("paid"), due=Sum("due_to_first_unpaid")
    )
    # The instalments after the first unpaid one that are due too: read only for the
    # contracts that have one before today.
    later = (
        owing.filter(next_unpaid__lt=today)
        .filter(
            instalments__due_on__gt=F("first_unpaid"),
            instalments__due_on__lt=today,
            instalments__superseded_at__isnull=True,
        )
        .aggregate(total=Sum("instalments__amount"))["total"]
    )
    zero = Decimal("0.00")
    amount = (totals["due"] or zero) + (later or zero) - (totals["paid"] or zero)
    return {"count": totals["count"], "amount": amount}


def amendment_list_for_user(viewer):
    from .models import Amendment

    rows = Amendment.objects.select_related("contract__customer", "contract__rep", "created_by")
    scope = contract_scope(viewer)
    if scope is None:
        return rows
    return rows.filter(contract__in=Contract.objects.filter(scope).values("pk"))


def problem_get_for_user(viewer, pk: int):
    from .models import Problem

    rows = Problem.objects.select_related("contract")
    scope = contract_scope(viewer)
    if scope is not None:
        rows = rows.filter(contract__in=Contract.objects.filter(scope).values("pk"))
    return get_object_or_404(rows, pk=pk)


def amendment_get_for_user(viewer, pk: int):
    return get_object_or_404(amendment_list_for_user(viewer), pk=pk)


def amendment_view(amendment) -> dict:
    """The terms before and after the amendment, for its page: from the snapshots
    once it is in force, else computed from the contract as it stands now (with
    what would stop it today, e.g. units delivered since it was drafted)."""
    from mdss.catalog.models import ProductModel

    from .choices import AmendmentStatus
    from .services.amendments import Proposal, current_state
    from .services.legal import terms_snapshot

    problems = []
    if amendment.status == AmendmentStatus.EFFECTIVE:
        before, after = amendment.before, amendment.after
    else:
        contract = amendment.contract
        lines, delivered = current_state(contract)
        proposal = Proposal.of(amendment, contract, lines, delivered)
        before = terms_snapshot(contract, lines)
        if proposal.errors:
            after, problems = before, proposal.errors
        else:
            after = terms_snapshot(proposal.proposed_contract(), proposal.proposed_lines()[0])
            if proposal.instalments is not None:
                after["instalments"] = [[d, a] for d, a, _note in proposal.instalments]
    models = ProductModel.objects.select_related("product").in_bulk(
        {row[0] for row in before["lines"] + after["lines"]}
    )

    def lines(rows):
        return [
            {
                "model": models.get(m),
                "quantity": q,
                "unit_price": Decimal(p),
                "amount": Decimal(p) * q,
            }
            for m, q, p, _a in rows
        ]

    clauses = [
        {
            "label": Contract._meta.get_field(name).verbose_name,
            "before": before["clauses"].get(name),
            "after": after["clauses"].get(name),
        }
        for name in before["clauses"]
        if before["clauses"].get(name) != after["clauses"].get(name)
    ]
    return {
        "clauses": clauses,
        "lines_before": lines(before["lines"]),
        "lines_after": lines(after["lines"]),
        "total_before": Decimal(before["total"]),
        "total_after": Decimal(after["total"]),
        "instalments_before": before["instalments"],
        "instalments_after": after["instalments"],
        "problems": problems,
    }


def amendments_in_review():
    from .choices import AmendmentStatus
    from .models import Amendment

    return (
        Amendment.objects.filter(status=AmendmentStatus.IN_REVIEW)
        .select_related("contract__customer", "created_by")
        .order_by("updated_at")
    )


def delivery_get_for_user(viewer, pk: int):
    from .models import Delivery

    return get_object_or_404(
        Delivery.objects.filter(contract__in=contract_list_for_user(viewer).values("pk")), pk=pk
    )


def device_deliveries(device) -> list:
    """The installed base's timeline: the delivery that brought ``device``, if a
    contract did (registered in ``ContractsConfig.ready``). One query."""
    from django.utils.translation import gettext as _

    from mdss.devices.history import DeviceEvent

    from .models import DeliveredUnit

    return [
        DeviceEvent(
            on=unit.delivery_item.delivery.delivered_on,
            kind="delivered",
            title=_("Delivered under contract %(no)s")
            % {"no": unit.delivery_item.delivery.contract.number},
            reference=unit.delivery_item.delivery.number,
            url=f"/contracts/{unit.delivery_item.delivery.contract_id}/",
            source="contracts",
            permission="contracts.view_contract",
        )
        for unit in DeliveredUnit.objects.filter(device_id=device.pk).select_related(
            "delivery_item__delivery__contract"
        )
    ]


def ledger_totals(rows) -> dict:
    """The filtered ledger's count and amount (the figures a dashboard links to): one
    query over the same contracts the table pages through (the stored amounts),
    without the table's per-row figures."""
    from django.db.models import Count

    totals = rows.order_by().aggregate(count=Count("pk"), amount=Sum("amount"))
    return {"count": totals["count"], "amount": totals["amount"] or Decimal("0.00")}


def year_ago(day: date) -> date:
    """The same day last year (28 February for the 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def sales_periods(today: date) -> dict[str, tuple[date, date]]:
    """This month and quarter to date, and the same days last year: the ranges the
    dashboard compares and links to (as the ledger's signed_from/signed_to)."""
    month = today.replace(day=1)
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return {
        "month": (month, today),
        "month_last_year": (year_ago(month), year_ago(today)),
        "quarter": (quarter, today),
        "quarter_last_year": (year_ago(quarter), year_ago(today)),
    }


def signed_by_month(viewer, today: date) -> dict[date, Decimal]:
    """Amount signed in each month from January last year to this one (keyed by the
    month's first day), in the viewer's scope. The months of the reps in scope come
    from the roll-up (``SignedMonth``, one row per rep and month); the contracts in
    scope through another path (the viewer's customers signed by someone else, the
    warehouse's) are summed from their rows. One query for who sees every contract,
    two or three for others. This month's total is what was signed up to today: a
    signing date is never in the future (``contract_sign``)."""
    from .models import SignedMonth

    first = date(today.year - 1, 1, 1)
    months = SignedMonth.objects.filter(month__gte=first, month__lte=today)
    parts = None
    if not sees_every_contract(viewer):
        parts = contract_scope_parts(viewer)
        months = months.filter(parts.reps) if parts.reps is not None else months.none()
    totals: dict[date, Decimal] = {}
    for row in months.values("month").annotate(total=Sum("amount")).order_by():
        totals[row["month"]] = row["total"]
    if parts is None:
        return totals
    others = Contract.objects.none()
    if parts.customers is not None:
        # The viewer's own customers are listed first (a few; none for most managers),
        # so their contracts are found through the customer index: given the team's
        # NOT IN, the planner would walk every contract signed in the window instead.
        mine = list(parts.customers.order_by().values_list("pk", flat=True))
        others = Contract.objects.filter(customer_id__in=mine)
    if parts.warehouse is not None:
        others = others | Contract.objects.filter(parts.warehouse)
    others = others.filter(signed_on__gte=first, signed_on__lte=today)
    if parts.reps is not None:
        others = others.exclude(parts.reps)
    for row in others.values("signed_on").annotate(total=Sum("amount")).order_by():
        month = row["signed_on"].replace(day=1)
        totals[month] = totals.get(month, Decimal("0.00")) + row["total"]
    return totals


def signed_between(viewer, start: date, end: date) -> Decimal:
    """Amount signed from ``start`` to ``end`` in the viewer's scope, summed over the
    contracts themselves (a few weeks: the part of a month the roll-up cannot split).
    One query; the ledger's total for the same signing period."""
    total = (
        contract_list_for_user(viewer)
        .filter(signed_on__gte=start, signed_on__lte=end)
        .order_by()
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0.00")


def sales_figures(viewer, today: date) -> dict:
    """Signed amounts of this month and quarter against last year's same days, the
    amount signed per month of last year and this (for the trend), and the contracts
    at each stage (drafts, in legal review), in the viewer's scope: four queries
    (three for who sees every contract). Each amount equals the ledger's total for
    the same signing period (the dashboard links there): whole months come from the
    roll-up, and last year's part of this month from the contracts."""
    periods = sales_periods(today)
    months = signed_by_month(viewer, today)
    zero = Decimal("0.00")

    def whole(start: date, end: date) -> Decimal:  # the months from start's to end's
        return sum((v for m, v in months.items() if start <= m <= end), zero)

    this_month, quarter = periods["month"][0], periods["quarter"][0]
    # Last year: the months of the quarter before this month's, whole, then this
    # month's first days (a year ago today) from the contracts.
    part = signed_between(viewer, *periods["month_last_year"])
    before = whole(year_ago(quarter), year_ago(this_month) - timedelta(days=1))
    by_month = {}
    for year in (today.year - 1, today.year):
        by_month[year] = [None] * 12
        for month in range(1, 13):
            if (year, month) <= (today.year, today.month):
                by_month[year][month - 1] = months.get(date(year, month, 1), zero)
    return {
        "periods": periods,
        "month": months.get(this_month, zero),
        "quarter": whole(quarter, this_month),
        "month_last_year": part,
        "quarter_last_year": before + part,
        "by_month": by_month,
        **stage_counts(viewer),
    }


def stage_counts(viewer) -> dict[str, int]:
    """Contracts in scope that are drafts and in legal review: one query (the ledger
    filtered by that status shows the same number)."""
    from django.db.models import Count, Q

    # Only the two states are read (the status index), not every contract in scope.
    return (
        contract_list_for_user(viewer)
        .filter(status__in=[ContractStatus.DRAFT, ContractStatus.IN_REVIEW])
        .order_by()
        .aggregate(  # counting a column of the index: no row to read (not the key)
            drafts=Count("status", filter=Q(status=ContractStatus.DRAFT)),
            in_review=Count("status", filter=Q(status=ContractStatus.IN_REVIEW)),
        )
    )


PICKER_LIMIT = 10  # matches shown by the product picker; typing more narrows them
PICKER_MAX_QUERY = 60  # characters of a search (a model code or a product name)


@dataclass
class ProductMatch:
    """One line of the contract form's product picker: the model, its list price, why
    it may not be sold today to this customer by this rep (empty: it may), and the
    approved price-adjustment requests the line may cite (with the units left)."""

    model: object
    list_price: Decimal | None
    reasons: list[str]
    offers: list = field(default_factory=list)

    @property
    def sellable(self) -> bool:
        return not self.reasons and self.list_price is not None


def product_matches(*, customer, rep, q: str, on_date: date, contract_id=None) -> tuple:
    """(matches, more) for the product picker: active models whose code, product name or
    trade name contains ``q`` (or whose UDI-DI is ``q``), at most PICKER_LIMIT, each
    judged by the sale gates on ``on_date`` for this customer and rep. A fixed number of
    queries whatever the catalog's size."""
    from mdss.catalog.selectors import model_list
    from mdss.pricing.selectors import approved_adjustments_for, list_prices_of

    from . import gates

    models = list(model_list(search=q).select_related("product")[: PICKER_LIMIT + 1])
    more = len(models) > PICKER_LIMIT
    models = models[:PICKER_LIMIT]
    if not models:
        return [], False
    ids = [m.pk for m in models]
    prices = list_prices_of(ids)
    reasons = gates.sale_reasons(customer, rep, models, on_date)
    offers = approved_adjustments_for(customer_id=customer.pk, model_ids=ids, on_date=on_date)
    every_offer = [a for rows in offers.values() for a in rows]
    left = gates.adjustment_left(every_offer, contract_id) if every_offer else {}
    for adjustment in every_offer:
        adjustment.left = left.get(adjustment.pk, adjustment.quantity)
    matches = [
        ProductMatch(
            model=m,
            list_price=prices.get(m.pk),
            reasons=reasons[m.pk],
            offers=[a for a in offers.get(m.pk, []) if a.left > 0],
        )
        for m in models
    ]
    return matches, more


def contract_plan(contract) -> dict:
    """The payment-plan page: the contract total, the plan in force, and the rows the
    form starts from — the plan in force, else one instalment of the whole total due
    on the delivery deadline (the rep changes what differs)."""
    lines = list(contract.lines.all())
    total = sum((line.amount for line in lines), Decimal("0.00"))
    instalments = list(contract.instalments.order_by("due_on", "id"))
    if instalments:
        rows = [(i.due_on, i.amount, i.note) for i in instalments]
    elif total:
        rows = [(contract.delivery_deadline, total, "")]
    else:
        rows = []
    return {"total": total, "instalments": instalments, "rows": rows}


def deliveries_to_prepare(viewer, *, q: str = ""):
    """Signed contracts and contracts in performance with units still to deliver, the
    nearest delivery deadline first: the warehouse's work list (and the dashboard's
    figure). One query; no prices."""
    from django.db.models import Q, Value
    from django.db.models.functions import Coalesce

    rows = (
        contract_list_for_user(viewer)
        .filter(status__in=SIGNED[:2])
        .annotate(
            ordered=Coalesce(_sum(ContractLine, "quantity"), Value(0)),
            delivered=Coalesce(_sum(DeliveryItem, "quantity", link="line__contract"), Value(0)),
        )
        .filter(ordered__gt=F("delivered"))
        .annotate(remaining=F("ordered") - F("delivered"))
    )
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(customer__name__icontains=q))
    return rows.order_by(F("delivery_deadline").asc(nulls_last=True), "pk")


def overdue_customers(today: date, *, older_than_days: int) -> list[dict]:
    """Customers with a signed contract whose first unpaid instalment fell due more
    than ``older_than_days`` ago, with the count of such contracts and the oldest
    date: the risk register's receivables signal. One query."""
    from datetime import timedelta

    from django.db.models import Count, Min

    cutoff = today - timedelta(days=older_than_days)
    return list(
        Contract.objects.filter(status__in=SIGNED[:2], first_unpaid__lt=cutoff)
        .values("customer_id", "customer__name", "customer__province_id")
        .annotate(contracts=Count("pk"), since=Min("first_unpaid"))
        .order_by("since")
    )

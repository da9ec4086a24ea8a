"""The figures a contract keeps about itself: its amount (the lines in force), what
was paid, and the due date of the first instalment not covered by that payment.

They are derived data, stored so the ledger, the receivables and the dashboards read
one contract row instead of summing lines, payments and instalments per contract
(issue 15's 300 ms at 500,000 contracts). Every service that changes lines,
instalments or payments calls ``totals_refresh`` in its own transaction, and
``Contract.save`` never writes them, so a stale instance cannot overwrite them.
A contract is overdue when ``first_unpaid < today``: an indexed comparison, with the
same answer as "instalments due before today exceed what was paid" (the running
total only grows with the due date). What it owes is then the plan due before today
less what was paid: ``due_to_first_unpaid`` (the plan up to the first unpaid
instalment's day, always before today) plus any instalment due after it and before
today, which only contracts with ``next_unpaid < today`` have."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Contract, ContractLine, Instalment, Payment

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _sum(queryset, expression):
    return Coalesce(
        Subquery(
            queryset.values("contract").annotate(total=Sum(expression)).values("total"),
            output_field=MONEY,
        ),
        ZERO,
        output_field=MONEY,
    )


def totals_refresh(contracts) -> None:
    """Recompute the stored figures of ``contracts`` (a queryset): three UPDATEs
    whatever their number (each reads what the one before wrote)."""
    contracts.update(
        amount=_sum(
            ContractLine.objects.filter(contract=OuterRef("pk")), F("quantity") * F("unit_price")
        ),
        paid=_sum(Payment.objects.filter(contract=OuterRef("pk")), F("amount")),
    )
    # Each instalment's running total: the instalments of its contract due that day or before.
    running = (
        Instalment.objects.filter(contract=OuterRef(OuterRef("pk")), due_on__lte=OuterRef("due_on"))
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    contracts.update(
        first_unpaid=Subquery(
            Instalment.objects.filter(contract=OuterRef("pk"))
            .annotate(running=Subquery(running, output_field=MONEY))
            .filter(running__gt=OuterRef("paid"))
            .order_by("due_on")
            .values("due_on")[:1]
        )
    )
    plan = Instalment.objects.filter(contract=OuterRef("pk"))
    contracts.update(
        due_to_first_unpaid=_sum(plan.filter(due_on__lte=OuterRef("first_unpaid")), F("amount")),
        next_unpaid=Subquery(
            plan.filter(due_on__gt=OuterRef("first_unpaid")).order_by("due_on").values("due_on")[:1]
        ),
    )


def contract_totals_refresh(contract: Contract) -> None:
    """Refresh one contract's figures and the instance's copy of them."""
    totals_refresh(Contract.objects.filter(pk=contract.pk))
    contract.refresh_from_db(fields=list(Contract.STORED_TOTALS))

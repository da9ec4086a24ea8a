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
today, which only contracts with ``next_unpaid < today`` have.

The amounts signed per rep and month (``SignedMonth``) are kept here too: a signed
contract's amount is added to its rep's month when it is signed and again by the
difference whenever it changes (an amendment's lines)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from ..models import Contract, ContractLine, Instalment, Payment, SignedMonth

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
    """Refresh one contract's figures and the instance's copy of them (the caller holds
    the contract's row lock); a signed contract's new amount moves its rep's month."""
    rows = Contract.objects.filter(pk=contract.pk)
    # The stored amount, not the instance's: an instance may have been read earlier.
    before = rows.values_list("amount", flat=True).get() if contract.signed_on else None
    totals_refresh(rows)
    contract.refresh_from_db(fields=list(Contract.STORED_TOTALS))
    if before is not None and contract.amount != before:
        signed_months_add(contract.rep_id, contract.signed_on, contract.amount - before)


def signed_months_add(rep_id: int, signed_on: date, amount: Decimal, contracts: int = 0) -> None:
    """Add ``amount`` (and ``contracts``) to what the rep signed in ``signed_on``'s month:
    one INSERT … ON CONFLICT DO UPDATE that adds to the row under its lock, so two
    signings at once both count (SQLite ≥ 3.24 and PostgreSQL)."""
    table = connection.ops.quote_name(SignedMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (rep_id, month, amount, contracts) "  # noqa: S608 (our table)
            "VALUES (%s, %s, %s, %s) ON CONFLICT (rep_id, month) DO UPDATE SET "
            f"amount = {table}.amount + excluded.amount, "
            f"contracts = {table}.contracts + excluded.contracts",
            [rep_id, signed_on.replace(day=1), amount, contracts],
        )


def signed_months_rebuild(contract_model=Contract, month_model=SignedMonth) -> int:
    """Rewrite every rep's months from the contracts (after a bulk load; the migration
    that made the table passes its historical models). Returns the rows written."""
    rows = (
        contract_model.objects.filter(signed_on__isnull=False)
        .annotate(month=TruncMonth("signed_on"))
        .values("rep_id", "month")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    month_model.objects.all().delete()
    made = month_model.objects.bulk_create(
        [
            month_model(rep_id=r["rep_id"], month=r["month"], amount=r["total"], contracts=r["n"])
            for r in rows.iterator(chunk_size=5000)
        ],
        batch_size=5000,
    )
    return len(made)

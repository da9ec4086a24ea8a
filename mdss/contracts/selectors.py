"""Reads of contracts for pages, API and the customers app."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.shortcuts import get_object_or_404

from .choices import ContractStatus
from .models import Contract, ContractLine
from .permissions import contract_scope

SIGNED = [ContractStatus.SIGNED, ContractStatus.IN_PERFORMANCE, ContractStatus.COMPLETED]
LINE_AMOUNT = ExpressionWrapper(
    F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=16, decimal_places=2)
)


def contract_list_for_user(viewer):
    rows = Contract.objects.select_related("customer", "rep")
    scope = contract_scope(viewer)
    return rows if scope is None else rows.filter(scope)


def contract_get_for_user(viewer, pk: int) -> Contract:
    return get_object_or_404(contract_list_for_user(viewer), pk=pk)


def customer_purchases(customer):
    """(purchases, devices) for the customer page: signed contracts with their totals."""
    from mdss.customers.purchases import Purchase

    totals = dict(
        ContractLine.objects.filter(contract__customer=customer, contract__status__in=SIGNED)
        .values("contract_id")
        .annotate(total=Sum(LINE_AMOUNT))
        .values_list("contract_id", "total")
    )
    contracts = Contract.objects.filter(customer=customer, status__in=SIGNED).order_by("-signed_on")
    return (
        [
            Purchase(
                reference=c.number,
                signed_on=c.signed_on,
                amount=totals.get(c.pk, Decimal("0.00")),
                description=c.get_status_display(),
                url=f"/contracts/{c.pk}/",
            )
            for c in contracts
        ],
        [],
    )


def customer_amounts(customer_ids, start: date, end: date) -> dict[int, Decimal]:
    """Contract amounts signed between two dates, per customer (grades, plans)."""
    rows = ContractLine.objects.filter(
        contract__status__in=SIGNED, contract__signed_on__range=(start, end)
    )
    if customer_ids is not None:
        rows = rows.filter(contract__customer_id__in=list(customer_ids))
    return dict(
        rows.values("contract__customer_id")
        .annotate(total=Sum(LINE_AMOUNT))
        .values_list("contract__customer_id", "total")
    )

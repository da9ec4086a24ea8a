"""What a customer bought: the contracts and devices apps register providers here.

The customers app sits below contracts and devices (DESIGN.md: apps depend
downwards), so it cannot read their tables. They register plain functions; until
they exist the history is empty and grades are not recomputed (there is no revenue
to compute them from).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Purchase:
    reference: str  # the contract number, e.g. HT-2026-000123
    signed_on: date
    amount: Decimal
    description: str
    url: str = ""


@dataclass(frozen=True)
class InstalledDevice:
    serial: str
    model: str
    installed_on: date | None
    url: str = ""


@dataclass
class PurchaseHistory:
    purchases: list[Purchase] = field(default_factory=list)
    devices: list[InstalledDevice] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.purchases), Decimal("0.00"))


# history(customer) -> (purchases, devices); amounts(customer_ids | None, start, end) -> {id: amount}
_history: list[Callable] = []
_amounts: list[Callable] = []


def register(*, history: Callable | None = None, amounts: Callable | None = None) -> None:
    if history is not None and history not in _history:
        _history.append(history)
    if amounts is not None and amounts not in _amounts:
        _amounts.append(amounts)


def has_revenue_source() -> bool:
    return bool(_amounts)


def history(customer) -> PurchaseHistory:
    result = PurchaseHistory()
    for provider in _history:
        purchases, devices = provider(customer)
        result.purchases.extend(purchases)
        result.devices.extend(devices)
    result.purchases.sort(key=lambda p: p.signed_on, reverse=True)
    return result


def amounts(customer_ids: Iterable[int] | None, start: date, end: date) -> dict[int, Decimal]:
    """Contract amounts signed between ``start`` and ``end`` (inclusive), per customer."""
    totals: dict[int, Decimal] = {}
    for provider in _amounts:
        for customer_id, amount in provider(customer_ids, start, end).items():
            totals[customer_id] = totals.get(customer_id, Decimal("0.00")) + amount
    return totals

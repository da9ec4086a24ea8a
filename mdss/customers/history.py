"""Records about a customer kept by apps above customers (complaints, …), for the
customer page's "Complaints" tab.

customers sits below those apps (DESIGN.md: apps depend downwards), so it cannot read
their tables. Each registers ``fn(customer) -> Iterable[CustomerRecord]`` from its
``AppConfig.ready()``; a provider should cost a fixed number of queries. A record's
link shows only to viewers holding its ``permission`` (the record's own page checks
the row-level scope again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class CustomerRecord:
    on: date
    kind: str  # machine-readable: complaint, …
    title: str
    reference: str = ""
    status: str = ""
    url: str = ""
    permission: str = ""
    source: str = ""


_providers: list[Callable[[object], Iterable[CustomerRecord]]] = []


def register(fn: Callable[[object], Iterable[CustomerRecord]]) -> None:
    if fn not in _providers:
        _providers.append(fn)


def customer_records(customer, viewer=None) -> list[CustomerRecord]:
    """Every provider's records for ``customer``, newest first; links the viewer may
    not follow are dropped."""
    records: list[CustomerRecord] = []
    for provider in _providers:
        records.extend(provider(customer))
    if viewer is not None:
        records = [
            replace(r, url="")
            if r.url and r.permission and not viewer.has_perm(r.permission)
            else r
            for r in records
        ]
    return sorted(records, key=lambda r: r.on, reverse=True)

"""The financial signal: a customer whose first unpaid instalment fell due more than
the policy's days ago is proposed; one owing for less is not."""

from datetime import timedelta

from mdss.contracts.tests.conftest import (  # noqa: F401  (the contracts' fixtures)
    _contract_day,
    authorised,
    draft,
    hospital,
    monitor,
    region,
    signed,
)
from mdss.risk import services


def test_long_overdue_receivables_are_proposed(signed, rep, reference_data):  # noqa: F811
    from datetime import date
    from decimal import Decimal

    from mdss.contracts import services as contracts

    due = date(2026, 12, 10)
    contracts.instalments_set(
        actor=rep, contract=signed,
        rows=[(due, Decimal("100000.00"), "预付"), (date(2027, 2, 1), Decimal("280000.00"), "尾款")],
    )  # fmt: skip
    signed.refresh_from_db()
    assert signed.first_unpaid == due
    assert [s.kind for s in services.signal_scan(today=due + timedelta(days=90))] == []
    [signal] = services.signal_scan(today=due + timedelta(days=91))
    assert (signal.kind, signal.category) == ("receivables", "financial")
    assert signal.evidence["customer"] == signed.customer.name
    assert signal.evidence["days"] == 91 and signal.evidence["contracts"] == 1

"""The figures a contract stores about itself (services.totals) always equal what its
lines, payments and instalments say, whichever service changed them."""

from datetime import timedelta
from decimal import Decimal

import pytest

from mdss.contracts import selectors, services
from mdss.contracts.models import Contract, ContractLine, Instalment, Payment, SignedMonth
from mdss.contracts.services.totals import signed_months_rebuild
from mdss.contracts.tests.conftest import TODAY, months_kept, months_recomputed, review_and_sign


def _recomputed(contract) -> tuple:
    amount = sum(
        (
            line.quantity * line.unit_price
            for line in ContractLine.objects.filter(contract=contract)
        ),
        Decimal("0.00"),
    )
    paid = sum((p.amount for p in Payment.objects.filter(contract=contract)), Decimal("0.00"))
    plan = list(Instalment.objects.filter(contract=contract).order_by("due_on"))
    running, first_unpaid = Decimal(0), None
    for instalment in plan:
        running += instalment.amount
        if running > paid:
            first_unpaid = instalment.due_on
            break
    due, after = Decimal("0.00"), None
    if first_unpaid is not None:
        due = sum((i.amount for i in plan if i.due_on <= first_unpaid), Decimal("0.00"))
        after = min((i.due_on for i in plan if i.due_on > first_unpaid), default=None)
    return amount, paid, first_unpaid, due, after


def _stored(contract) -> tuple:
    contract = Contract.objects.get(pk=contract.pk)
    return tuple(getattr(contract, name) for name in Contract.STORED_TOTALS)


def test_every_demo_contract_stores_the_sums_of_its_rows(db):
    """The demo runs every writing service: drafts with lines changed, plans, payments,
    an amendment that replaces lines and plan."""
    from mdss.core.management.commands.seed_demo import demo_modules
    from mdss.core.reference import load_reference_data

    load_reference_data()
    for module in demo_modules():
        module.seed()
    contracts = list(Contract.objects.all())
    assert [c.number for c in contracts if _stored(c) != _recomputed(c)] == []
    # The amounts signed per rep and month too; a rebuild (after a bulk load, and the
    # migration's backfill) writes the same rows.
    kept = months_kept()
    assert len(kept) >= 2 and kept == months_recomputed()
    SignedMonth.objects.all().delete()
    signed_months_rebuild()
    assert months_kept() == kept
    # The comparison covers each figure, not only zeros.
    assert any(c.paid and c.first_unpaid for c in contracts)
    assert any(c.amount and c.paid == c.amount and c.first_unpaid is None for c in contracts)


def test_lines_plan_and_payments_keep_the_figures(draft, rep, legal, monitor):
    assert _stored(draft) == (Decimal("380000.00"), Decimal("0.00"), None, Decimal("0.00"), None)
    line = services.line_add(
        actor=rep, contract=draft, model=monitor, quantity=1, unit_price="38000"
    )
    assert _stored(draft)[0] == Decimal("418000.00")
    services.line_update(actor=rep, line=line, quantity=2)
    assert _stored(draft)[0] == Decimal("456000.00")
    services.line_remove(actor=rep, line=line)
    assert _stored(draft)[0] == Decimal("380000.00")
    services.instalments_set(
        actor=rep,
        contract=draft,
        rows=[
            (TODAY - timedelta(days=10), "114000", ""),
            (TODAY + timedelta(days=60), "266000", ""),
        ],
    )
    assert _stored(draft)[2] == TODAY - timedelta(days=10)
    signed = review_and_sign(draft, rep, legal, days_ago=20)
    services.payment_record(
        actor=rep, contract=signed, received_on=TODAY, amount="100000", today=TODAY
    )
    assert _stored(signed) == (
        Decimal("380000.00"),
        Decimal("100000.00"),
        TODAY - timedelta(days=10),
        Decimal("114000.00"),  # due up to the first unpaid instalment
        TODAY + timedelta(days=60),  # the next one
    )
    services.payment_record(
        actor=rep, contract=signed, received_on=TODAY, amount="14000", today=TODAY
    )
    assert _stored(signed) == (
        Decimal("380000.00"),
        Decimal("114000.00"),
        TODAY + timedelta(days=60),
        Decimal("380000.00"),
        None,
    )
    assert _stored(signed) == _recomputed(signed)


def test_saving_a_stale_contract_does_not_put_back_its_old_figures(draft, rep, monitor):
    stale = Contract.objects.get(pk=draft.pk)
    services.line_add(actor=rep, contract=draft, model=monitor, quantity=1, unit_price="38000")
    services.contract_update(actor=rep, contract=stale, delivery_place="三号楼")
    assert _stored(draft)[0] == Decimal("418000.00")
    assert Contract.objects.get(pk=draft.pk).delivery_place == "三号楼"


def test_a_contract_is_overdue_once_its_first_unpaid_instalment_is_past(draft, rep, legal):
    services.instalments_set(
        actor=rep,
        contract=draft,
        rows=[
            (TODAY + timedelta(days=5), "114000", ""),
            (TODAY + timedelta(days=60), "266000", ""),
        ],
    )
    signed = review_and_sign(draft, rep, legal, days_ago=20)
    assert list(selectors.receivables_overdue(legal, TODAY)) == []
    # On the due day it is not late yet; the day after it is, for the whole instalment.
    assert list(selectors.receivables_overdue(legal, TODAY + timedelta(days=5))) == []
    late = list(selectors.receivables_overdue(legal, TODAY + timedelta(days=6)))
    assert [(c.pk, c.overdue) for c in late] == [(signed.pk, Decimal("114000.00"))]


@pytest.mark.django_db
def test_the_migration_fills_the_figures_of_existing_contracts(draft, rep, legal):
    """The backfill of 0013 computes what the services keep, rows in force only."""
    import importlib

    from django.apps import apps

    services.instalments_set(actor=rep, contract=draft, rows=[(TODAY, "380000", "superseded")])
    services.instalments_set(
        actor=rep,
        contract=draft,
        rows=[
            (TODAY - timedelta(days=3), "114000", ""),
            (TODAY + timedelta(days=60), "266000", ""),
        ],
    )
    expected = _stored(draft)
    assert expected[3:] == (Decimal("114000.00"), TODAY + timedelta(days=60))
    Contract.objects.update(
        amount=0, paid=0, first_unpaid=None, due_to_first_unpaid=0, next_unpaid=None
    )
    for name in ("0013_contract_totals", "0016_owing_due"):
        importlib.import_module(f"mdss.contracts.migrations.{name}").backfill(apps, None)
    assert _stored(draft) == expected == _recomputed(draft)


def test_the_receivables_totals_follow_the_list_s_search(draft, rep, legal):
    services.instalments_set(
        actor=rep,
        contract=draft,
        rows=[
            (TODAY - timedelta(days=3), "114000", ""),
            (TODAY + timedelta(days=60), "266000", ""),
        ],
    )
    signed = review_and_sign(draft, rep, legal, days_ago=20)
    services.payment_record(
        actor=rep, contract=signed, received_on=TODAY, amount="14000", today=TODAY
    )
    for q, expected in ((signed.number, 1), ("no such contract", 0)):
        listed = list(selectors.receivables_overdue(legal, TODAY, q=q))
        assert len(listed) == expected
        assert selectors.receivables_totals(legal, TODAY, q=q, sort="-overdue") == {
            "count": expected,
            "amount": sum((c.overdue for c in listed), Decimal("0.00")),
        }
    assert listed == [] and selectors.receivables_totals(legal, TODAY)["amount"] == Decimal(
        "100000.00"
    )


def test_the_receivables_total_counts_every_instalment_due_after_the_first_unpaid(
    draft, rep, legal
):
    """What a contract owes is the plan due before today less what it paid: the plan
    up to its first unpaid instalment (stored) and the later instalments already due
    (read only for such contracts), never one not due yet."""
    services.instalments_set(
        actor=rep,
        contract=draft,
        rows=[
            (TODAY - timedelta(days=30), "100000", ""),
            (TODAY - timedelta(days=10), "200000", ""),
            (TODAY + timedelta(days=30), "80000", ""),
        ],
    )
    signed = review_and_sign(draft, rep, legal, days_ago=40)
    services.payment_record(
        actor=rep, contract=signed, received_on=TODAY, amount="50000", today=TODAY
    )
    assert _stored(signed)[2:] == (
        TODAY - timedelta(days=30),
        Decimal("100000.00"),
        TODAY - timedelta(days=10),
    )
    listed = list(selectors.receivables_overdue(legal, TODAY))
    assert [c.overdue for c in listed] == [Decimal("250000.00")]
    assert selectors.receivables_totals(legal, TODAY) == {
        "count": 1,
        "amount": Decimal("250000.00"),
    }
    # Eleven days earlier the second instalment was not due yet.
    earlier = TODAY - timedelta(days=11)
    assert selectors.receivables_totals(legal, earlier)["amount"] == Decimal("50000.00")

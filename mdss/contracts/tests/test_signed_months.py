"""The amounts signed per rep and month (``SignedMonth``) that the sales card reads:
kept by the services, equal to the contracts, and the card's figures equal to the
ledger's totals for each period, for every kind of scope (issue 15)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mdss.contracts import selectors, services
from mdss.contracts.models import Contract, SignedMonth
from mdss.contracts.services.totals import signed_months_rebuild
from mdss.contracts.tests.conftest import (
    PASSWORD,
    TODAY,
    months_kept,
    months_recomputed,
    review_and_sign,
)


def test_signing_and_amending_keep_the_reps_month(draft, rep, legal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert months_kept() == {}  # a draft counts nowhere
    signed = review_and_sign(draft, rep, legal, days_ago=5)
    assert months_kept() == {(rep.pk, date(2026, 11, 1)): (Decimal("380000.00"), 1)}
    services.payment_record(
        actor=rep, contract=signed, received_on=TODAY, amount="100000", today=TODAY
    )
    assert months_kept() == {(rep.pk, date(2026, 11, 1)): (Decimal("380000.00"), 1)}
    # An amendment adding two units moves the month by the difference.
    line = signed.lines.get()
    amendment = services.amendment_create(
        actor=rep,
        contract=signed,
        reason="医院追加采购",
        clauses={},
        line_changes=[{"line": line.pk, "quantity": 12}],
    )
    services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    services.amendment_approve(actor=legal, amendment=amendment, password=PASSWORD)
    services.amendment_sign(
        actor=rep,
        amendment=amendment,
        signed_on=TODAY,
        scan=SimpleUploadedFile("bg.pdf", b"%PDF-1.4 amendment"),
        today=TODAY,
    )
    assert months_kept() == {(rep.pk, date(2026, 11, 1)): (Decimal("456000.00"), 1)}
    assert months_kept() == months_recomputed()


def test_the_migration_fills_the_months_of_existing_contracts(draft, rep, legal):
    import importlib

    from django.apps import apps

    review_and_sign(draft, rep, legal, days_ago=40)
    SignedMonth.objects.all().delete()
    importlib.import_module("mdss.contracts.migrations.0017_signed_months").backfill(apps, None)
    assert (
        months_kept()
        == months_recomputed()
        == {(rep.pk, date(2026, 10, 1)): (Decimal("380000.00"), 1)}
    )


@pytest.fixture
def book(draft, rep, other_rep, sales_manager, management):
    """Contracts signed over two years by the manager's team, by a rep of another team
    for a customer the manager owns (in his scope through the customer, not the rep),
    and by that rep for his own customer (outside it); then the months rebuilt as
    after a bulk load."""
    from mdss.accounts import roles
    from mdss.accounts.tests.factories import UserFactory
    from mdss.customers.tests.factories import CustomerFactory

    outside = UserFactory(username="rep-north", roles=[roles.SALES_REP])
    managers_own = CustomerFactory(owner=sales_manager, region=draft.customer.region)
    elsewhere = CustomerFactory(owner=outside, region=draft.customer.region)
    signings = [
        (rep, draft.customer, date(2025, 1, 1), "1000.00"),
        (rep, draft.customer, date(2025, 10, 31), "2000.00"),
        (other_rep, draft.customer, date(2025, 11, 1), "4000.00"),
        (rep, draft.customer, date(2025, 11, 27), "8000.00"),  # a year ago today
        (rep, draft.customer, date(2025, 11, 28), "16000.00"),  # a day later: not yet
        (outside, managers_own, date(2025, 11, 3), "32000.00"),
        (outside, managers_own, date(2026, 10, 15), "64000.00"),
        (sales_manager, managers_own, date(2026, 11, 1), "128000.00"),
        (rep, draft.customer, date(2026, 11, 27), "256000.00"),
        (outside, elsewhere, date(2026, 11, 2), "512000.00"),
        (rep, draft.customer, date(2024, 12, 31), "1024000.00"),  # before the window
    ]
    for n, (who, customer, day, amount) in enumerate(signings):
        row = Contract.objects.get(pk=draft.pk)
        row.pk, row.id, row._state.adding = None, None, True
        row.number = f"HT-T-{n:04d}"
        row.rep, row.customer, row.status = who, customer, "signed"
        row.signed_on = row.customer_signed_on = day
        row.amount = Decimal(amount)
        row.save()
    signed_months_rebuild()
    return outside


def _ledger_total(viewer, start, end) -> Decimal:
    rows = selectors.contract_list_for_user(viewer).filter(signed_on__gte=start, signed_on__lte=end)
    return sum((c.amount for c in rows), Decimal("0.00"))


@pytest.mark.parametrize("who", ["management", "sales_manager", "rep", "outside"])
def test_each_figure_is_the_ledger_s_total_for_its_period(request, book, who):
    viewer = book if who == "outside" else request.getfixturevalue(who)
    figures = selectors.sales_figures(viewer, TODAY)
    for name, (start, end) in figures["periods"].items():
        assert figures[name] == _ledger_total(viewer, start, end), name
    for year, months in figures["by_month"].items():
        for month, value in enumerate(months, start=1):
            start = date(year, month, 1)
            if start > TODAY:
                assert value is None
                continue
            end = (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
            assert value == _ledger_total(viewer, start, end), (year, month)


def test_the_manager_s_figures_count_his_customers_signed_by_others(book, sales_manager):
    figures = selectors.sales_figures(sales_manager, TODAY)
    # This month: his own 128,000 and his rep's 256,000; not the other team's
    # 512,000 for their own customer.
    assert figures["month"] == Decimal("384000.00")
    # A year ago: 1–27 November 2025 (4,000 + 8,000, and 32,000 signed for his
    # customer by another team's rep), not the 28th.
    assert figures["month_last_year"] == Decimal("44000.00")
    # Last year's fourth quarter to the same day: October's 2,000 as well.
    assert figures["quarter_last_year"] == Decimal("46000.00")
    assert figures["quarter"] == Decimal("448000.00")  # October's 64,000 too

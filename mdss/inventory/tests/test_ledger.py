"""The stock ledger: each move type changes the balances it touches, nothing goes
below zero (service and database), and the reconciliation finds a difference."""

import pytest
from django.db import IntegrityError, connection, transaction

from mdss.audit.models import AuditEvent
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.inventory import selectors, services
from mdss.inventory.models import StockBalance, StockMove


def _on(part, location, lot=""):
    return services.ledger.available(part, location, lot)


def test_a_receipt_puts_stock_on_the_shelf_and_in_the_ledger(sensor, shelf, warehouse):
    services.stock_receive(
        actor=warehouse, part=sensor, location=shelf, quantity=10, reference="CG-1"
    )
    services.stock_receive(actor=warehouse, part=sensor, location=shelf, quantity=5)
    assert _on(sensor, shelf) == 15 == selectors.on_hand(sensor)
    assert list(
        StockMove.objects.values_list("kind", "quantity", "to_location", "from_location")
    ) == [
        ("receipt", 5, shelf.pk, None),
        ("receipt", 10, shelf.pk, None),
    ]
    assert AuditEvent.objects.filter(action="inventory.received").count() == 2


def test_transfer_scrap_and_every_move_type_balance(stocked, shelf, van, quarantine, warehouse):
    services.stock_transfer(
        actor=warehouse, part=stocked, from_location=shelf, to_location=van, quantity=4
    )
    assert (_on(stocked, shelf), _on(stocked, van)) == (6, 4)
    services.stock_scrap(
        actor=warehouse, part=stocked, location=shelf, quantity=1, reason="跌落损坏"
    )
    services.move(kind="return_good", actor=warehouse, part=stocked, quantity=2, to_location=shelf)
    services.move(
        kind="return_defective", actor=warehouse, part=stocked, quantity=1, to_location=quarantine
    )
    services.move(kind="issue", actor=warehouse, part=stocked, quantity=2, from_location=shelf)
    services.move(kind="adjustment", actor=warehouse, part=stocked, quantity=1, to_location=shelf)
    assert (_on(stocked, shelf), _on(stocked, van), _on(stocked, quarantine)) == (6, 4, 1)
    # Quarantine is not available stock.
    assert selectors.on_hand(stocked) == 10
    assert set(StockMove.objects.values_list("kind", flat=True)) == {
        "receipt",
        "transfer",
        "scrap",
        "return_good",
        "return_defective",
        "issue",
        "adjustment",
    }
    assert services.reconcile() == []


def test_taking_more_than_is_there_is_refused_with_what_is_available(
    stocked, shelf, van, warehouse
):
    with pytest.raises(ValidationFailed) as exc:
        services.stock_transfer(
            actor=warehouse, part=stocked, from_location=shelf, to_location=van, quantity=11
        )
    error = exc.value.errors[0]
    assert (error.field, error.rule) == ("quantity", "insufficient")
    assert "10" in error.message
    assert _on(stocked, shelf) == 10 and StockMove.objects.count() == 1


def test_the_database_refuses_a_negative_balance(stocked, shelf):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(part=stocked, location=shelf).update(quantity=-1)


def test_the_ledger_is_append_only(stocked):
    from django.db import DatabaseError

    from mdss.audit.db import revoke_purge_permit

    revoke_purge_permit(connection)  # as in production (rolled back after the test)
    with pytest.raises(DatabaseError), transaction.atomic():
        StockMove.objects.update(quantity=99)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM inventory_stockmove")
    assert StockMove.objects.get().quantity == 10


def test_a_tracked_part_needs_its_serial_number(board, shelf, warehouse):
    with pytest.raises(ValidationFailed) as exc:
        services.stock_receive(actor=warehouse, part=board, location=shelf, quantity=1)
    assert exc.value.errors[0].field == "lot"
    services.stock_receive(actor=warehouse, part=board, location=shelf, quantity=1, lot="SN-001")
    assert _on(board, shelf, "SN-001") == 1 and _on(board, shelf) == 0


@pytest.mark.parametrize("quantity", [0, -3, "x", 10**9])
def test_a_quantity_out_of_bounds_is_refused_before_the_database(
    sensor, shelf, warehouse, quantity
):
    with pytest.raises(ValidationFailed) as exc:
        services.stock_receive(actor=warehouse, part=sensor, location=shelf, quantity=quantity)
    assert (exc.value.errors[0].field, exc.value.errors[0].rule) == ("quantity", "range")


def test_only_the_warehouse_moves_stock(sensor, shelf, engineer, rep):
    for person in (engineer, rep):
        with pytest.raises(PermissionDenied):
            services.stock_receive(actor=person, part=sensor, location=shelf, quantity=1)


def test_the_reconciliation_command_names_a_planted_difference(stocked, shelf):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("inventory_reconcile", stdout=out)
    assert "0 differences" in out.getvalue()
    # A balance changed behind the ledger's back (the balance table is not append-only).
    StockBalance.objects.filter(part=stocked, location=shelf).update(quantity=7)
    assert services.reconcile() == [
        {"part": stocked.pk, "location": shelf.pk, "lot": "", "balance": 7, "ledger": 10}
    ]
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("inventory_reconcile", stdout=out)
    assert "SP-1001" in out.getvalue() and "7" in out.getvalue()


def test_an_over_long_reason_is_refused_not_cut(stocked, shelf, warehouse):
    """Regulated text is never shortened behind the user's back: too long is a 4xx."""
    with pytest.raises(ValidationFailed) as exc:
        services.stock_scrap(
            actor=warehouse, part=stocked, location=shelf, quantity=1, reason="长" * 301
        )
    assert exc.value.errors[0].rule == "max_length"
    assert services.ledger.available(stocked, shelf) == 10

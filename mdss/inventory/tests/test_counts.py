"""Stock counts (A10): the book is frozen, counted quantities show variances with
value, a second person approves and each variance becomes a ledger adjustment."""

from decimal import Decimal

import pytest

from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.inventory import services
from mdss.inventory.models import StockMove

from .conftest import TODAY


@pytest.fixture
def count(stocked, board, central, shelf, warehouse):
    services.stock_receive(actor=warehouse, part=board, location=shelf, quantity=1, lot="SN-7")
    return services.count_start(actor=warehouse, warehouse=central, today=TODAY, scope="A 区")


def test_a_count_freezes_the_book(count):
    assert count.number.startswith("PD-")
    assert sorted((line.part.number, line.lot, line.book) for line in count.lines.all()) == [
        ("SP-1001", "", 10),
        ("SP-2001", "SN-7", 1),
    ]


def test_a_variance_approved_by_a_second_person_corrects_the_ledger(
    count, shelf, warehouse, service_manager, stocked
):
    lines = {line.part.number: line for line in count.lines.all()}
    services.count_enter(
        actor=warehouse, count=count, counted={lines["SP-1001"].pk: 8, lines["SP-2001"].pk: 1}
    )
    sensor_line = count.lines.get(part__number="SP-1001")
    assert (sensor_line.variance, sensor_line.variance_value) == (-2, Decimal("-640.00"))
    services.count_submit(actor=warehouse, count=count)
    with pytest.raises(PermissionDenied):
        services.count_approve(actor=warehouse, count=count, reason="盘亏")
    with pytest.raises(ValidationFailed):
        services.count_approve(actor=service_manager, count=count, reason="")
    approved = services.count_approve(actor=service_manager, count=count, reason="盘亏：领用未登记")
    assert approved.status == "approved"
    adjustment = StockMove.objects.get(kind="adjustment")
    assert (adjustment.quantity, adjustment.from_location, adjustment.reference) == (
        2,
        shelf,
        count.number,
    )
    assert services.ledger.available(stocked, shelf) == 8
    assert services.reconcile() == []


def test_a_count_is_submitted_only_when_every_line_is_counted(count, warehouse):
    line = count.lines.first()
    services.count_enter(actor=warehouse, count=count, counted={line.pk: 3})
    with pytest.raises(ValidationFailed) as exc:
        services.count_submit(actor=warehouse, count=count)
    assert exc.value.errors[0].rule == "missing"
    with pytest.raises(ValidationFailed) as exc:
        services.count_enter(actor=warehouse, count=count, counted={line.pk: -1})
    assert exc.value.errors[0].rule == "range"


def test_stock_moved_during_the_count_must_be_counted_again(
    count, shelf, van, warehouse, service_manager, stocked
):
    services.count_enter(
        actor=warehouse, count=count, counted={line.pk: line.book for line in count.lines.all()}
    )
    services.count_submit(actor=warehouse, count=count)
    services.stock_transfer(
        actor=warehouse, part=stocked, from_location=shelf, to_location=van, quantity=1
    )
    with pytest.raises(ValidationFailed) as exc:
        services.count_approve(actor=service_manager, count=count, reason="无差异")
    assert exc.value.errors[0].rule == "moved" and "SP-1001" in exc.value.errors[0].message


def test_scanning_counts_one_per_scan_by_part_number_or_udi(count, warehouse, board):
    services.count_scan(actor=warehouse, count=count, code="SP-1001")
    line = services.count_scan(actor=warehouse, count=count, code=" SP-1001 ")
    assert (line.part.number, line.counted) == ("SP-1001", 2)
    # A GS1 UDI: (01) the part's DI, (21) its serial number.
    board.udi_di = "06901234567892"
    board.save(update_fields=["udi_di"])
    line = services.count_scan(actor=warehouse, count=count, code="(01)06901234567892(21)SN-7")
    assert (line.part.number, line.lot, line.counted) == ("SP-2001", "SN-7", 1)
    with pytest.raises(ValidationFailed) as exc:
        services.count_scan(actor=warehouse, count=count, code="NOT-A-PART")
    assert exc.value.errors[0].rule == "unknown"


def test_the_scan_box_on_the_count_page(client, count, warehouse):
    client.force_login(warehouse)
    assert (
        'data-testid="scan-form"' in client.get(f"/inventory/counts/{count.pk}/").content.decode()
    )
    client.post(f"/inventory/counts/{count.pk}/", {"action": "scan", "code": "SP-1001"})
    assert count.lines.get(part__number="SP-1001").counted == 1


def test_a_cycle_count_covers_only_the_chosen_locations(stocked, central, shelf, van, warehouse):
    services.stock_transfer(
        actor=warehouse,
        part=stocked,
        from_location=shelf,
        to_location=central.locations.get(code="QC"),
        quantity=1,
    )
    count = services.count_start(actor=warehouse, warehouse=central, today=TODAY, locations=[shelf])
    assert [(line.location, line.book) for line in count.lines.all()] == [(shelf, 9)]
    with pytest.raises(ValidationFailed) as exc:
        services.count_start(actor=warehouse, warehouse=central, today=TODAY, locations=[van])
    assert exc.value.errors[0].field == "locations"


def test_a_cycle_count_of_one_class_of_parts(stocked, board, central, shelf, warehouse):
    services.stock_receive(actor=warehouse, part=board, location=shelf, quantity=1, lot="SN-9")
    board.category = "电路板"
    board.save(update_fields=["category"])
    count = services.count_start(actor=warehouse, warehouse=central, today=TODAY, category="电路板")
    assert [line.part.number for line in count.lines.all()] == ["SP-2001"]

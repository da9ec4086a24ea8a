"""Suppliers and purchasing (A11): the supplier gate names the paper, an order states
everything A11 asks, approval by someone else, receipt with incoming inspection."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mdss.audit.models import AuditEvent
from mdss.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mdss.inventory import selectors, services
from mdss.inventory.models import PurchaseOrder

from .conftest import TODAY


def _draft(supplier, central, sensor, warehouse, **line):
    return services.order_create(
        actor=warehouse,
        supplier=supplier,
        warehouse=central,
        quality_standard="国标",
        today=TODAY,
        lines=[
            {
                "part": sensor,
                "specification": "成人",
                "quantity": 5,
                "unit_price": "300",
                "delivery_date": TODAY + timedelta(days=10),
                **line,
            }
        ],
    )


def test_a_supplier_with_valid_papers_passes_the_gate(supplier):
    assert services.supplier_gate(supplier, TODAY).ok


def test_an_expired_paper_is_named_and_the_order_refused(
    supplier, central, sensor, warehouse, quality
):
    services.supplier_document_add(
        actor=quality, supplier=supplier, kind="quality_agreement", number="QA-0", valid_until=TODAY
    )
    later = date(2028, 1, 5)
    decision = services.supplier_gate(supplier, later)
    assert not decision.ok
    assert {r.code for r in decision.reasons} == {
        "business_licence_expired",
        "operating_licence_expired",
        "authorisation_expired",
        "quality_agreement_expired",
    }
    assert "2027-12-31" in decision.reasons[0].message
    with pytest.raises(ValidationFailed) as exc:
        services.order_create(
            actor=warehouse,
            supplier=supplier,
            warehouse=central,
            quality_standard="国标",
            today=later,
            lines=[
                {
                    "part": sensor,
                    "specification": "成人",
                    "quantity": 1,
                    "unit_price": "1",
                    "delivery_date": later,
                }
            ],
        )
    assert {e.field for e in exc.value.errors} == {"supplier"}
    assert not PurchaseOrder.objects.exists()


def test_a_missing_paper_and_a_blocked_supplier_are_refused(
    supplier, central, sensor, warehouse, quality
):
    from mdss.inventory.models import Supplier

    bare = services.supplier_create(actor=quality, name="无证供应商")
    assert {r.code for r in services.supplier_gate(bare, TODAY).reasons} >= {
        "business_licence_missing"
    }
    services.supplier_status_set(
        actor=quality, supplier=supplier, status="blocked", reason="来货假冒"
    )
    supplier = Supplier.objects.get(pk=supplier.pk)
    with pytest.raises(ValidationFailed) as exc:
        _draft(supplier, central, sensor, warehouse)
    assert (
        exc.value.errors[0].rule == "supplier_blocked" and "来货假冒" in exc.value.errors[0].message
    )


def test_every_line_states_what_a11_asks(supplier, central, sensor, warehouse):
    with pytest.raises(ValidationFailed) as exc:
        services.order_create(
            actor=warehouse,
            supplier=supplier,
            warehouse=central,
            quality_standard="",
            today=TODAY,
            lines=[
                {
                    "part": sensor,
                    "specification": "",
                    "quantity": None,
                    "unit_price": None,
                    "delivery_date": None,
                }
            ],
        )
    assert {e.field for e in exc.value.errors} == {
        "quality_standard",
        "lines.1.specification",
        "lines.1.quantity",
        "lines.1.unit_price",
        "lines.1.delivery_date",
    }


def test_approval_is_by_someone_else_and_checks_the_gate_again(
    supplier, central, sensor, warehouse, management, quality
):
    draft = _draft(supplier, central, sensor, warehouse)
    assert draft.number.startswith("CG-")
    with pytest.raises(PermissionDenied):
        services.order_approve(actor=warehouse, order=draft, today=TODAY)
    services.supplier_status_set(
        actor=quality, supplier=supplier, status="suspended", reason="年审中"
    )
    with pytest.raises(ValidationFailed):
        services.order_approve(
            actor=management, order=PurchaseOrder.objects.get(pk=draft.pk), today=TODAY
        )
    services.supplier_status_set(
        actor=quality, supplier=supplier, status="approved", reason="年审通过"
    )
    approved = services.order_approve(actor=management, order=draft, today=TODAY)
    assert (approved.status, approved.approved_by) == ("approved", management)
    with pytest.raises(InvalidTransition):
        services.order_approve(actor=management, order=draft, today=TODAY)


def test_receipt_with_rejection_puts_only_accepted_goods_in_stock(order, shelf, warehouse, sensor):
    line = order.lines.get()
    with pytest.raises(ValidationFailed) as exc:
        services.order_receive(
            actor=warehouse,
            order=order,
            line=line,
            arrived=12,
            accepted=10,
            location=shelf,
            received_on=TODAY,
            today=TODAY,
        )
    assert exc.value.errors[0].field == "rejection_reason"
    inspection = services.order_receive(
        actor=warehouse,
        order=order,
        line=line,
        arrived=12,
        accepted=10,
        location=shelf,
        received_on=TODAY,
        today=TODAY,
        lot="L2611",
        rejection_reason="外包装破损 2 件",
    )
    assert (inspection.result, inspection.rejected, inspection.inspector) == (
        "partly_accepted",
        2,
        warehouse,
    )
    assert services.ledger.available(sensor, shelf) == 10
    order.refresh_from_db()
    assert order.status == "partly_received"
    services.order_receive(
        actor=warehouse,
        order=order,
        line=line,
        arrived=10,
        accepted=10,
        location=shelf,
        received_on=TODAY,
        today=TODAY,
    )
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == "received" and (line.accepted, line.rejected) == (20, 2)
    assert services.reconcile() == []
    assert AuditEvent.objects.filter(action="inventory.order_received").count() == 2


def test_more_than_ordered_is_refused(order, shelf, warehouse):
    with pytest.raises(ValidationFailed) as exc:
        services.order_receive(
            actor=warehouse,
            order=order,
            line=order.lines.get(),
            arrived=21,
            accepted=21,
            location=shelf,
            received_on=TODAY,
            today=TODAY,
        )
    assert exc.value.errors[0].rule == "too_many"


def test_the_supplier_evaluation_counts_on_time_and_accepted(order, shelf, warehouse, supplier):
    line = order.lines.get()
    services.order_receive(
        actor=warehouse,
        order=order,
        line=line,
        arrived=10,
        accepted=8,
        location=shelf,
        received_on=date(2026, 12, 9),
        today=date(2026, 12, 20),
        rejection_reason="划伤",
    )
    services.order_receive(
        actor=warehouse,
        order=order,
        line=line,
        arrived=12,
        accepted=12,
        location=shelf,
        received_on=date(2026, 12, 15),
        today=date(2026, 12, 20),
    )
    evaluation = selectors.supplier_evaluation(supplier)
    assert evaluation == {"deliveries": 2, "on_time": Decimal("50.0"), "accepted": Decimal("90.9")}


def test_only_the_warehouse_orders_and_management_approves(
    supplier, central, sensor, engineer, rep
):
    for person in (engineer, rep):
        with pytest.raises(PermissionDenied):
            _draft(supplier, central, sensor, person)


def test_an_order_records_where_a_part_comes_from(supplier, central, sensor, warehouse):
    _draft(supplier, central, sensor, warehouse)
    assert list(sensor.suppliers.all()) == [supplier]

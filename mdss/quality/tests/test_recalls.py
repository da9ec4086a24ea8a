# ruff: noqa: F811  (fixtures imported from the contracts tests are parameters here)
"""Recalls and traceability (X5): a recall quarantines and holds the affected stock,
the gates refuse what it covers, the trace finds every unit and customer, and the
recall closes only when every customer acknowledged and every unit was corrected."""

from datetime import date

import pytest
from django.utils import translation

from mdss.catalog.compliance import check_models
from mdss.catalog.models import UdiDeviceIdentifier
from mdss.contracts import services as contracts
from mdss.contracts.tests.conftest import (  # noqa: F401  (fixtures)
    _contract_day,
    authorised,
    deliver,
    draft,
    hospital,
    monitor,
    region,
    signed,
)
from mdss.core.errors import Conflict, PermissionDenied, ValidationFailed
from mdss.customers.tests.factories import CustomerFactory
from mdss.devices import services as devices
from mdss.inventory import services as inventory
from mdss.quality import selectors, services
from mdss.quality.services.recalls import recall_progress

TODAY = date(2026, 11, 27)
DI = "06901234567892"


def udi(lot, serial):
    return f"(01){DI}(10){lot}(21){serial}"


def recall(quality, model, lots=("LOT-A",), serials=(), level="1"):
    return services.recall_create(
        actor=quality,
        level=level,
        model=model,
        lots=list(lots),
        serials=list(serials),
        manufacturer_notice="ZH-M-2026-07",
        notice_on=date(2026, 11, 20),
        reason="电源模块可能过热",
        action="更换电源模块",
    )


@pytest.fixture
def di(monitor):  # noqa: F811
    return UdiDeviceIdentifier.objects.create(model=monitor, di=DI)


@pytest.fixture
def stock(db, di, warehouse):
    """Spare units of the monitor (the same UDI-DI) in the central store: 4 of LOT-A,
    2 of LOT-B."""
    from mdss.inventory.models import Location, Part, Warehouse

    store = Warehouse.objects.create(code="SH", name="上海中心库", kind="central", keeper=warehouse)
    shelf = Location.objects.create(warehouse=store, code="A-01")
    part = Part.objects.create(number="SP-PM8000", name="监护仪整机备机", tracking="lot", udi_di=DI)
    for lot, quantity in (("LOT-A", 4), ("LOT-B", 2)):
        inventory.stock_receive(
            actor=warehouse, part=part, location=shelf, quantity=quantity, lot=lot
        )
    return part, shelf


def planted(service_manager, monitor, hospital, di):  # noqa: F811
    """Three LOT-A units at two customers, one LOT-B unit."""
    clinic = CustomerFactory(name="西湖诊所")
    units = {}
    for serial, lot, customer, site in (
        ("S1", "LOT-A", hospital, "ICU"),
        ("S2", "LOT-A", hospital, "急诊"),
        ("S3", "LOT-A", clinic, "诊室"),
        ("S4", "LOT-B", clinic, "诊室"),
    ):
        units[serial] = devices.device_register(
            actor=service_manager, customer=customer, model=monitor, serial=serial, lot=lot,
            origin="taken_over", site=site, delivered_on=date(2025, 3, 1), today=TODAY,
        )  # fmt: skip
    return clinic, units


def test_a_lot_recall_refuses_the_delivery_of_that_lot(signed, rep, quality, di, reference_data):
    it = recall(quality, signed.lines.get().model)
    deliver(signed, rep, 1, units=[udi("LOT-A", "SN1")])  # a draft holds nothing
    services.recall_activate(actor=quality, recall=it)
    with pytest.raises(ValidationFailed) as error:
        deliver(signed, rep, 1, units=[udi("LOT-A", "SN2")])
    assert [(e.field, e.rule) for e in error.value.errors] == [("items.1.units", "recalled")]
    assert it.number in error.value.errors[0].message
    deliver(signed, rep, 1, units=[udi("LOT-B", "SN3")])  # another lot still goes
    assert check_models([it.model_id], TODAY)[it.model_id].ok  # the model may still be sold


def test_a_whole_model_recall_refuses_the_contract_line(
    draft,
    rep,
    quality,
    monitor,
    reference_data,  # noqa: F811
):
    it = recall(quality, monitor, lots=())
    services.recall_activate(actor=quality, recall=it)
    gate = check_models([monitor.pk], TODAY)[monitor.pk]
    assert not gate.ok and [r.code for r in gate.reasons] == ["recalled"]
    with pytest.raises(ValidationFailed) as error:
        contracts.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert any(e.rule == "recalled" for e in error.value.errors)


def test_activation_quarantines_and_holds_the_lot(
    stock, quality, warehouse, monitor, reference_data
):  # noqa: F811
    from mdss.inventory.models import StockBalance
    from mdss.inventory.selectors import on_hand

    part, shelf = stock
    services.recall_activate(actor=quality, recall=recall(quality, monitor))
    held = StockBalance.objects.get(part=part, lot="LOT-A", quantity__gt=0)
    assert held.location.is_quarantine and held.quantity == 4
    assert StockBalance.objects.get(part=part, lot="LOT-B").location == shelf
    assert on_hand(part) == 2
    with pytest.raises(ValidationFailed) as error:
        inventory.stock_transfer(
            actor=warehouse, part=part, from_location=held.location, to_location=shelf,
            quantity=1, lot="LOT-A",
        )  # fmt: skip
    assert error.value.errors[0].rule == "recalled"
    inventory.stock_transfer(
        actor=warehouse,
        part=part,
        from_location=shelf,
        to_location=held.location,
        quantity=1,
        lot="LOT-B",
    )  # fmt: skip  (unheld stock moves freely)
    inventory.stock_scrap(
        actor=warehouse,
        part=part,
        location=held.location,
        quantity=4,
        lot="LOT-A",
        reason="召回报废",
    )


def test_the_trace_finds_every_unit_customer_and_stock(
    stock,
    quality,
    warehouse,
    service_manager,
    rep,
    monitor,
    hospital,
    di,
    reference_data,  # noqa: F811
):
    clinic, units = planted(service_manager, monitor, hospital, di)
    found = selectors.trace(quality, lot="LOT-A")
    assert sorted(d["serial"] for d in found["devices"]) == ["S1", "S2", "S3"]
    assert {c["name"]: c["units"] for c in found["customers"]} == {hospital.name: 2, clinic.name: 1}
    assert {tuple(c["sites"]) for c in found["customers"]} == {("ICU", "急诊"), ("诊室",)}
    assert [(s["lot"], s["quantity"]) for s in found["stock"]] == [("LOT-A", 4)]
    by_udi = selectors.trace(warehouse, udi=udi("LOT-B", "S4"))
    assert [d["serial"] for d in by_udi["devices"]] == ["S4"]
    by_di = selectors.trace(quality, di=DI)
    assert by_di["unit_count"] == 4 and sum(s["quantity"] for s in by_di["stock"]) == 6
    with pytest.raises(ValidationFailed):
        selectors.trace(quality)
    with pytest.raises(PermissionDenied):
        selectors.trace(rep)


def test_the_trace_reaches_the_delivery_and_the_contract(signed, rep, quality, di, reference_data):
    deliver(signed, rep, 1, units=[udi("LOT-C", "SN9")])
    [unit] = selectors.trace(quality, serial="SN9")["devices"]
    delivery = signed.deliveries.get()
    assert (unit["contract"], unit["contract_id"]) == (signed.number, signed.pk)
    assert (unit["delivery"], unit["delivery_id"]) == (delivery.number, delivery.pk)


def test_notices_actions_and_closure(
    quality,
    sales_manager,
    service_manager,
    monitor,
    hospital,
    di,
    reference_data,  # noqa: F811
):
    from django.utils import timezone

    local_now = timezone.now
    clinic, units = planted(service_manager, monitor, hospital, di)
    it = recall(quality, monitor)
    services.recall_activate(actor=quality, recall=it)
    progress = recall_progress(it)
    assert (progress["total"], progress["customers"], progress["sent"]) == (3, 2, 0)
    requests = services.recall_plan_action(
        actor=service_manager, recall=it, due_on=date(2026, 12, 31)
    )
    assert len(requests) == 3 and {r.kind for r in requests} == {"recall"}
    assert {r.urgency for r in requests} == {"high"}  # level I
    assert services.recall_plan_action(actor=quality, recall=it, due_on=date(2026, 12, 31)) == []
    with pytest.raises(ValidationFailed):
        services.recall_notice(
            actor=sales_manager, recall=it, customer=CustomerFactory(), channel="phone",
            sent_at=local_now(),
        )  # fmt: skip
    notices = [
        services.recall_notice(
            actor=sales_manager, recall=it, customer=c, channel="letter", sent_at=local_now()
        )
        for c in (hospital, clinic)
    ]
    with pytest.raises(Conflict):
        services.recall_notice(
            actor=quality, recall=it, customer=hospital, channel="phone", sent_at=local_now()
        )
    services.recall_acknowledge(actor=sales_manager, notice=notices[0], acknowledged_by="周主任")
    with translation.override("en"), pytest.raises(Conflict, match="1 of 2 customers"):
        services.recall_close(actor=quality, recall=it)
    services.recall_acknowledge(actor=sales_manager, notice=notices[1], acknowledged_by="吴医生")
    with translation.override("en"), pytest.raises(Conflict, match="0 of 3 units"):
        services.recall_close(actor=quality, recall=it)
    for request in requests:  # the engineers' work, as the service tests drive it
        request.status = "completed"
        request.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        services.recall_close(actor=sales_manager, recall=it)
    services.recall_close(actor=quality, recall=it, note="全部完成")
    it.refresh_from_db()
    assert it.status == "closed"
    assert check_models([monitor.pk], TODAY)[monitor.pk].reasons == []  # no longer held

from datetime import date
from decimal import Decimal

import pytest
import time_machine

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _inventory_day():
    """Inventory tests happen on TODAY (papers valid until 2027-12-31, need-by and
    receipt dates around it); the clock still ticks for the threads that race."""
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


@pytest.fixture
def central(db, warehouse):
    from mdss.inventory.models import Location, Warehouse

    warehouse = Warehouse.objects.create(
        code="SH", name="上海中心库", kind="central", keeper=warehouse
    )
    Location.objects.create(warehouse=warehouse, code="A-01", name="A-01")
    Location.objects.create(warehouse=warehouse, code="QC", name="待处理", is_quarantine=True)
    return warehouse


@pytest.fixture
def shelf(central):
    return central.locations.get(code="A-01")


@pytest.fixture
def quarantine(central):
    return central.locations.get(code="QC")


@pytest.fixture
def van(db, engineer):
    from mdss.inventory.models import Location, Warehouse

    warehouse = Warehouse.objects.create(
        code="VAN-1", name="车载库 1", kind="van", engineer=engineer
    )
    return Location.objects.create(warehouse=warehouse, code="VAN", name="车载")


@pytest.fixture
def sensor(db):
    from mdss.inventory.models import Part

    return Part.objects.create(
        number="SP-1001", name="血氧探头", specification="成人 指夹式", unit_cost=Decimal("320.00")
    )


@pytest.fixture
def board(db):
    from mdss.inventory.models import Part

    return Part.objects.create(number="SP-2001", name="主控板", tracking="serial", unit="块")


@pytest.fixture
def stocked(sensor, shelf, warehouse):
    """10 sensors on the shelf."""
    from mdss.inventory import services

    services.stock_receive(
        actor=warehouse, part=sensor, location=shelf, quantity=10, reference="CG-1"
    )
    return sensor


@pytest.fixture
def requested(stocked, engineer, central, reference_data):
    """The engineer asks for 3 sensors for a job."""
    from mdss.inventory import services

    return services.requisition_submit(
        actor=engineer,
        warehouse=central,
        lines=[(stocked, 3)],
        need_by=TODAY,
        today=TODAY,
        service_reference="FW-2026-000123",
    )


@pytest.fixture
def supplier(db, quality):
    """A supplier with its four papers valid until the end of 2027."""
    from mdss.inventory import services
    from mdss.inventory.choices import SupplierDocumentKind

    supplier = services.supplier_create(
        actor=quality, name="上海医配贸易有限公司", contact="王经理"
    )
    for kind in SupplierDocumentKind:
        services.supplier_document_add(
            actor=quality,
            supplier=supplier,
            kind=kind,
            number=f"{kind.value}-001",
            valid_until=date(2027, 12, 31),
        )
    return supplier


@pytest.fixture
def order(supplier, central, sensor, warehouse, management):
    """An approved order of 20 sensors."""
    from mdss.inventory import services

    order = services.order_create(
        actor=warehouse,
        supplier=supplier,
        warehouse=central,
        quality_standard="符合 YY 0784 及供方企业标准",
        today=TODAY,
        lines=[
            {
                "part": sensor,
                "specification": "成人 指夹式",
                "quantity": 20,
                "unit_price": Decimal("300.00"),
                "delivery_date": date(2026, 12, 10),
            }
        ],
    )
    return services.order_approve(actor=management, order=order, today=TODAY)

"""Stock levels (A10): the reorder point from a known demand series, levels computed
from the ledger (hand-set ones kept), and the replenishment list."""

import math
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from mdss.core.errors import ValidationFailed
from mdss.inventory import levels, selectors, services
from mdss.inventory.models import StockLevel

from .conftest import TODAY


def test_the_reorder_point_of_a_known_series():
    # Two a day, every day: no variation, so no safety stock.
    steady = levels.compute([2] * 365, lead_time_days=10, service_level=0.95)
    assert (steady.reorder_point, steady.target_level) == (20, 80)
    # 0 and 4 on alternate days: mean 2, sd 2 → 20 + 1.645 × 2 × √10 = 30.4 → 31.
    varying = levels.compute([0, 4] * 182 + [0], lead_time_days=10, service_level=0.95)
    assert varying.reorder_point == math.ceil(
        varying.mean_daily * 10 + 1.6449 * varying.sd_daily * math.sqrt(10)
    )
    assert varying.reorder_point == 31
    # No demand: nothing to keep.
    assert levels.compute([0] * 365, lead_time_days=10, service_level=0.95).reorder_point == 0
    with pytest.raises(ValueError):
        levels.compute([1], lead_time_days=10, service_level=1.0)
    # The sparse form (days with issues only) gives the same figures.
    series = [0, 4] * 182 + [0]
    sparse = levels.compute_sparse(
        {n: q for n, q in enumerate(series) if q}, lead_time_days=10, service_level=0.95
    )
    assert sparse.reorder_point == varying.reorder_point
    assert sparse.sd_daily == pytest.approx(varying.sd_daily)


def _history(part, shelf, warehouse, per_day: int, days: int):
    tz = timezone.get_current_timezone()
    for n in range(1, days + 1):
        at = timezone.make_aware(datetime.combine(TODAY - timedelta(days=n), time(10)), tz)
        services.move(
            kind="issue", actor=warehouse, part=part, quantity=per_day, from_location=shelf, at=at
        )


def test_levels_come_from_a_year_of_issues_and_hand_set_ones_stay(
    sensor, board, shelf, central, warehouse
):
    services.stock_receive(actor=warehouse, part=sensor, location=shelf, quantity=500)
    _history(sensor, shelf, warehouse, per_day=1, days=60)
    assert (
        services.levels_compute(actor=warehouse, warehouse=central, today=TODAY, lead_time_days=14)
        == 1
    )
    level = StockLevel.objects.get(part=sensor, warehouse=central)
    mean = 60 / 365
    assert float(level.mean_daily) == pytest.approx(mean, abs=0.001)
    assert level.reorder_point >= math.ceil(mean * 14) and not level.set_by_hand
    services.level_set(
        actor=warehouse, part=sensor, warehouse=central, reorder_point=5, target_level=50
    )
    services.levels_compute(actor=warehouse, warehouse=central, today=TODAY)
    level.refresh_from_db()
    assert (level.reorder_point, level.target_level, level.set_by_hand) == (5, 50, True)
    with pytest.raises(ValidationFailed) as exc:
        services.level_set(
            actor=warehouse, part=sensor, warehouse=central, reorder_point=9, target_level=3
        )
    assert exc.value.errors[0].field == "target_level"


def test_the_replenishment_list_suggests_up_to_the_target(
    stocked, shelf, central, warehouse, supplier, sensor
):
    services.level_set(
        actor=warehouse, part=stocked, warehouse=central, reorder_point=10, target_level=30
    )
    (row,) = selectors.replenishment(central)
    assert (row["on_hand"], row["on_order"], row["suggested"]) == (10, 0, 20)
    services.order_create(
        actor=warehouse,
        supplier=supplier,
        warehouse=central,
        quality_standard="国标",
        today=TODAY,
        lines=[
            {
                "part": sensor,
                "specification": "成人",
                "quantity": 15,
                "unit_price": "300",
                "delivery_date": TODAY + timedelta(days=5),
            }
        ],
    )
    assert selectors.replenishment(central) == []  # 10 on hand + 15 on order > 10


def test_the_replenishment_page_and_api(client, api_client, stocked, central, warehouse, engineer):
    services.level_set(
        actor=warehouse, part=stocked, warehouse=central, reorder_point=12, target_level=40
    )
    client.force_login(warehouse)
    page = client.get("/inventory/replenishment/", {"warehouse": central.pk}).content.decode()
    assert "SP-1001" in page and 'data-testid="suggested">30' in page
    computed = client.post(
        "/inventory/replenishment/",
        {"warehouse": central.pk, "lead_time_days": "14", "service_level": "0.95"},
    )
    assert computed.status_code == 302
    api = api_client.as_user(warehouse)
    rows = api.get("/api/v1/inventory/replenishment", {"warehouse": central.pk}).json()
    assert [(r["part"], r["suggested"]) for r in rows] == [("SP-1001", 30)]
    put = api.put(
        "/api/v1/inventory/levels",
        {"part_id": stocked.pk, "warehouse_id": central.pk, "reorder_point": 3, "target_level": 2},
    )
    assert put.status_code == 422 and put.json()["errors"][0]["field"] == "target_level"
    api_client.as_user(engineer)
    assert (
        api_client.post(
            "/api/v1/inventory/levels/compute", {"warehouse_id": central.pk}
        ).status_code
        == 403
    )


def test_a_growing_installed_base_raises_the_level(sensor, shelf, central, warehouse, rep):
    """Twice as many units of the model in service today as on average over the year:
    the demand used for the level doubles (bounded to 0.5–2)."""
    from datetime import timedelta

    from mdss.catalog.tests.factories import sellable_model
    from mdss.customers.tests.factories import CustomerFactory
    from mdss.devices.models import InstalledDevice

    model = sellable_model()
    sensor.models_served.add(model)
    services.stock_receive(actor=warehouse, part=sensor, location=shelf, quantity=500)
    _history(sensor, shelf, warehouse, per_day=1, days=100)
    services.levels_compute(actor=warehouse, warehouse=central, today=TODAY, lead_time_days=14)
    flat = StockLevel.objects.get(part=sensor, warehouse=central)
    customer = CustomerFactory(owner=rep, name="某医院")
    # Two units in service all year and two delivered a day ago: 4 now, about 2 on average.
    for n, delivered in enumerate(
        [None, None, TODAY - timedelta(days=1), TODAY - timedelta(days=1)]
    ):
        InstalledDevice.objects.create(
            customer=customer,
            model=model,
            serial=f"S{n}",
            origin="taken_over",
            delivered_on=delivered,
        )
    services.levels_compute(actor=warehouse, warehouse=central, today=TODAY, lead_time_days=14)
    grown = StockLevel.objects.get(part=sensor, warehouse=central)
    assert float(grown.mean_daily) == pytest.approx(2 * float(flat.mean_daily), rel=0.02)
    assert grown.reorder_point > flat.reorder_point

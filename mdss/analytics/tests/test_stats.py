"""The arithmetic on known data: percentiles, the bridge's split, the engineers model."""

from decimal import Decimal

import pytest

from mdss.analytics.bridge import split
from mdss.analytics.resources import Assumptions, engineers_needed, erlang_c, wait_within
from mdss.analytics.stats import change_percent, percentile


def test_percentiles_interpolate_like_percentile_cont():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile(range(1, 11), 0.9) == pytest.approx(9.1)
    assert percentile([7], 0.9) == 7
    assert percentile([], 0.5) is None
    assert percentile([5, 1, 3], 0) == 1 and percentile([5, 1, 3], 1) == 5
    with pytest.raises(ValueError):
        percentile([1], 1.5)


def test_change_percent_has_no_base_for_zero():
    assert change_percent(Decimal("150"), Decimal("100")) == 50.0
    assert change_percent(Decimal("50"), Decimal("100")) == -50.0
    assert change_percent(Decimal("5"), Decimal("0")) is None


@pytest.mark.parametrize(
    ("q0", "a0", "q1", "a1"),
    [
        (3, "300.00", 4, "440.00"),  # more units at a higher price
        (7, "1000.00", 3, "333.33"),  # a base price that does not divide evenly
        (1, "999.99", 1, "0.01"),
        (0, "0.00", 2, "500.00"),  # a model the kept customer did not buy before
        (5, "250.00", 0, "0.00"),  # a model they stopped buying
    ],
)
def test_a_cells_parts_add_up_to_its_change_exactly(q0, a0, q1, a1):
    a0, a1 = Decimal(a0), Decimal(a1)
    line = split(q0, a0, q1, a1, customer_new=False, customer_lost=False)
    assert line.new == line.lost == 0
    assert line.volume + line.price == a1 - a0


def test_volume_is_the_change_in_quantity_at_the_base_price():
    line = split(
        3, Decimal("300.00"), 4, Decimal("440.00"), customer_new=False, customer_lost=False
    )
    assert line.volume == Decimal("100.00")  # one more unit at 100
    assert line.price == Decimal("40.00")  # four units 10 dearer


def test_new_and_lost_customers_take_the_whole_cell():
    new = split(0, Decimal("0"), 2, Decimal("80.00"), customer_new=True, customer_lost=False)
    assert (new.new, new.volume, new.price) == (Decimal("80.00"), 0, 0)
    lost = split(2, Decimal("80.00"), 0, Decimal("0"), customer_new=False, customer_lost=True)
    assert (lost.lost, lost.volume, lost.price) == (Decimal("-80.00"), 0, 0)


def test_erlang_c_on_a_textbook_example():
    # Two servers, offered load 1 Erlang: C = 1/3.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: C = ρ
    assert erlang_c(2, 2.5) == 1.0  # overloaded: everyone waits
    # P(W ≤ t) = 1 − C·e^{−(c−a)t/S}
    assert wait_within(2, 1.0, 2.0, 2.0) == pytest.approx(1 - (1 / 3) * 2.718281828**-1)


def test_engineers_needed_on_a_known_region():
    a = Assumptions(
        travel_hours=2, working_days=20, hours_per_day=8, utilisation=0.75, target_hours=24, sla=0.9
    )
    # 120 visits a month of 3 h on site + 2 h travel = 600 h; one engineer gives
    # 20 × 8 × 0.75 = 120 productive hours: five engineers by workload.
    s = engineers_needed(visits_per_month=120, hours_on_site=3, assumptions=a)
    assert s.workload == 5.0
    # Arrivals 120 / 160 h = 0.75 an hour × 5 h = 3.75 Erlangs: the queue needs more
    # than 3.75 engineers, and enough that 90 % start within 8 working hours.
    assert s.load == 3.75
    assert s.queue >= 4
    assert wait_within(s.queue, 3.75, 5, 8) >= 0.9
    assert wait_within(s.queue - 1, 3.75, 5, 8) < 0.9
    assert s.suggested == max(5, s.queue)


def test_no_demand_needs_no_engineer():
    s = engineers_needed(visits_per_month=0, hours_on_site=0, assumptions=Assumptions())
    assert s.suggested == 0


def test_a_little_demand_needs_one_engineer():
    s = engineers_needed(visits_per_month=0.5, hours_on_site=1, assumptions=Assumptions())
    assert s.suggested == 1

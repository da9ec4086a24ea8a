"""Property tests: on any set of sales facts, the breakdowns and the bridge equal a
straightforward recomputation in Python (on PostgreSQL the bridge is one statement
that never walks the cells, so it is held here to the cell-by-cell definition)."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mdss.accounts.tests.factories import RegionFactory
from mdss.analytics import selectors
from mdss.analytics.bridge import Line, bridge, split
from mdss.analytics.filters import Filters, Period
from mdss.analytics.models import SalesDay
from mdss.catalog.tests.factories import ModelFactory
from mdss.customers.tests.factories import CustomerFactory

BASE = Period(date(2025, 1, 1), date(2025, 3, 31))
CURRENT = Period(date(2025, 4, 1), date(2025, 6, 30))
KINDS = ("public_hospital", "clinic")
CATEGORIES = ("06-07", "07-01")

# A fact: customer, model, rep (indexes into the world below), whether the customer's
# province is filed differently (a customer who moved), day (from 1 January 2025, some
# outside both periods), quantity (0 included) and unit price in cents. A customer's
# type and a model's category follow from them, as in real facts, so the same cell
# often has facts in both periods.
fact = st.tuples(
    st.integers(0, 2),
    st.integers(0, 2),
    st.integers(0, 1),
    st.sampled_from([False, False, False, True]),
    st.integers(0, 200),
    st.integers(0, 4),
    st.integers(1, 9_999_999),
)


@pytest.fixture
def world(db, rep, other_rep):
    provinces = [
        RegionFactory(code="330000", name="浙江省"),
        RegionFactory(code="320000", name="江苏省"),
    ]
    return {
        "customers": [CustomerFactory(owner=rep, name=f"客户{n}") for n in range(3)],
        "models": [ModelFactory() for _ in range(3)],
        "reps": [rep, other_rep],
        "provinces": provinces,
    }


def _plant(world, facts) -> list[SalesDay]:
    rows = {}
    for c, m, r, moved, offset, quantity, cents in facts:
        day = date(2025, 1, 1) + timedelta(days=offset)
        key = (day, c, m, r)  # the facts' own key: one row per day, customer, model, rep
        rows[key] = SalesDay(
            day=day,
            customer=world["customers"][c],
            model=world["models"][m],
            rep=world["reps"][r],
            province=world["provinces"][(c + moved) % 2],
            customer_kind=KINDS[c % 2],
            category=CATEGORIES[m % 2],
            quantity=quantity,
            amount=Decimal(quantity * cents) / 100,
            lines=1,
        )
    SalesDay.objects.all().delete()
    return SalesDay.objects.bulk_create(rows.values())


def _recomputed(rows) -> tuple[Line, dict]:
    """The bridge from its definition (bridge.py's docstring), cell by cell."""
    cells = defaultdict(lambda: [0, Decimal("0.00"), 0, Decimal("0.00")])
    for row in rows:
        key = (row.customer_id, row.model_id, row.province_id, row.customer_kind, row.category,
               row.rep_id)  # fmt: skip
        for period, at in ((BASE, 0), (CURRENT, 2)):
            if period.start <= row.day <= period.end:
                cells[key][at] += row.quantity
                cells[key][at + 1] += row.amount
    bought = defaultdict(lambda: [False, False])
    for (customer, *_rest), (q0, _a0, q1, _a1) in cells.items():
        bought[customer][0] |= q0 > 0
        bought[customer][1] |= q1 > 0
    total, by = Line(), defaultdict(Line)
    for (customer, _model, province, kind, category, rep), (q0, a0, q1, a1) in cells.items():
        before, after = bought[customer]
        line = split(q0, a0, q1, a1, customer_new=not before, customer_lost=not after)
        total.add(line)
        for key in (("province", province), ("customer_kind", kind), ("category", category),
                    ("rep", rep), ("customer", customer)):  # fmt: skip
            by[key].add(line)
    return total, by


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(facts=st.lists(fact, max_size=30))
# A kept customer from 2 units for 200.03 to 3: a volume of 100.015, half a cent up.
@example(facts=[(0, 0, 0, False, 10, 1, 10001), (0, 0, 0, False, 20, 1, 10002),
                (0, 0, 0, False, 100, 3, 10000)])  # fmt: skip
def test_the_bridge_and_the_breakdowns_equal_a_recomputation(world, management, facts):
    rows = _plant(world, facts)
    total, by = _recomputed(rows)
    data = bridge(management, Filters(period=CURRENT), BASE, CURRENT, top=3)
    assert data["total"] == total.as_dict()
    for dimension in ("province", "customer_kind", "category", "rep"):
        assert {r["key"]: {k: v for k, v in r.items() if k not in ("key", "label")}
                for r in data[dimension]} == {
            key: line.as_dict() for (d, key), line in by.items() if d == dimension
        }  # fmt: skip
    # The customers that rose and fell most, each with its whole line.
    customers = {key: line for (d, key), line in by.items() if d == "customer"}
    for r in data["customers_up"] + data["customers_down"]:
        assert {k: v for k, v in r.items() if k not in ("key", "label")} == (
            customers[r["key"]].as_dict()
        )
    ranked = sorted(customers.items(), key=lambda kv: (kv[1].change, str(kv[0])))
    assert [r["key"] for r in data["customers_up"]] == [
        k for k, v in ranked[::-1][:3] if v.change > 0
    ]
    assert [r["key"] for r in data["customers_down"]] == [k for k, v in ranked[:3] if v.change < 0]
    # The sales breakdown by province over the current period.
    amounts = defaultdict(Decimal)
    for row in rows:
        if CURRENT.start <= row.day <= CURRENT.end:
            amounts[row.province_id] += row.amount
    assert {
        r["key"]: r["amount"]
        for r in selectors.sales_by(management, Filters(period=CURRENT), "province", limit=None)
    } == dict(amounts)

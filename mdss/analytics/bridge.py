"""Why sales changed between two periods (D1, D2): a bridge from the base period's
amount to the current one, in four parts that add up to the change exactly.

The unit is a cell: what one customer bought of one model, filed under the region,
customer type, category and rep its sales facts name (a figure is filed where the
record stood: a customer who changed rep between the periods has a cell under each).
For each cell, with quantities q0, q1 and amounts A0, A1 in the base and current
period:

- **new customers**: the customer bought nothing in the base period: + A1;
- **lost customers**: the customer bought nothing in the current period: − A0;
- otherwise (a customer kept),
  - **volume**: (q1 − q0) × the base unit price A0 / q0, rounded to the cent; a
    model the customer did not buy before counts + A1, one they stopped buying − A0
    (a change of product mix is volume);
  - **price**: the rest of the cell's change, (A1 − A0) − volume, which is
    (p1 − p0) × q1 up to that rounding.

So every cell's four parts sum to its change in Decimal, and any breakdown (region,
customer type, category, customer, rep) sums to the total change. On PostgreSQL
one statement computes every breakdown (``_SPLIT_SQL``); elsewhere the cells are
walked here (``_split_here``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Cast

from .filters import Filters, Period
from .selectors import POLICY, _label, labels, sales_rows
from .stats import change_percent

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PARTS = ("new", "lost", "volume", "price")
DIMENSIONS = ("province", "customer_kind", "category", "customer", "rep")


@dataclass
class Line:
    base: Decimal = ZERO
    current: Decimal = ZERO
    new: Decimal = ZERO
    lost: Decimal = ZERO
    volume: Decimal = ZERO
    price: Decimal = ZERO
    keys: dict = field(default_factory=dict)

    @property
    def change(self) -> Decimal:
        return self.current - self.base

    def add(self, other: Line) -> None:
        for name in ("base", "current", *PARTS):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "base": self.base,
            "current": self.current,
            "change": self.change,
            "change_percent": change_percent(self.current, self.base),
            **{name: getattr(self, name) for name in PARTS},
        }


def split(q0: int, a0: Decimal, q1: int, a1: Decimal, *, customer_new: bool, customer_lost: bool):
    """One cell's four parts (module docstring)."""
    line = Line(base=a0, current=a1)
    if customer_new:
        line.new = a1
    elif customer_lost:
        line.lost = -a0
    elif q0 and q1:
        line.volume = ((q1 - q0) * a0 / q0).quantize(CENT, rounding=ROUND_HALF_UP)
        line.price = (a1 - a0) - line.volume
    else:
        line.volume = a1 - a0
    return line


def bridge(viewer, f: Filters, base: Period, current: Period, *, top: int = 10) -> dict:
    """The total bridge, its breakdown by province, customer type, category, customer
    and rep, the largest customers up and down, and the provinces flagged growing or
    declining with management's decisions on them."""
    if connection.vendor == "postgresql":
        facts = _facts(viewer, f, base, current, cents=True)
        total, groups, new_customers, lost_customers = _split_in_sql(facts, top)
    else:
        total, groups, new_customers, lost_customers = _split_here(_facts(viewer, f, base, current))
    out = {
        "base": base,
        "current": current,
        "total": total.as_dict(),
        "new_customers": new_customers,
        "lost_customers": lost_customers,
    }
    for d in DIMENSIONS:
        rows = sorted(groups[d].items(), key=lambda kv: (kv[1].change, str(kv[0])))
        if d == "customer":
            chosen = [kv for kv in rows[:top] if kv[1].change < 0] + [
                kv for kv in rows[::-1][:top] if kv[1].change > 0
            ]
            names = labels(d, [k for k, _v in chosen])
            out["customers_down"] = [
                {"key": k, "label": _label(names, k), **v.as_dict()}
                for k, v in rows[:top]
                if v.change < 0
            ]
            out["customers_up"] = [
                {"key": k, "label": _label(names, k), **v.as_dict()}
                for k, v in rows[::-1][:top]
                if v.change > 0
            ]
            continue
        names = labels(d, [k for k, _v in rows])
        out[d] = [
            {"key": k, "label": _label(names, k), **v.as_dict()}
            for k, v in sorted(rows, key=lambda kv: -abs(kv[1].change))
        ]
    out["flags"] = _flags(out["province"], current)
    return out


# A cell's dimensions and the facts' columns that hold them.
CELL_DIMENSIONS = {
    "province": "province_id",
    "customer_kind": "customer_kind",
    "category": "category",
    "rep": "rep_id",
}


def _facts(viewer, f: Filters, base: Period, current: Period, *, cents: bool = False):
    """The sales facts of either period (one row per day, customer, model and rep),
    each with its dimensions, which period it falls in, its quantity and its amount
    (``value``). ``cents``: the amount in whole cents (PostgreSQL sums bigints several
    times faster than numerics; the split in SQL works in cents)."""
    span = (min(base.start, current.start), max(base.end, current.end))
    in_base = Q(day__gte=base.start, day__lte=base.end)
    in_current = Q(day__gte=current.start, day__lte=current.end)
    return (
        sales_rows(viewer, f, span=span)
        .filter(in_base | in_current)
        .annotate(
            in_base=ExpressionWrapper(in_base, output_field=BooleanField()),
            in_current=ExpressionWrapper(in_current, output_field=BooleanField()),
            value=Cast(F("amount") * 100, BigIntegerField()) if cents else F("amount"),
        )
        .values(
            "customer_id",
            "model_id",
            *CELL_DIMENSIONS.values(),
            "in_base",
            "in_current",
            "quantity",
            "value",
        )  # fmt: skip
    )


def _split_here(facts):
    """The split cell by cell in Python (SQLite, the development database): the
    definition that ``_split_in_sql`` reproduces on PostgreSQL (a test compares them)."""
    cells: dict[tuple, dict] = {}
    for row in facts:
        key = (row["customer_id"], row["model_id"], *(row[c] for c in CELL_DIMENSIONS.values()))
        cell = cells.setdefault(key, {"q0": 0, "a0": ZERO, "q1": 0, "a1": ZERO})
        if row["in_base"]:
            cell["q0"] += row["quantity"]
            cell["a0"] += row["value"]
        if row["in_current"]:
            cell["q1"] += row["quantity"]
            cell["a1"] += row["value"]
    bought: dict[int, list[bool]] = defaultdict(lambda: [False, False])
    for (customer, *_rest), c in cells.items():
        bought[customer][0] |= c["q0"] > 0
        bought[customer][1] |= c["q1"] > 0
    total = Line()
    groups: dict[str, dict] = {d: defaultdict(Line) for d in DIMENSIONS}
    for (customer, _model, *dimensions), c in cells.items():
        before, after = bought[customer]
        line = split(
            c["q0"], c["a0"], c["q1"], c["a1"], customer_new=not before, customer_lost=not after
        )
        total.add(line)
        keys = dict(zip(CELL_DIMENSIONS, dimensions, strict=True), customer=customer)
        for d in DIMENSIONS:
            groups[d][keys[d]].add(line)
    new_customers = sum(not before for before, _after in bought.values())
    lost_customers = sum(not after for _before, after in bought.values())
    return total, groups, new_customers, lost_customers


# The same split on PostgreSQL without walking every cell. Of a quarter's quarter of
# a million cells nearly all belong to a customer who bought in one period only, whose
# parts are the whole amount: new (+ current) or lost (− base). So one scan of the
# facts sums each breakdown's base and current and each customer's, with whether the
# customer bought in each period (GROUPING SETS); only the facts of the customers kept
# (a few per cent) are gathered into cells for volume and price. Per group, with the
# kept customers' base K0 and current K1:
#   new = current − K1,  lost = −(base − K0),  volume and price = the kept cells' sums,
# which is the cell-by-cell split summed (a customer who is not kept has no amount in
# the period they did not buy in). Amounts are whole cents (bigint), so sums are
# exact; the base unit price is divided in numeric and ROUND rounds half away from
# zero, as ROUND_HALF_UP does. Of the customers only the ``top`` largest rises and
# falls come back, ordered like the Python sort, with their kept cells' sums.
_SPLIT_SQL = """
WITH facts AS NOT MATERIALIZED (
    SELECT customer_id, model_id, province_id AS province, customer_kind, category,
           rep_id AS rep, in_base, in_current, quantity, value
    FROM ({facts}) AS rows
),
everything AS (
    SELECT GROUPING(province) AS g_province, GROUPING(customer_kind) AS g_customer_kind,
           GROUPING(category) AS g_category, GROUPING(rep) AS g_rep,
           GROUPING(customer_id) AS g_customer,
           province, customer_kind, category, rep, customer_id,
           COALESCE(SUM(value) FILTER (WHERE in_base), 0)::bigint AS base,
           COALESCE(SUM(value) FILTER (WHERE in_current), 0)::bigint AS current,
           bool_or(in_base AND quantity > 0) AS before,
           bool_or(in_current AND quantity > 0) AS after
    FROM facts
    GROUP BY GROUPING SETS ((), (province), (customer_kind), (category), (rep), (customer_id))
),
customers AS NOT MATERIALIZED (SELECT * FROM everything WHERE g_customer = 0),
kept_cells AS (
    SELECT customer_id, province, customer_kind, category, rep,
           COALESCE(SUM(quantity) FILTER (WHERE in_base), 0) AS q0,
           COALESCE(SUM(value) FILTER (WHERE in_base), 0) AS a0,
           COALESCE(SUM(quantity) FILTER (WHERE in_current), 0) AS q1,
           COALESCE(SUM(value) FILTER (WHERE in_current), 0) AS a1
    FROM facts
    WHERE customer_id IN (SELECT customer_id FROM customers WHERE before AND after)
    GROUP BY customer_id, model_id, province, customer_kind, category, rep
),
kept AS MATERIALIZED (
    SELECT *, CASE WHEN q0 <> 0 AND q1 <> 0 THEN (a1 - a0) - volume ELSE 0 END AS price
    FROM (
        SELECT *,
               CASE WHEN q0 <> 0 AND q1 <> 0
                    THEN ROUND(((q1 - q0) * a0)::numeric / q0)::bigint
                    ELSE a1 - a0 END AS volume
        FROM kept_cells
    ) AS cells
),
top AS MATERIALIZED (
    (SELECT customer_id, base, current, before, after FROM customers
     ORDER BY current - base, customer_id::text LIMIT %s)
    UNION ALL
    (SELECT customer_id, base, current, before, after FROM customers
     ORDER BY current - base DESC, customer_id::text DESC LIMIT %s)
)
SELECT 'all' AS part, g_province, g_customer_kind, g_category, g_rep, 1 AS g_customer,
       province, customer_kind, category, rep, NULL::integer AS customer_id,
       base, current, NULL::bigint AS volume, NULL::bigint AS price,
       NULL::boolean AS before, NULL::boolean AS after
FROM everything WHERE g_customer = 1
UNION ALL
SELECT 'kept', GROUPING(province), GROUPING(customer_kind), GROUPING(category), GROUPING(rep),
       1, province, customer_kind, category, rep, NULL, SUM(a0)::bigint, SUM(a1)::bigint,
       SUM(volume)::bigint, SUM(price)::bigint, NULL, NULL
FROM kept GROUP BY GROUPING SETS ((), (province), (customer_kind), (category), (rep))
UNION ALL
SELECT 'kept', 1, 1, 1, 1, 0, NULL, NULL, NULL, NULL, customer_id, SUM(a0)::bigint,
       SUM(a1)::bigint, SUM(volume)::bigint, SUM(price)::bigint, NULL, NULL
FROM kept WHERE customer_id IN (SELECT customer_id FROM top) GROUP BY customer_id
UNION ALL
SELECT 'customer', 1, 1, 1, 1, 0, NULL, NULL, NULL, NULL, customer_id,
       base, current, NULL, NULL, before, after
FROM top
UNION ALL
SELECT 'count', 1, 1, 1, 1, 1, NULL, NULL, NULL, NULL, NULL,
       COUNT(*) FILTER (WHERE NOT before), COUNT(*) FILTER (WHERE NOT after),
       NULL, NULL, NULL, NULL
FROM customers
"""


def _split_in_sql(facts, top: int):
    """``_split_here`` on PostgreSQL, in one statement (see _SPLIT_SQL)."""
    inner, params = facts.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Its hash tables fit in memory at national scale; with the default 4 MB they
        # spill to disk. Compiling the statement (JIT) costs more than it saves here.
        cursor.execute("SET LOCAL work_mem = '192MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_SPLIT_SQL.format(facts=inner), [*params, top, top])
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    whole: dict[tuple, dict] = {}
    kept: dict[tuple, dict] = {}
    customers: dict[int, dict] = {}
    new_customers = lost_customers = 0
    for row in rows:
        if row["part"] == "count":
            new_customers, lost_customers = int(row["base"]), int(row["current"])
        elif row["part"] == "customer":
            customers[row["customer_id"]] = row
        else:
            grouped_by = next((d for d in DIMENSIONS if not row[f"g_{d}"]), None)
            key = (
                None
                if grouped_by is None
                else row["customer_id" if grouped_by == "customer" else grouped_by]
            )
            (whole if row["part"] == "all" else kept)[(grouped_by, key)] = row
    empty = {"base": 0, "current": 0, "volume": 0, "price": 0}

    def line(base, current, k) -> Line:
        k = {name: k[name] or 0 for name in empty}  # the kept sums of no cell are NULL
        return Line(
            base=_yuan(base),
            current=_yuan(current),
            new=_yuan(current - k["current"]),
            lost=_yuan(k["base"] - base),
            volume=_yuan(k["volume"]),
            price=_yuan(k["price"]),
        )

    groups: dict[str, dict] = {d: {} for d in DIMENSIONS}
    total = Line()
    for (grouped_by, key), row in whole.items():
        made = line(row["base"], row["current"], kept.get((grouped_by, key), empty))
        if grouped_by is None:
            total = made
        else:
            groups[grouped_by][key] = made
    for key, row in customers.items():
        groups["customer"][key] = line(
            row["base"], row["current"], kept.get(("customer", key), empty)
        )
    return total, groups, new_customers, lost_customers


def _yuan(cents) -> Decimal:
    return ZERO if cents is None else (Decimal(cents) / 100).quantize(CENT)


def _flags(provinces: list[dict], current: Period) -> list[dict]:
    """Provinces whose sales moved by the policy's share or more (or that sold for the
    first time), each with the decisions management recorded for this period."""
    from .models import RegionDecision

    threshold = POLICY["region_flag_percent"]
    flagged = []
    for row in provinces:
        if row["key"] is None or row["change"] == 0:
            continue
        pct = row["change_percent"]
        if pct is None or abs(pct) >= threshold:
            flagged.append({**row, "trend": "growing" if row["change"] > 0 else "declining"})
    decisions = defaultdict(list)
    for d in RegionDecision.objects.filter(
        province_id__in=[r["key"] for r in flagged],
        period_start=current.start,
        period_end=current.end,
    ).select_related("decided_by"):
        decisions[d.province_id].append(d)
    for row in flagged:
        row["decisions"] = decisions.get(row["key"], [])
    return flagged

"""Why sales changed between two periods (D1, D2): a bridge from the base period's
amount to the current one, in four parts that add up to the change exactly.

The unit is a cell: one customer and one model. For each cell, with quantities q0,
q1 and amounts A0, A1 in the base and current period:

- **new customers**: the customer bought nothing in the base period: + A1;
- **lost customers**: the customer bought nothing in the current period: − A0;
- otherwise (a customer kept),
  - **volume**: (q1 − q0) × the base unit price A0 / q0, rounded to the cent; a
    model the customer did not buy before counts + A1, one they stopped buying − A0
    (a change of product mix is volume);
  - **price**: the rest of the cell's change, (A1 − A0) − volume, which is
    (p1 − p0) × q1 up to that rounding.

So every cell's four parts sum to its change in Decimal, and any breakdown (region,
customer type, category, customer, rep) sums to the total change. One query reads
both periods' cells from the sales facts; the rest is arithmetic here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import BigIntegerField, F, Max, Q, Sum
from django.db.models.functions import Cast, Collate

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
        cells = _cells(viewer, f, base, current, cents=True)
        total, groups, new_customers, lost_customers = _split_in_sql(cells, top)
    else:
        cells = _cells(viewer, f, base, current)
        total, groups, new_customers, lost_customers = _split_here(cells)
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


def _cells(viewer, f: Filters, base: Period, current: Period, *, cents: bool = False):
    """One row per customer and model bought in either period: quantities and amounts
    of each period, and the cell's province, customer type, category and rep.
    ``cents``: amounts as whole cents (PostgreSQL sums bigints several times faster
    than numerics; the split in SQL works in cents)."""
    span = (min(base.start, current.start), max(base.end, current.end))
    in_base = Q(day__gte=base.start, day__lte=base.end)
    in_current = Q(day__gte=current.start, day__lte=current.end)
    amount = Cast(F("amount") * 100, BigIntegerField()) if cents else F("amount")
    return (
        sales_rows(viewer, f, span=span)
        .filter(in_base | in_current)
        .values("customer_id", "model_id")
        .annotate(
            q0=Sum("quantity", filter=in_base),
            a0=Sum(amount, filter=in_base),
            q1=Sum("quantity", filter=in_current),
            a1=Sum(amount, filter=in_current),
            province=Max("province_id"),
            # Codes are ASCII: byte order is the order, and it compares faster.
            customer_kind=Max(Collate("customer_kind", "C")) if cents else Max("customer_kind"),
            category=Max(Collate("category", "C")) if cents else Max("category"),
            rep=Max("rep_id"),
        )
    )


def _split_here(cells):
    """The split cell by cell in Python (SQLite, the development database): the
    definition that ``_split_in_sql`` reproduces on PostgreSQL (a test compares them)."""
    cells = [
        {
            **c,
            "customer": c["customer_id"],
            "q0": c["q0"] or 0,
            "q1": c["q1"] or 0,
            "a0": c["a0"] or ZERO,
            "a1": c["a1"] or ZERO,
        }
        for c in cells
    ]
    bought: dict[int, list[bool]] = defaultdict(lambda: [False, False])
    for c in cells:
        bought[c["customer"]][0] |= c["q0"] > 0
        bought[c["customer"]][1] |= c["q1"] > 0
    total = Line()
    groups: dict[str, dict] = {d: defaultdict(Line) for d in DIMENSIONS}
    for c in cells:
        before, after = bought[c["customer"]]
        line = split(
            c["q0"], c["a0"], c["q1"], c["a1"], customer_new=not before, customer_lost=not after
        )
        total.add(line)
        for d in DIMENSIONS:
            groups[d][c[d]].add(line)
    new_customers = sum(not before for before, _after in bought.values())
    lost_customers = sum(not after for _before, after in bought.values())
    return total, groups, new_customers, lost_customers


# The same split as ``split`` over every cell, summed per dimension in one scan
# (GROUPING SETS): at national scale the cells are a quarter of a million, which
# Python takes seconds to walk. Amounts are whole cents (bigint), so the sums are
# exact; the base unit price is divided in numeric and ROUND rounds half away from
# zero, as ROUND_HALF_UP does. Of the customers only the ``top`` largest rises and
# falls come back (ordered like the Python sort).
_SPLIT_SQL = """
WITH cells AS ({cells}),
marked AS (
    SELECT customer_id, province, customer_kind, category, rep,
           COALESCE(q0, 0) AS q0, COALESCE(a0, 0) AS a0,
           COALESCE(q1, 0) AS q1, COALESCE(a1, 0) AS a1,
           bool_or(COALESCE(q0, 0) > 0) OVER customer AS before,
           bool_or(COALESCE(q1, 0) > 0) OVER customer AS after,
           row_number() OVER customer = 1 AS first_cell
    FROM cells WINDOW customer AS (PARTITION BY customer_id)
),
parts AS (
    SELECT *,
           CASE WHEN NOT before THEN a1 ELSE 0 END AS new,
           CASE WHEN before AND NOT after THEN -a0 ELSE 0 END AS lost,
           CASE WHEN NOT (before AND after) THEN 0
                WHEN q0 <> 0 AND q1 <> 0 THEN ROUND(((q1 - q0) * a0)::numeric / q0)::bigint
                ELSE a1 - a0 END AS volume
    FROM marked
),
grouped AS (
    SELECT GROUPING(province) AS g_province, GROUPING(customer_kind) AS g_customer_kind,
           GROUPING(category) AS g_category, GROUPING(customer_id) AS g_customer,
           GROUPING(rep) AS g_rep,
           province, customer_kind, category, customer_id, rep,
           SUM(a0) AS base, SUM(a1) AS current, SUM(new) AS new, SUM(lost) AS lost,
           SUM(volume) AS volume,
           SUM(CASE WHEN before AND after AND q0 <> 0 AND q1 <> 0
                    THEN (a1 - a0) - volume ELSE 0 END) AS price,
           COUNT(*) FILTER (WHERE first_cell AND NOT before) AS new_customers,
           COUNT(*) FILTER (WHERE first_cell AND NOT after) AS lost_customers
    FROM parts
    GROUP BY GROUPING SETS ((), (province), (customer_kind), (category), (customer_id), (rep))
)
SELECT * FROM (
    SELECT grouped.*,
           row_number() OVER (PARTITION BY g_customer
                              ORDER BY current - base, customer_id::text) AS falls,
           row_number() OVER (PARTITION BY g_customer
                              ORDER BY current - base DESC, customer_id::text DESC) AS rises
    FROM grouped
) ranked
WHERE g_customer = 1 OR falls <= %s OR rises <= %s
"""


def _split_in_sql(cells, top: int):
    """``_split_here`` on PostgreSQL, in one statement (see _SPLIT_SQL)."""
    inner, params = cells.query.sql_with_params()
    total = Line()
    groups: dict[str, dict] = {d: {} for d in DIMENSIONS}
    new_customers = lost_customers = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Its hash tables and sorts fit in memory at national scale (~130 MB);
        # with the default 4 MB they spill to disk.
        cursor.execute("SET LOCAL work_mem = '192MB'")
        cursor.execute(_SPLIT_SQL.format(cells=inner), [*params, top, top])
        names = [c.name for c in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            line = Line(**{k: _yuan(row[k]) for k in ("base", "current", *PARTS)})
            grouped_by = [d for d in DIMENSIONS if not row[f"g_{d}"]]
            if not grouped_by:
                total = line
                new_customers, lost_customers = row["new_customers"], row["lost_customers"]
                continue
            key = row["customer_id" if grouped_by[0] == "customer" else grouped_by[0]]
            groups[grouped_by[0]][key] = line
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

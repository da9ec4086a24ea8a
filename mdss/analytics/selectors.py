"""Reads of the statistics (D1–D4), from the fact tables only, each at a fixed number
of queries whatever the period: sales figures and their trend, the breakdowns, the
service figures, the complaints, and the resources per region. The bridge analysis
is in bridge.py, the engineers model in resources.py.

Every function takes the viewer (whose figures: permissions.sales_scope) and the
Filters of filters.py; the pages, the exports and the API call the same ones."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, Sum
from django.utils.translation import gettext as _

from . import categories
from .choices import Grain
from .filters import Filters, Period
from .models import ComplaintFact, PartDay, SalesDay, ServiceFact
from .permissions import require, sales_scope
from .stats import change_percent, percentile, rate

ZERO = Decimal("0.00")
TOP = 15

POLICY = {
    # Service targets a region, model or engineer is measured against (D3).
    "sla_percent": 90,
    "first_time_fix_percent": 80,
    "rating": 4.0,
    "min_requests": 10,  # fewer requests say too little to flag
    # A province whose sales moved by this share or more is flagged (D2).
    "region_flag_percent": 10,
    **getattr(settings, "ANALYTICS_POLICY", {}),
}


# Periods ------------------------------------------------------------------------------


def bucket_of(day: date, grain: str) -> date:
    """The first day of the month, quarter or year ``day`` falls in."""
    if grain == Grain.YEAR:
        return date(day.year, 1, 1)
    if grain == Grain.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def bucket_label(start: date, grain: str) -> str:
    if grain == Grain.YEAR:
        return str(start.year)
    if grain == Grain.QUARTER:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def buckets(period: Period, grain: str) -> list[date]:
    out, day = [], bucket_of(period.start, grain)
    step = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[grain]
    while day <= period.end:
        out.append(day)
        index = day.year * 12 + day.month - 1 + step
        day = date(index // 12, index % 12 + 1, 1)
    return out


# Labels -------------------------------------------------------------------------------

SALES_DIMENSIONS = {
    "province": "province_id",
    "city": "city_id",
    "customer_kind": "customer_kind",
    "customer_grade": "customer_grade",
    "category": "category",
    "model": "model_id",
    "customer": "customer_id",
    "rep": "rep_id",
    "department": "department_id",
}
SERVICE_DIMENSIONS = {
    "province": "province_id",
    "kind": "kind",
    "channel": "channel",
    "model": "model_id",
    "engineer": "engineer_id",
}


def labels(dimension: str, keys) -> dict:
    """{key: what to show} for the keys of a breakdown: one query for ids, none for
    choices."""
    keys = [k for k in keys if k not in (None, "")]
    if dimension in ("province", "city"):
        from mdss.accounts.models import Region

        return dict(Region.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "customer":
        from mdss.customers.models import Customer

        return dict(Customer.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "model":
        from mdss.catalog.models import ProductModel

        return {
            pk: f"{name} {code}"
            for pk, code, name in ProductModel.objects.filter(pk__in=keys).values_list(
                "pk", "code", "product__name"
            )
        }
    if dimension in ("rep", "engineer"):
        from mdss.accounts.models import User

        return {
            pk: full_name or username
            for pk, full_name, username in User.objects.filter(pk__in=keys).values_list(
                "pk", "full_name", "username"
            )
        }
    if dimension == "department":
        from mdss.accounts.models import Department

        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "category":
        return {k: categories.label(k) for k in keys}
    choices = _choice_labels(dimension)
    return {k: str(choices.get(k, k)) for k in keys}


def _choice_labels(dimension: str) -> dict:
    from mdss.customers.choices import CustomerGrade, CustomerKind
    from mdss.service.choices import Channel, RequestKind

    return dict(
        {
            "customer_kind": CustomerKind.choices,
            "customer_grade": CustomerGrade.choices,
            "kind": RequestKind.choices,
            "channel": Channel.choices,
        }.get(dimension, [])
    )


def _label(names: dict, key) -> str:
    if key in (None, ""):
        return _("not recorded")
    return str(names.get(key, key))


# Sales (D1) ---------------------------------------------------------------------------


def sales_rows(viewer, f: Filters, *, span: tuple[date, date] | None = None):
    """The sales facts in the viewer's scope matching the filters, over ``span`` (the
    filters' period unless given)."""
    scope = sales_scope(viewer)
    start, end = span or (f.period.start, f.period.end)
    rows = SalesDay.objects.filter(day__gte=start, day__lte=end)
    if scope is not None:
        rows = rows.filter(scope)
    for name in ("province", "rep", "model"):
        if getattr(f, name):
            rows = rows.filter(**{f"{name}_id": getattr(f, name)})
    for name in ("customer_kind", "customer_grade", "category"):
        if getattr(f, name):
            rows = rows.filter(**{name: getattr(f, name)})
    return rows.order_by()


def _between(period: Period) -> Q:
    return Q(day__gte=period.start, day__lte=period.end)


def sales_totals(viewer, f: Filters) -> dict:
    """Amount and quantity of the period, of the period before and of the same period
    last year, with the changes: one query."""
    p, before, last_year = f.period, f.period.previous(), f.period.year_before()
    start = min(before.start, last_year.start)
    sums = sales_rows(viewer, f, span=(start, p.end)).aggregate(
        **{
            f"{name}_{measure}": Sum(measure, filter=_between(span))
            for name, span in (("now", p), ("before", before), ("last_year", last_year))
            for measure in ("amount", "quantity")
        },
        customers=Count("customer_id", distinct=True, filter=_between(p)),
    )
    amount = sums["now_amount"] or ZERO
    return {
        "amount": amount,
        "quantity": sums["now_quantity"] or 0,
        "customers": sums["customers"],
        "before": before,
        "before_amount": sums["before_amount"] or ZERO,
        "last_year": last_year,
        "last_year_amount": sums["last_year_amount"] or ZERO,
        "mom": change_percent(amount, sums["before_amount"]),
        "yoy": change_percent(amount, sums["last_year_amount"]),
    }


def sales_trend(viewer, f: Filters) -> list[dict]:
    """Per month, quarter or year of the period: amount, quantity, the same days a year
    before, and the change on the period before (month-on-month) and on last year
    (year-on-year). One query (amounts per day, summed into periods here)."""
    first = bucket_of(f.period.start, f.grain)
    last_year = f.period.year_before()
    start = min(buckets_before(first, f.grain), last_year.start)
    now: dict[date, list] = defaultdict(lambda: [ZERO, 0])
    year_before: dict[date, Decimal] = defaultdict(lambda: ZERO)
    before_first = ZERO
    for day, amount, quantity in (
        sales_rows(viewer, f, span=(start, f.period.end))
        .values("day")
        .annotate(a=Sum("amount"), q=Sum("quantity"))
        .values_list("day", "a", "q")
    ):
        if f.period.start <= day:
            now[bucket_of(day, f.grain)][0] += amount
            now[bucket_of(day, f.grain)][1] += quantity
        if last_year.start <= day <= last_year.end:
            key = bucket_of(day, f.grain)
            year_before[key.replace(year=key.year + 1)] += amount
        if buckets_before(first, f.grain) <= day < first:
            before_first += amount
    out, previous = [], before_first
    for key in buckets(f.period, f.grain):
        amount, quantity = now.get(key, (ZERO, 0))
        last = year_before.get(key, ZERO)
        out.append(
            {
                "start": key,
                "label": bucket_label(key, f.grain),
                "amount": amount,
                "quantity": quantity,
                "last_year": last,
                "mom": change_percent(amount, previous),
                "yoy": change_percent(amount, last),
            }
        )
        previous = amount
    return out


def buckets_before(key: date, grain: str) -> date:
    step = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[grain]
    index = key.year * 12 + key.month - 1 - step
    return date(index // 12, index % 12 + 1, 1)


def sales_by(viewer, f: Filters, dimension: str, *, limit: int | None = TOP) -> list[dict]:
    """Amount and quantity per value of ``dimension`` over the period, largest first,
    with each one's share of the total: two queries (the figures, the labels)."""
    field = SALES_DIMENSIONS[dimension]
    rows = list(
        sales_rows(viewer, f)
        .values(field)
        .annotate(a=Sum("amount"), q=Sum("quantity"))
        .order_by("-a", field)
        .values_list(field, "a", "q")
    )
    total = sum((a for _k, a, _q in rows), ZERO)
    shown = rows[:limit] if limit else rows
    names = labels(dimension, [k for k, _a, _q in shown])
    out = [
        {
            "key": key,
            "label": _label(names, key),
            "amount": amount,
            "quantity": quantity,
            "share": rate(amount, total) if total else None,
        }
        for key, amount, quantity in shown
    ]
    if limit and len(rows) > limit:
        rest = rows[limit:]
        out.append(
            {
                "key": None,
                "label": _("%(n)d others") % {"n": len(rest)},
                "amount": sum((a for _k, a, _q in rest), ZERO),
                "quantity": sum(q for _k, _a, q in rest),
                "share": rate(sum((a for _k, a, _q in rest), ZERO), total),
            }
        )
    return out


def sales_targets(viewer, f: Filters, *, limit: int = 6) -> list[dict]:
    """The development plans overlapping the period (in the viewer's scope), their
    targets against what was achieved, as the plan's own page counts it (at most
    ``limit`` plans, the latest first)."""
    from mdss.customers.selectors import plan_achievement, plans_for_user

    plans = plans_for_user(viewer).filter(
        period_start__lte=f.period.end, period_end__gte=f.period.start
    )[:limit]
    out = []
    for plan in plans:
        achieved = plan_achievement(plan)
        out.append(
            {
                "plan": plan,
                "target_amount": plan.target_contract_amount,
                "amount": achieved["contract_amount"],
                "amount_percent": achieved["amount_percent"],
                "target_new": plan.target_new_customers,
                "new": achieved["new_customers"],
                "new_percent": achieved["new_customer_percent"],
            }
        )
    return out


# Service (D3) -------------------------------------------------------------------------


def service_rows(viewer, f: Filters, *, span: tuple[date, date] | None = None):
    require(viewer, "service")
    start, end = span or (f.period.start, f.period.end)
    rows = ServiceFact.objects.filter(day__gte=start, day__lte=end)
    for name in ("province", "model", "engineer"):
        if getattr(f, name):
            rows = rows.filter(**{f"{name}_id": getattr(f, name)})
    for name in ("kind", "channel"):
        if getattr(f, name):
            rows = rows.filter(**{name: getattr(f, name)})
    return rows.order_by()


class _Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY x)``."""

    function = "percentile_cont"
    template = "%(function)s(%(p)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, p: float, **extra):
        super().__init__(expression, p=float(p), **extra)


TIMES = ("contact_minutes", "onsite_minutes", "completion_minutes", "parts_minutes")


def service_times(rows) -> dict[str, dict]:
    """Median and 90th percentile, in hours, of each step's elapsed time: one query
    (computed by PostgreSQL, or here from the values on SQLite)."""
    if connection.vendor == "postgresql":
        found = rows.aggregate(
            **{f"{t}_{p}": _Percentile(t, p / 100) for t in TIMES for p in (50, 90)},
            **{f"{t}_n": Count(t) for t in TIMES},
        )
    else:
        columns = list(zip(*rows.values_list(*TIMES), strict=True)) or [()] * len(TIMES)
        found = {}
        for t, values in zip(TIMES, columns, strict=True):
            present = [v for v in values if v is not None]
            found[f"{t}_n"] = len(present)
            for p in (50, 90):
                found[f"{t}_{p}"] = percentile(present, p / 100)
    return {
        t: {
            "n": found[f"{t}_n"],
            "median": _hours(found[f"{t}_50"]),
            "p90": _hours(found[f"{t}_90"]),
        }
        for t in TIMES
    }


def _hours(minutes) -> float | None:
    return None if minutes is None else round(minutes / 60, 1)


def _quality_sums():
    return {
        "n": Count("pk"),
        "completed": Count("pk", filter=Q(completed=True)),
        "ftf": Count("pk", filter=Q(first_time_fix=True)),
        "rated": Count("rating"),
        "rating_sum": Sum("rating"),
        "satisfied": Count("pk", filter=Q(satisfied=True)),
        **{
            f"{clock}_{outcome}": Count("pk", filter=Q(**{f"{clock}_clock": outcome}))
            for clock in ("contact", "onsite", "followup")
            for outcome in ("met", "missed")
        },
    }


def _quality(sums: dict) -> dict:
    met = sums["contact_met"] + sums["onsite_met"]
    decided = met + sums["contact_missed"] + sums["onsite_missed"]
    return {
        "requests": sums["n"],
        "completed": sums["completed"],
        "first_time_fix": rate(sums["ftf"], sums["completed"]),
        "rating": (round(float(sums["rating_sum"]) / sums["rated"], 2) if sums["rated"] else None),
        "satisfied": rate(sums["satisfied"], sums["rated"]),
        "rated": sums["rated"],
        "sla": rate(met, decided),
        **{
            f"{clock}_sla": rate(
                sums[f"{clock}_met"], sums[f"{clock}_met"] + sums[f"{clock}_missed"]
            )
            for clock in ("contact", "onsite", "followup")
        },
    }


def service_summary(viewer, f: Filters) -> dict:
    """Requests, completion, first-time fix, rating, satisfaction and each clock's
    compliance over the period, and the times: two queries."""
    rows = service_rows(viewer, f)
    return {**_quality(rows.aggregate(**_quality_sums())), "times": service_times(rows)}


def service_by(viewer, f: Filters, dimension: str, *, limit: int | None = TOP) -> list[dict]:
    """Per value of ``dimension``: requests and the quality figures, most requests
    first, each flagged where it falls short of the policy's targets."""
    field = SERVICE_DIMENSIONS[dimension]
    rows = list(
        service_rows(viewer, f).values(field).annotate(**_quality_sums()).order_by("-n", field)
    )
    shown = rows[:limit] if limit else rows
    names = labels(dimension, [r[field] for r in shown])
    out = []
    for r in shown:
        figures = _quality(r)
        out.append(
            {"key": r[field], "label": _label(names, r[field]), **figures, "short": _short(figures)}
        )
    return out


def _short(figures: dict) -> list[str]:
    """The targets a row misses (none when it has too few requests to judge)."""
    if figures["requests"] < POLICY["min_requests"]:
        return []
    out = []
    if figures["sla"] is not None and figures["sla"] < POLICY["sla_percent"]:
        out.append("sla")
    if (
        figures["first_time_fix"] is not None
        and figures["first_time_fix"] < POLICY["first_time_fix_percent"]
    ):
        out.append("first_time_fix")
    if figures["rating"] is not None and figures["rating"] < POLICY["rating"]:
        out.append("rating")
    return out


def shortfalls(viewer, f: Filters) -> dict[str, list[dict]]:
    """Provinces, models and engineers below a target, worst compliance first."""
    out = {}
    for dimension in ("province", "model", "engineer"):
        rows = [r for r in service_by(viewer, f, dimension, limit=None) if r["short"]]
        out[dimension] = sorted(rows, key=lambda r: r["sla"] if r["sla"] is not None else 101)[:TOP]
    return out


def service_trend(viewer, f: Filters) -> list[dict]:
    """Per period: requests, rating, satisfaction and on-time share. One query."""
    sums: dict[date, dict] = {}
    for r in service_rows(viewer, f).values("day").annotate(**_quality_sums()):
        key = bucket_of(r["day"], f.grain)
        total = sums.setdefault(key, dict.fromkeys(r, 0))
        for name, value in r.items():
            if name != "day":
                total[name] = (total[name] or 0) + (value or 0)
    out = []
    for key in buckets(f.period, f.grain):
        figures = _quality(sums[key]) if key in sums else None
        out.append({"start": key, "label": bucket_label(key, f.grain), "figures": figures})
    return out


def complaint_rows(viewer, f: Filters):
    require(viewer, "service")
    rows = ComplaintFact.objects.filter(day__gte=f.period.start, day__lte=f.period.end)
    if f.province:
        rows = rows.filter(province_id=f.province)
    if f.model:
        rows = rows.filter(model_id=f.model)
    return rows.order_by()


def complaint_figures(viewer, f: Filters) -> dict:
    """Complaints by category and severity, and per period: two queries."""
    from mdss.complaints.choices import Category, Severity

    rows = complaint_rows(viewer, f)
    cells = {
        (r["category"], r["severity"]): r["n"]
        for r in rows.values("category", "severity").annotate(n=Count("pk"))
    }
    category_names, severity_names = dict(Category.choices), dict(Severity.choices)
    kinds = sorted({c for c, _s in cells}, key=lambda c: (c == "", c))
    by_category = [
        {
            "key": c,
            "label": str(category_names.get(c, c)) if c else _("not classified yet"),
            "total": sum(n for (cc, _s), n in cells.items() if cc == c),
            "by_severity": {s: cells.get((c, s), 0) for s in (*Severity.values, "")},
        }
        for c in kinds
    ]
    per: dict[date, int] = defaultdict(int)
    grid: dict[tuple[str, date], int] = defaultdict(int)  # (category, period): the heat map
    for day, category, n in (
        rows.values("day", "category").annotate(n=Count("pk")).values_list("day", "category", "n")
    ):
        per[bucket_of(day, f.grain)] += n
        grid[(category, bucket_of(day, f.grain))] += n
    return {
        "total": sum(cells.values()),
        "major": sum(n for (_c, s), n in cells.items() if s == Severity.MAJOR),
        "by_category": sorted(by_category, key=lambda r: -r["total"]),
        "severities": [(s, str(severity_names[s])) for s in Severity.values],
        "trend": [
            {"label": bucket_label(k, f.grain), "count": per.get(k, 0)}
            for k in buckets(f.period, f.grain)
        ],
        "grid": [
            [
                category["label"],
                [grid.get((category["key"], k), 0) for k in buckets(f.period, f.grain)],
            ]
            for category in by_category
        ],
    }


# Resources (D4) -----------------------------------------------------------------------


def assumptions():
    from mdss.calendars.selectors import sla_target_or_none

    from .resources import Assumptions

    values = dict(getattr(settings, "ANALYTICS_RESOURCES", {}))
    if "target_hours" not in values:
        target = sla_target_or_none("service.onsite")
        if target is not None:
            values["target_hours"] = float(target.duration)
    return Assumptions(**values)


def engineers_by_province() -> dict[int, set[int]]:
    """{province id: active engineers working there (a city counting for its
    province)}: one query."""
    from mdss.accounts import roles
    from mdss.accounts.models import User

    out: dict[int, set[int]] = defaultdict(set)
    for user_id, region_id, parent_id in User.objects.filter(
        groups__name=roles.SERVICE_ENGINEER, is_active=True
    ).values_list("pk", "regions__id", "regions__parent_id"):
        if region_id:
            out[parent_id or region_id].add(user_id)
    return out


def resources(viewer, f: Filters, today: date) -> list[dict]:
    """Per province over the period: requests, visits, hours on site and travelling,
    a month's demand, the engineers working there and those qualified for its most
    serviced model, and the suggested number of engineers (resources.py)."""
    from mdss.catalog.models import ProductModel
    from mdss.training.selectors import qualified_by_model

    from .resources import engineers_needed

    require(viewer, "resources")
    a = assumptions()
    months = max(f.period.days / 30.4375, 1 / 30.4375)
    rows = service_rows(viewer, f)
    demand = list(
        rows.values("province_id")
        .annotate(n=Count("pk"), visits=Sum("visits"), minutes=Sum("visit_minutes"))
        .order_by("-n")
    )
    top_model: dict[int, int] = {}
    for province_id, model_id, _n in (
        rows.exclude(model_id=None)
        .values("province_id", "model_id")
        .annotate(n=Count("pk"))
        .order_by("province_id", "-n", "model_id")
        .values_list("province_id", "model_id", "n")
    ):
        top_model.setdefault(province_id, model_id)
    models = ProductModel.objects.filter(pk__in=set(top_model.values())).select_related("product")
    qualified = qualified_by_model(models, today)
    model_names = {m.pk: f"{m.product.name} {m.code}" for m in models}
    staff = engineers_by_province()
    names = labels("province", [r["province_id"] for r in demand])
    out = []
    for r in demand:
        visits = r["visits"] or 0
        hours_on_site = (r["minutes"] or 0) / 60
        per_visit = hours_on_site / visits if visits else 0.0
        suggestion = engineers_needed(
            visits_per_month=visits / months, hours_on_site=per_visit, assumptions=a
        )
        here = staff.get(r["province_id"], set())
        model_id = top_model.get(r["province_id"])
        out.append(
            {
                "key": r["province_id"],
                "label": _label(names, r["province_id"]),
                "requests": r["n"],
                "visits": visits,
                "hours_on_site": round(hours_on_site, 1),
                "hours_travel": round(visits * a.travel_hours, 1),
                "visits_per_month": round(visits / months, 1),
                "engineers": len(here),
                "top_model": model_names.get(model_id, ""),
                "qualified": len(here & qualified.get(model_id, set())) if model_id else None,
                "workload": suggestion.workload,
                "queue": suggestion.queue,
                "suggested": suggestion.suggested,
                "gap": suggestion.suggested - len(here),
            }
        )
    return out


def part_demand(viewer, f: Filters, *, limit: int = 30) -> list[dict]:
    """Spare parts fitted per province and part over the period, most first, with the
    reorder point and target level that demand gives (inventory.levels, the part's
    standard lead time and service level): what a regional warehouse should hold."""
    from mdss.inventory import levels
    from mdss.inventory.models import Part

    require(viewer, "resources")
    rows = PartDay.objects.filter(day__gte=f.period.start, day__lte=f.period.end)
    if f.province:
        rows = rows.filter(province_id=f.province)
    totals = list(
        rows.values("province_id", "part_id")
        .annotate(q=Sum("quantity"))
        .order_by("-q", "province_id", "part_id")[:limit]
    )
    keys = {(r["province_id"], r["part_id"]) for r in totals}
    daily: dict[tuple, dict[int, int]] = defaultdict(dict)
    for province_id, part_id, day, quantity in rows.filter(
        part_id__in={p for _pr, p in keys}
    ).values_list("province_id", "part_id", "day", "quantity"):
        if (province_id, part_id) in keys:
            index = (day - f.period.start).days
            daily[(province_id, part_id)][index] = (
                daily[(province_id, part_id)].get(index, 0) + quantity
            )
    parts = {p.pk: p for p in Part.objects.filter(pk__in={r["part_id"] for r in totals})}
    names = labels("province", [r["province_id"] for r in totals])
    policy = dict(
        getattr(settings, "ANALYTICS_PARTS", {"lead_time_days": 14, "service_level": 0.95})
    )
    out = []
    for r in totals:
        level = levels.compute_sparse(
            daily[(r["province_id"], r["part_id"])],
            days=f.period.days,
            lead_time_days=policy["lead_time_days"],
            service_level=policy["service_level"],
        )
        part = parts.get(r["part_id"])
        out.append(
            {
                "province": _label(names, r["province_id"]),
                "province_id": r["province_id"],
                "part": str(part) if part else r["part_id"],
                "part_id": r["part_id"],
                "quantity": r["q"],
                "mean_daily": round(level.mean_daily, 3),
                "reorder_point": level.reorder_point,
                "target_level": level.target_level,
            }
        )
    return out


# What each page shows, in one call (the page, its API and the figures cache) ---------

SALES_BREAKDOWNS = (
    "province", "customer_kind", "customer_grade", "category", "model", "customer", "rep",
)  # fmt: skip
SERVICE_BREAKDOWNS = ("kind", "channel", "model", "province")


def sales_page(viewer, f: Filters) -> dict:
    return {
        "totals": sales_totals(viewer, f),
        "trend": sales_trend(viewer, f),
        "by": {d: sales_by(viewer, f, d) for d in SALES_BREAKDOWNS},
        "provinces": sales_by(viewer, f, "province", limit=None),
    }


def service_page(viewer, f: Filters) -> dict:
    return {
        "summary": service_summary(viewer, f),
        "trend": service_trend(viewer, f),
        "by": {d: service_by(viewer, f, d) for d in SERVICE_BREAKDOWNS},
        "provinces": service_by(viewer, f, "province", limit=None),
        "complaints": complaint_figures(viewer, f),
        "shortfalls": shortfalls(viewer, f),
    }

"""Statistics pages (D1–D4): sales, why sales changed, service, resources, and the
monthly PDF. Each page reads selectors only; the same filters apply to every chart
on it, each chart saves as PNG (ECharts' toolbox) and exports its figures to Excel
(``?export=<chart>``, or ``?export=all`` for every chart as one workbook)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mdss.core.dates import local_today
from mdss.core.errors import ApplicationError, PermissionDenied
from mdss.core.excel import add_sheet, append_row, new_workbook, to_bytes, xlsx_response
from mdss.core.pdf import pdf_response

from . import cache, charts, reports, selectors, services
from .filters import AnalyticsFilterForm, Filters, build
from .forms import BridgeForm, DecisionForm
from .permissions import has, require


def _filters(request) -> tuple[AnalyticsFilterForm, Filters]:
    form = AnalyticsFilterForm(request.GET or None, viewer=request.user)
    return form, build(form.values(), local_today())


def _export(request, tables: dict, name: str):
    """The chart ``?export=`` names as a workbook (every chart for ``all``)."""
    wanted = request.GET.get("export", "")
    chosen = tables if wanted == "all" else {k: v for k, v in tables.items() if k == wanted}
    if not chosen:
        raise Http404
    book = new_workbook()
    for title, columns, rows in chosen.values():
        sheet = add_sheet(book, title[:31], columns)
        for row in rows:
            append_row(sheet, row)
    return xlsx_response(to_bytes(book), f"{name}-{wanted}.xlsx")


PAGES = [
    ("analytics:overview", gettext_lazy("Overview"), "overview"),
    ("analytics:sales", gettext_lazy("Sales"), "sales"),
    ("analytics:bridge", gettext_lazy("Why sales changed"), "sales"),
    ("analytics:service", gettext_lazy("Service and complaints"), "service"),
    ("analytics:resources", gettext_lazy("Engineers and parts"), "resources"),
]
SALES_FILTERS = (
    "start",
    "end",
    "grain",
    "province",
    "customer_kind",
    "customer_grade",
    "category",
    "rep",
)
SERVICE_FILTERS = ("start", "end", "grain", "province", "kind", "channel")


def _render(request, template: str, context: dict, filter_fields):
    context.update(
        filter_fields=filter_fields,
        analytics_pages=[p for p in PAGES if has(request.user, p[2])],
        china_map=static("vendor/echarts/china.json"),
    )
    return render(request, template, context)


def _link(view: str, **params) -> str:
    return reverse(view) + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


WAN = 10_000  # charts draw amounts in 万元; tables and exports keep yuan


# Sales --------------------------------------------------------------------------------


def sales(request):
    require(request.user, "sales")
    form, f = _filters(request)
    data = cache.sales_figures(request.user, f)
    totals, trend, by, by_all = data["totals"], data["trend"], data["by"], data["provinces"]
    ledger = {"signed_from": f.period.start.isoformat(), "signed_to": f.period.end.isoformat()}

    def to_ledger(field):
        return lambda r: (
            _link("contracts:ledger", **ledger, **{field: r["key"]}) if r["key"] else ""
        )

    def refine(field):
        return lambda r: "?" + urlencode({**f.query(), field: r["key"]}) if r["key"] else ""

    links = {
        "province": to_ledger("province"),
        "rep": to_ledger("rep"),
        "customer": to_ledger("customer"),
        "customer_kind": refine("customer_kind"),
        "customer_grade": refine("customer_grade"),
        "category": refine("category"),
        "model": refine("model"),
    }
    columns = [_("value"), _("amount (CNY)"), _("quantity"), _("share %")]
    tables = {
        "trend": (
            _("trend"),
            [_("period"), _("amount (CNY)"), _("quantity"), _("last year"), _("MoM %"), _("YoY %")],
            [[r["label"], r["amount"], r["quantity"], r["last_year"], r["mom"], r["yoy"]] for r in trend],
        ),
        **{
            d: (str(dict(DIMENSION_TITLES)[d]), columns,
                [[r["label"], r["amount"], r["quantity"], r["share"]] for r in rows])
            for d, rows in by.items()
        },
    }  # fmt: skip
    if request.GET.get("export"):
        return _export(request, tables, "sales")
    chart = {
        "trend": charts.trend(trend, value="amount", compare="last_year",
                              name=_("amount (10,000 CNY)"), compare_name=_("same period last year"), divisor=WAN),
        "map": charts.china_map(by_all, value="amount", name=_("amount (10,000 CNY)"), link=links["province"], divisor=WAN),
        **{d: charts.bars(rows, value="amount", name=_("amount (10,000 CNY)"), link=links[d], divisor=WAN)
           for d, rows in by.items()},
    }  # fmt: skip
    return _render(
        request,
        "analytics/sales.html",
        {
            "form": form,
            "f": f,
            "totals": totals,
            "trend": trend,
            "by": by,
            "provinces": by_all,
            "charts": chart,
            "panels": [(d, t, chart[d]) for d, t in DIMENSION_TITLES],
            "targets": selectors.sales_targets(request.user, f),
            "query": urlencode(f.query()),
        },
        SALES_FILTERS,
    )


DIMENSION_TITLES = [
    ("province", _("By province")),
    ("customer_kind", _("By customer type")),
    ("customer_grade", _("By customer grade")),
    ("category", _("By product category")),
    ("model", _("Top models")),
    ("customer", _("Top customers")),
    ("rep", _("By rep")),
]


# Overview -----------------------------------------------------------------------------


def overview(request):
    """Management's one page: where sales grow and fall and why (the last full quarter
    against the one before), where service is late or unsatisfying, and how many
    engineers each province needs; each part links to its page."""
    require(request.user, "overview")
    form, f = _filters(request)
    today = local_today()
    base, current = BridgeForm(None, today=today).periods()
    sales_data = cache.sales_figures(request.user, f)
    change = cache.bridge_figures(request.user, f, base, current)
    service_data = cache.service_figures(request.user, f)
    people = cache.resource_figures(request.user, f, today)
    gaps = sorted(people["rows"], key=lambda r: -r["gap"])
    return _render(
        request,
        "analytics/overview.html",
        {
            "form": form,
            "f": f,
            "totals": sales_data["totals"],
            "change": change,
            "summary": service_data["summary"],
            "short": service_data["shortfalls"],
            "gaps": [r for r in gaps if r["gap"] > 0][:10],
            "staffed": len(people["rows"]),
            "policy": selectors.POLICY,
            "charts": {
                "trend": charts.trend(
                    sales_data["trend"],
                    value="amount",
                    compare="last_year",
                    name=_("amount (10,000 CNY)"),
                    compare_name=_("same period last year"),
                    divisor=WAN,
                ),
                "waterfall": charts.waterfall(change["total"]),
                "map": charts.china_map(
                    service_data["provinces"],
                    value="sla",
                    name=_("on time %"),
                ),
            },  # fmt: skip
            "query": urlencode(f.query()),
            "bridge_query": urlencode(
                {
                    "base_start": base.start,
                    "base_end": base.end,
                    "current_start": current.start,
                    "current_end": current.end,
                }
            ),  # fmt: skip
        },
        ("start", "end", "grain", "province"),
    )


# Bridge -------------------------------------------------------------------------------


def bridge(request):
    require(request.user, "sales")
    form, f = _filters(request)
    periods = BridgeForm(request.GET or None, today=local_today())
    base, current = periods.periods()
    data = cache.bridge_figures(request.user, f, base, current)
    total = data["total"]
    tables = {
        "total": (
            _("bridge"),
            [_("part"), _("amount (CNY)")],
            [[_("base period"), total["base"]], [_("new customers"), total["new"]],
             [_("lost customers"), total["lost"]], [_("volume"), total["volume"]],
             [_("price"), total["price"]], [_("current period"), total["current"]]],
        ),
        **{
            d: (str(t), BRIDGE_COLUMNS(), [_bridge_row(r) for r in data[d]])
            for d, t in (("province", _("By province")), ("customer_kind", _("By customer type")),
                         ("category", _("By product category")), ("rep", _("By rep")))
        },
        "customers": (_("customers"), BRIDGE_COLUMNS(),
                      [_bridge_row(r) for r in data["customers_up"] + data["customers_down"]]),
    }  # fmt: skip
    if request.GET.get("export"):
        return _export(request, tables, "bridge")
    decide = has(request.user, "decide")
    for row in data["flags"]:
        row["form"] = (
            DecisionForm(
                initial={
                    "province": row["key"],
                    "change": row["change"],
                    "period_start": current.start,
                    "period_end": current.end,
                }
            )
            if decide
            else None
        )
    return _render(
        request,
        "analytics/bridge.html",
        {
            "form": form,
            "periods": periods,
            "f": f,
            "data": data,
            "waterfall": charts.waterfall(total),
            "province_chart": charts.bars(
                sorted(data["province"], key=lambda r: r["change"], reverse=True)[:15],
                value="change",
                name=_("change (10,000 CNY)"),
                divisor=WAN,
            ),
            "decide": decide,
            "base": base,
            "current": current,
            "query": urlencode({**f.query(), **periods.query()}),
        },
        SALES_FILTERS[3:],
    )


def BRIDGE_COLUMNS():  # noqa: N802 (a constant that needs the active language)
    return [
        _("value"), _("base (CNY)"), _("current (CNY)"), _("change (CNY)"), _("change %"),
        _("new customers"), _("lost customers"), _("volume"), _("price"),
    ]  # fmt: skip


def _bridge_row(r: dict) -> list:
    return [r["label"], r["base"], r["current"], r["change"], r["change_percent"],
            r["new"], r["lost"], r["volume"], r["price"]]  # fmt: skip


def decide(request):
    """Management records what to do about a flagged province (POST from the bridge)."""
    if request.method != "POST":
        raise Http404
    require(request.user, "decide")
    form = DecisionForm(request.POST)
    back = request.POST.get("back", "")
    back = back if back.startswith("?") else ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.region_decide(
                actor=request.user,
                province=d["province"],
                period_start=d["period_start"],
                period_end=d["period_end"],
                change=d["change"],
                action=d["action"],
                note=d["note"],
            )
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The decision is recorded."))
    else:
        messages.error(
            request,
            "; ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()),
        )
    return redirect(reverse("analytics:bridge") + back)


# Service ------------------------------------------------------------------------------


def service(request):
    require(request.user, "service")
    form, f = _filters(request)
    data = cache.service_figures(request.user, f)
    summary, trend, by = data["summary"], data["trend"], data["by"]
    complaints, short = data["complaints"], data["shortfalls"]

    def refine(field):
        return lambda r: "?" + urlencode({**f.query(), field: r["key"]}) if r["key"] else ""

    quality_columns = [_("value"), _("requests"), _("completed"), _("on time %"),
                       _("first-time fix %"), _("rating"), _("satisfied %")]  # fmt: skip

    def quality_row(r):
        return [r["label"], r["requests"], r["completed"], r["sla"], r["first_time_fix"],
                r["rating"], r["satisfied"]]  # fmt: skip

    times = summary["times"]
    tables = {
        "times": (_("times (hours)"), [_("step"), _("requests"), _("median"), _("90th percentile")],
                  [[str(TIME_LABELS()[k]), v["n"], v["median"], v["p90"]] for k, v in times.items()]),
        "trend": (_("trend"), [_("period"), _("requests"), _("on time %"), _("rating"), _("satisfied %")],
                  [[r["label"], *( [r["figures"]["requests"], r["figures"]["sla"], r["figures"]["rating"],
                    r["figures"]["satisfied"]] if r["figures"] else [0, None, None, None])] for r in trend]),
        **{d: (str(SERVICE_TITLES()[d]), quality_columns, [quality_row(r) for r in rows])
           for d, rows in by.items()},
        "complaints": (_("complaints"), [_("category"), _("total"), *[str(lbl) for _s, lbl in complaints["severities"]]],
                       [[r["label"], r["total"], *[r["by_severity"][s] for s, _l in complaints["severities"]]]
                        for r in complaints["by_category"]]),
        **{f"short_{d}": (str(SERVICE_TITLES()[d]) + " " + _("below target"), quality_columns,
                          [quality_row(r) for r in rows]) for d, rows in short.items()},
    }  # fmt: skip
    if request.GET.get("export"):
        return _export(request, tables, "service")
    labels = [r["label"] for r in trend]
    chart = {
        "trend": charts.dual(
            labels, [r["figures"]["requests"] if r["figures"] else 0 for r in trend],
            [r["figures"]["rating"] if r["figures"] else None for r in trend],
            bar_name=_("requests"), line_name=_("rating (1–5)"), line_max=5,
        ),
        "sla_trend": charts.dual(
            labels, [r["figures"]["completed"] if r["figures"] else 0 for r in trend],
            [r["figures"]["sla"] if r["figures"] else None for r in trend],
            bar_name=_("completed"), line_name=_("on time %"), line_max=100,
        ),
        "map": charts.china_map(
            data["provinces"], value="requests", name=_("requests"), link=refine("province"),
        ),
        **{d: charts.bars(rows, value="requests", name=_("requests"), link=refine(d))
           for d, rows in by.items()},
        "complaint_grid": charts.heat_map(
            [r["label"] for r in complaints["trend"]], complaints["grid"]
        ),
        "complaints": charts.stacked(
            [r["label"] for r in complaints["by_category"]][::-1],
            [{"name": str(lbl), "data": [r["by_severity"][s] for r in complaints["by_category"]][::-1],
              "color": charts.core.RED if s == "major" else charts.core.AMBER}
             for s, lbl in complaints["severities"]],
        ),
    }  # fmt: skip
    return _render(
        request,
        "analytics/service.html",
        {
            "form": form,
            "f": f,
            "summary": summary,
            "times": [(TIME_LABELS()[k], v) for k, v in times.items()],
            "by": by,
            "complaints": complaints,
            "short": short,
            "titles": SERVICE_TITLES(),
            "charts": chart,
            "policy": selectors.POLICY,
            "query": urlencode(f.query()),
        },
        SERVICE_FILTERS,
    )


def TIME_LABELS():  # noqa: N802
    return {
        "contact_minutes": _("to first contact"),
        "onsite_minutes": _("to on site"),
        "completion_minutes": _("to completion"),
        "parts_minutes": _("parts lead time"),
    }


def SERVICE_TITLES():  # noqa: N802
    return {
        "kind": _("By request type"),
        "channel": _("By channel"),
        "model": _("By model"),
        "province": _("By province"),
        "engineer": _("Engineers"),
    }


# Resources ----------------------------------------------------------------------------


def resources(request):
    require(request.user, "resources")
    form, f = _filters(request)
    today = local_today()
    data = cache.resource_figures(request.user, f, today)
    rows, parts = data["rows"], data["parts"]
    a = selectors.assumptions()
    tables = {
        "engineers": (
            _("engineers per province"),
            [_("province"), _("requests"), _("visits"), _("hours on site"), _("hours travelling"),
             _("visits a month"), _("engineers"), _("qualified for the top model"),
             _("workload model"), _("queue model"), _("suggested"), _("gap")],
            [[r["label"], r["requests"], r["visits"], r["hours_on_site"], r["hours_travel"],
              r["visits_per_month"], r["engineers"], r["qualified"], r["workload"], r["queue"],
              r["suggested"], r["gap"]] for r in rows],
        ),
        "parts": (
            _("spare-part demand"),
            [_("province"), _("part"), _("fitted"), _("a day"), _("reorder point"), _("target level")],
            [[p["province"], p["part"], p["quantity"], p["mean_daily"], p["reorder_point"],
              p["target_level"]] for p in parts],
        ),
    }  # fmt: skip
    if request.GET.get("export"):
        return _export(request, tables, "resources")
    top = rows[:20]
    chart = charts.core.horizontal_bars(
        [r["label"] for r in top][::-1],
        [
            {"name": _("engineers"), "data": [r["engineers"] for r in top][::-1], "color": charts.core.GREY},
            {"name": _("suggested"), "data": [r["suggested"] for r in top][::-1], "color": charts.core.BLUE},
        ],
    )  # fmt: skip
    chart["toolbox"] = charts._toolbox()
    chart["grid"]["top"] = 36
    return _render(
        request,
        "analytics/resources.html",
        {
            "form": form,
            "f": f,
            "rows": rows,
            "parts": parts,
            "a": a,
            "chart": chart,
            "query": urlencode(f.query()),
        },
        ("start", "end", "province"),
    )


# The monthly report -------------------------------------------------------------------


def report(request):
    """The month's report as PDF (``?month=2026-10``; last month by default)."""
    require(request.user, "sales")
    require(request.user, "service")
    today = local_today()
    text = request.GET.get("month", "")
    try:
        month = (
            date(int(text[:4]), int(text[5:7]), 1) if len(text) == 7 and text[4] == "-" else None
        )
    except ValueError:
        month = None
    if month is None or not date(2000, 1, 1) <= month <= today:
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    content = reports.monthly_pdf(request.user, month, today)
    return pdf_response(content, f"report-{month:%Y-%m}.pdf")

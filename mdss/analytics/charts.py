"""ECharts options of the statistics pages (core.charts draws them). Every chart has
the toolbox's "save as PNG"; a data item with a ``url`` opens the records behind it
(static/js/mdss.js), and ``tables`` in views.py gives each chart's figures as a
table for its Excel export."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mdss.core import charts as core


def _toolbox() -> dict:
    return {
        "right": 8,
        "feature": {"saveAsImage": {"title": _("Save as PNG"), "pixelRatio": 2}},
    }


def _f(value, divisor: int = 1) -> float | None:
    """A number for the chart; amounts are drawn in 10,000 CNY (万元), the unit
    Chinese sales reports use, so axis labels stay short on a phone."""
    return None if value is None else round(float(value) / divisor, 2)


def trend(
    rows: list[dict],
    *,
    value: str,
    compare: str | None,
    name: str,
    compare_name: str = "",
    divisor: int = 1,
) -> dict:
    """Bars per period with a line for the comparison (last year)."""
    series = [
        {
            "type": "bar",
            "name": name,
            "data": [_f(r[value], divisor) for r in rows],
            "color": core.BLUE,
        }
    ]
    if compare:
        series.append(
            {
                "type": "line",
                "name": compare_name,
                "data": [_f(r[compare], divisor) for r in rows],
                "color": core.GREY,
                "lineStyle": {"type": "dashed"},
            }
        )
    return {
        "toolbox": _toolbox(),
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [s["name"] for s in series], "left": 8},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [r["label"] for r in rows]},
        "yAxis": {"type": "value"},
        "series": series,
    }


def dual(
    labels: list[str], bars: list, line: list, *, bar_name: str, line_name: str, line_max=None
) -> dict:
    """Counts as bars on the left axis, a rate or rating as a line on the right."""
    return {
        "toolbox": _toolbox(),
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [bar_name, line_name], "left": 8},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": [
            {"type": "value", "minInterval": 1},
            {"type": "value", "min": 0, **({"max": line_max} if line_max else {}), "splitLine": {"show": False}},
        ],
        "series": [
            {"type": "bar", "name": bar_name, "data": bars, "color": core.BLUE},
            {"type": "line", "name": line_name, "yAxisIndex": 1, "data": line, "color": core.GREEN, "connectNulls": True},
        ],
    }  # fmt: skip


def bars(rows: list[dict], *, value: str, name: str, link=None, divisor: int = 1) -> dict:
    """One horizontal bar per row (largest on top); ``link(row)`` makes it clickable."""
    rows = list(reversed(rows))
    option = core.horizontal_bars(
        [r["label"] for r in rows],
        [
            {
                "name": name,
                "data": [
                    {
                        "value": _f(r[value], divisor),
                        **({"url": link(r)} if link and link(r) else {}),
                    }
                    for r in rows
                ],
                "color": core.BLUE,
                "barMaxWidth": 28,
            }
        ],
    )
    option["toolbox"] = _toolbox()
    option["grid"]["top"] = 28
    return option


def stacked(categories: list[str], series: list[dict]) -> dict:
    option = core.horizontal_bars(categories, series, stacked=True)
    option["toolbox"] = _toolbox()
    option["grid"]["top"] = 36
    return option


def waterfall(total: dict, divisor: int = 10_000) -> dict:
    """Base period → new customers → lost customers → volume → price → current: each
    step floats on the running total (an invisible bar below it); in 万元."""
    steps = [
        (_("base period"), total["base"], "total"),
        (_("new customers"), total["new"], "step"),
        (_("lost customers"), total["lost"], "step"),
        (_("volume"), total["volume"], "step"),
        (_("price"), total["price"], "step"),
        (_("current period"), total["current"], "total"),
    ]
    running, hidden, shown = 0.0, [], []
    for _label, value, kind in steps:
        value = round(float(value) / divisor, 2)
        if kind == "total":
            hidden.append(0)
            shown.append({"value": value, "itemStyle": {"color": core.BLUE}})
            running = value
            continue
        low = running + min(value, 0)
        hidden.append(low)
        shown.append(
            {"value": abs(value), "itemStyle": {"color": core.GREEN if value >= 0 else core.RED}}
        )
        running += value
    return {
        "toolbox": _toolbox(),
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [s[0] for s in steps]},
        "yAxis": {"type": "value"},
        "series": [
            {"type": "bar", "stack": "w", "data": hidden, "itemStyle": {"color": "transparent"}, "tooltip": {"show": False}},
            {"type": "bar", "stack": "w", "data": shown, "label": {"show": True, "position": "top"}},
        ],
    }  # fmt: skip


def china_map(rows: list[dict], *, value: str, name: str, link=None, divisor: int = 1) -> dict:
    """Provinces coloured by ``value`` on the map of China (static/vendor/echarts/
    china.json, loaded by mdss.js before drawing). The map's names are short (广东,
    not 广东省): ``short_name`` strips the suffix."""
    data = [
        {
            "name": short_name(r["label"]),
            "value": _f(r[value], divisor),
            **({"url": link(r)} if link and link(r) else {}),
        }
        for r in rows
        if r.get("key")
    ]
    top = max([d["value"] or 0 for d in data] or [1])
    return {
        "toolbox": _toolbox(),
        "tooltip": {"trigger": "item"},
        "visualMap": {
            "min": 0, "max": top or 1, "left": 8, "bottom": 8, "calculable": True,
            "inRange": {"color": ["#e7f1ff", core.BLUE]},
        },
        "series": [{"type": "map", "map": "china", "name": name, "roam": False, "data": data}],
    }  # fmt: skip


SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def short_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def heat_map(columns: list[str], rows: list) -> dict:
    """Counts per row (a complaint category) and column (a period), darker for more."""
    data = [
        [x, y, value] for y, (_label, values) in enumerate(rows) for x, value in enumerate(values)
    ]
    top = max([v for _x, _y, v in data] or [1])
    return {
        "toolbox": _toolbox(),
        "tooltip": {"position": "top"},
        "grid": {"left": 8, "right": 16, "top": 28, "bottom": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": columns, "splitArea": {"show": True}},
        "yAxis": {"type": "category", "data": [label for label, _v in rows], "splitArea": {"show": True}},
        "visualMap": {
            "min": 0, "max": top or 1, "orient": "horizontal", "left": "center", "bottom": 0,
            "calculable": True, "inRange": {"color": ["#fff8e1", core.RED]},
        },
        "series": [{"type": "heatmap", "data": data, "label": {"show": True}}],
    }  # fmt: skip

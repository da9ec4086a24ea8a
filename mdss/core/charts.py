"""ECharts options built on the server, as plain JSON.

Pages put the option in a ``json_script`` and mark the chart's box with
``data-chart="<script id>"``; ``static/js/mdss.js`` draws it. No page carries inline
JavaScript, so the Content-Security-Policy can forbid it (script-src 'self')."""

from __future__ import annotations

GREEN, BLUE, AMBER, RED, GREY = "#198754", "#0d6efd", "#ffc107", "#dc3545", "#6c757d"


def horizontal_bars(categories: list[str], series: list[dict], *, stacked: bool = False) -> dict:
    """Bars along the x axis, one row per category; ``series`` items have name, data
    and optionally color."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [s["name"] for s in series]} if len(series) > 1 else {"show": False},
        "grid": {
            "left": 8,
            "right": 24,
            "top": 32 if len(series) > 1 else 8,
            "bottom": 8,
            "containLabel": True,
        },
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": categories},
        "series": [{"type": "bar", **({"stack": "total"} if stacked else {}), **s} for s in series],
    }


def percent_bars(categories: list[str], values: list[float]) -> dict:
    """Achievement against 100 %: green at or past the target, blue below, a dashed
    line at 100 %."""
    top = max([100, *values])
    return {
        "tooltip": {"formatter": "{b}: {c}%"},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "max": top, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": categories},
        "series": [
            {
                "type": "bar",
                "data": [
                    {"value": v, "itemStyle": {"color": GREEN if v >= 100 else BLUE}}
                    for v in values
                ],
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
                "markLine": {
                    "silent": True,
                    "symbol": "none",
                    "label": {"show": False},
                    "data": [{"xAxis": 100}],
                    "lineStyle": {"color": GREY, "type": "dashed"},
                },
            }
        ],
    }


def month_bars(months: list[str], series: list[dict]) -> dict:
    """Vertical bars over the given months (labels such as 2026-03), one bar per series
    and month; for counts over a rolling window rather than a calendar year."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [s["name"] for s in series]} if len(series) > 1 else {"show": False},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", **s} for s in series],
    }


def month_lines(series: list[dict], *, money: bool = False) -> dict:
    """One line per series over the twelve months (Django's month names: 一月…十二月
    in Chinese); ``data`` holds twelve values, None where the month has not come yet."""
    from django.utils.dates import MONTHS_3

    months = [str(MONTHS_3[m]).capitalize() for m in range(1, 13)]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [s["name"] for s in series]},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": months, "boundaryGap": False},
        "yAxis": {"type": "value", **({"axisLabel": {"formatter": "¥{value}"}} if money else {})},
        "series": [{"type": "line", **s} for s in series],
    }

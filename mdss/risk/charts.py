"""The risk pages' charts and grids: the 5 × 5 heat map (ECharts, each cell a link
to the register filtered on it) and an assessment history line."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mdss.core import charts as core

ZONE_COLOURS = {"acceptable": core.GREEN, "tolerable": core.AMBER, "unacceptable": core.RED}


def grid(matrix, counts: dict) -> list[list[dict]]:
    """Rows likelihood 5 → 1, columns impact 1 → 5: each cell's zone and count (the
    table under the chart, readable without JavaScript)."""
    return [
        [
            {
                "likelihood": li,
                "impact": im,
                "zone": matrix.zone(li, im),
                "count": counts.get((li, im), 0),
            }
            for im in range(1, 6)
        ]
        for li in range(5, 0, -1)
    ]


def heat_map(matrix, counts: dict, *, link: str) -> dict:
    """Cells coloured by their zone (a visual map on the zone's rank), labelled with the
    count of open risks; a click opens the register on that cell (static/js/mdss.js
    follows a data item's ``url``)."""
    from .choices import ZONE_RANK

    data = [
        {
            "value": [im - 1, li - 1, ZONE_RANK[matrix.zone(li, im)], counts.get((li, im), 0)],
            **({"url": f"{link}?likelihood={li}&impact={im}"} if link else {}),
        }
        for li in range(1, 6)
        for im in range(1, 6)
    ]
    return {
        "tooltip": {"show": False},
        "grid": {"left": 8, "right": 8, "top": 8, "bottom": 28, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [str(n) for n in range(1, 6)],
            "name": _("impact"),
            "nameLocation": "middle",
            "nameGap": 24,
        },
        "yAxis": {
            "type": "category",
            "data": [str(n) for n in range(1, 6)],
            "name": _("likelihood"),
            "nameLocation": "middle",
            "nameGap": 24,
        },
        "visualMap": {
            "show": False,
            "type": "piecewise",
            "dimension": 2,
            "pieces": [
                {"value": 0, "color": core.GREEN},
                {"value": 1, "color": core.AMBER},
                {"value": 2, "color": core.RED},
            ],
        },
        "series": [
            {
                "type": "heatmap",
                "data": data,
                "label": {"show": True, "fontSize": 14, "formatter": "{@[3]}"},
                "itemStyle": {"borderColor": "#fff", "borderWidth": 2},
                "cursor": "pointer",
            }
        ],
    }


def history(assessments) -> dict:
    """The score of each dated assessment (inherent, then residual)."""
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [a.assessed_on.isoformat() for a in assessments]},
        "yAxis": {"type": "value", "min": 0, "max": 25},
        "series": [
            {
                "type": "line",
                "name": _("score"),
                "data": [
                    {"value": a.score, "itemStyle": {"color": ZONE_COLOURS[a.zone]}}
                    for a in assessments
                ],
                "color": core.BLUE,
                "symbolSize": 10,
            }
        ],
    }

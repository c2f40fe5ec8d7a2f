"""ECharts options for the diagnosis pages, made from the views the selectors return.

Each function returns a plain ``dict`` (JSON-ready) that the template writes with
``json_script`` and the shared ``web/static/web/charts.js`` passes to ``setOption``: no data
inside JavaScript strings, no code inside options (a tooltip names a shared
formatter). Items that open evidence on a click carry a ``url``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from gongsheng.core.charts import named
from gongsheng.diagnosis.labels import (  # the labels, also re-exported from here
    GROUP_COLOURS,
    GROUP_LABELS,
    GROUPS,
    MODE_COLOURS,
    MODE_LABELS,
    MODES,
    ORGANISATION_LABELS,
    ORGANISATION_MODES,
    group_label,
    mode_label,
    mode_legend,
    organisation_label,
)

__all__ = [
    "GROUPS",
    "GROUP_COLOURS",
    "GROUP_LABELS",
    "MAX_EDGES",
    "MODES",
    "MODE_COLOURS",
    "MODE_LABELS",
    "ORGANISATION_LABELS",
    "ORGANISATION_MODES",
    "graph_option",
    "group_label",
    "mode_bar_option",
    "mode_label",
    "mode_legend",
    "organisation_label",
    "sankey_option",
    "trend_option",
]

MAX_EDGES = 400  # the graph draws the pairs with the largest energy; the table lists all


def _num(x: Any) -> float:
    return 0.0 if x is None else round(float(x), 2)


def graph_option(
    units: Iterable[Any],
    edges: Iterable[dict[str, Any]],
    *,
    unit_url: Callable[[Any], str | None],
) -> dict[str, Any]:
    """Force graph: a node per unit (``id``, ``name``, ``group``, ``net``), sized by its
    |net energy|, coloured by its group, with a red border when it loses; an edge per pair
    (``a``, ``b``, ``a_name``, ``b_name``, ``behaviour``, ``energy``, ``url``) coloured by its
    behavioural mode."""
    units = list(units)
    edges = list(edges)
    shown = {e["a"] for e in edges} | {e["b"] for e in edges}
    biggest = max((abs(float(u.net or 0)) for u in units), default=0.0) or 1.0
    groups = [g for g in GROUPS if any(u.group == g for u in units)]
    nodes = []
    for u in units:
        if u.id not in shown and len(units) > 60:
            continue  # large consortia: only units that appear in a drawn pair
        net = float(u.net or 0)
        node: dict[str, Any] = {
            "id": str(u.id),
            "name": u.name,
            "value": _num(net),
            "category": groups.index(u.group) if u.group in groups else 0,
            "symbolSize": round(10 + 40 * math.sqrt(abs(net) / biggest), 1),
        }
        url = unit_url(u)
        if url:
            node["url"] = url
        if net < 0:
            node["itemStyle"] = {"borderColor": MODE_COLOURS["parasitism"], "borderWidth": 2}
        nodes.append(node)
    node_ids = {n["id"] for n in nodes}
    links = []
    for e in edges:
        if str(e["a"]) not in node_ids or str(e["b"]) not in node_ids:
            continue
        mode = e["behaviour"]
        links.append(
            {
                "source": str(e["a"]),
                "target": str(e["b"]),
                "value": _num(e["energy"]),
                "mode": mode,
                "url": e["url"],
                "lineStyle": {"color": MODE_COLOURS.get(mode, "#a0aec0"), "width": 2.5},
                "lines": [
                    f"{e['a_name']} – {e['b_name']}",
                    mode_label(mode),
                    f"{_('energy')} {_num(e['energy']):,.2f}",
                ],
                "tooltip": {"formatter": named("lines")},
            }
        )
    many = len(nodes) > 30
    return {
        "tooltip": {},
        # the legend above the graph, the graph in the box below it (labels to its right)
        "legend": [{"data": [group_label(g) for g in groups], "top": 0, "type": "scroll"}],
        "color": [GROUP_COLOURS[g] for g in groups] or ["#718096"],
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "top": 48,
                "bottom": 24,
                "left": 24,
                "right": 96,
                "roam": True,
                "draggable": True,
                "label": {
                    "show": True,
                    "position": "right",
                    "fontSize": 11,
                    "width": 120,
                    "overflow": "truncate",
                },
                "labelLayout": {"hideOverlap": True},
                "force": {
                    "initLayout": "circular",
                    "repulsion": 160 if many else 220,
                    "edgeLength": [40, 110] if many else [60, 140],
                    "gravity": 0.18,
                },
                "emphasis": {
                    "focus": "adjacency",
                    "label": {"show": True},
                    "lineStyle": {"width": 5},
                },
                "categories": [{"name": group_label(g)} for g in groups],
                "data": nodes,
                "links": links,
            }
        ],
    }


def sankey_option(flows: Iterable[tuple[str, str, Any]]) -> dict[str, Any]:
    """Sankey of value between unit groups: givers on the left, receivers on the right (a
    group appears on both sides, so flows inside a group and both directions can be drawn).
    ``flows`` are ``(giver_group, receiver_group, value)``."""
    gives = _("%(group)s gave")
    receives = _("%(group)s received")
    links = []
    used: set[str] = set()
    for giver, receiver, value in flows:
        v = _num(value)
        if v <= 0:
            continue
        s = gives % {"group": group_label(giver)}
        t = receives % {"group": group_label(receiver)}
        used |= {s, t}
        links.append({"source": s, "target": t, "value": v})
    nodes = []
    for g in GROUPS:
        for _side, name in (("give", gives), ("receive", receives)):
            label = name % {"group": group_label(g)}
            if label in used:
                nodes.append({"name": label, "itemStyle": {"color": GROUP_COLOURS[g]}})
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "sankey",
                "data": nodes,
                "links": links,
                "emphasis": {"focus": "adjacency"},
                "lineStyle": {"color": "gradient", "opacity": 0.45},
                "nodeAlign": "justify",
            }
        ],
    }


def trend_option(years: Iterable[Any]) -> dict[str, Any]:
    """Lines by year: the number of pairs in each behavioural mode (left axis) and the
    energy of all pairs (right axis). ``years`` have ``year``, ``behaviour_counts``
    and ``energy``."""
    years = list(years)
    modes = [m for m in MODES if any(y.behaviour_counts.get(m) for y in years)]
    series: list[dict[str, Any]] = [
        {
            "name": mode_label(m),
            "type": "line",
            "data": [y.behaviour_counts.get(m, 0) for y in years],
            "itemStyle": {"color": MODE_COLOURS[m]},
        }
        for m in modes
    ]
    energy = _("energy (CNY)")
    series.append(
        {
            "name": energy,
            "type": "bar",
            "yAxisIndex": 1,
            "data": [_num(y.energy) for y in years],
            "itemStyle": {"color": "rgba(11,110,79,.18)"},
            "barMaxWidth": 36,
        }
    )
    return {
        "tooltip": {"trigger": "axis", "valueFormatter": named("money")},
        "legend": {"type": "scroll", "bottom": 0},
        "grid": {"left": 10, "right": 10, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(y.year) for y in years]},
        "yAxis": [
            {"type": "value", "name": _("pairs"), "minInterval": 1},
            {"type": "value", "name": energy, "axisLabel": {"formatter": named("wan")}},
        ],
        "series": series,
    }


def mode_bar_option(
    counts: Mapping[str, int], *, url: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """Bar of the number of pairs in each behavioural mode; a click filters the pair table."""
    data = []
    for m in MODES:
        item: dict[str, Any] = {
            "value": int(counts.get(m, 0)),
            "itemStyle": {"color": MODE_COLOURS[m]},
        }
        if url is not None:
            item["url"] = url(m)
        data.append(item)
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 10, "right": 20, "top": 10, "bottom": 20, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "axisLabel": {"interval": 0},
            "data": [mode_label(m) for m in MODES],
        },
        "series": [{"type": "bar", "data": data, "barMaxWidth": 22}],
    }

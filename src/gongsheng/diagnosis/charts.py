"""ECharts options for the diagnosis pages, made from the views the selectors return.

Each function returns a plain ``dict`` (JSON-ready) that the template writes with
``json_script`` and ``static/diagnosis/diagnosis.js`` passes to ``setOption``: no data inside
JavaScript strings. Items that open evidence on a click carry a ``url``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: behavioural modes, best first (the order of legends, bars and trend lines)
MODES = (
    "symmetric_mutualism",
    "asymmetric_mutualism",
    "commensalism",
    "independent",
    "amensalism",
    "parasitism",
    "competition",
)
MODE_LABELS = {
    "symmetric_mutualism": gettext_lazy("symmetric mutualism"),
    "asymmetric_mutualism": gettext_lazy("asymmetric mutualism"),
    "commensalism": gettext_lazy("commensalism"),
    "independent": gettext_lazy("independent"),
    "amensalism": gettext_lazy("amensalism"),
    "parasitism": gettext_lazy("parasitism"),
    "competition": gettext_lazy("competition"),
}
#: the same colours as the badges in static/diagnosis/diagnosis.css
MODE_COLOURS = {
    "symmetric_mutualism": "#0b6e4f",
    "asymmetric_mutualism": "#6bbf59",
    "commensalism": "#2b6cb0",
    "independent": "#a0aec0",
    "amensalism": "#d69e2e",
    "parasitism": "#c53030",
    "competition": "#805ad5",
}
ORGANISATION_MODES = ("integrated", "continuous", "intermittent", "point")
ORGANISATION_LABELS = {
    "point": gettext_lazy("point"),
    "intermittent": gettext_lazy("intermittent"),
    "continuous": gettext_lazy("continuous"),
    "integrated": gettext_lazy("integrated"),
}
GROUPS = ("government", "school", "enterprise", "research", "other")
GROUP_LABELS = {
    "government": gettext_lazy("government"),
    "school": gettext_lazy("schools"),
    "enterprise": gettext_lazy("enterprises"),
    "research": gettext_lazy("research"),
    "other": gettext_lazy("other"),
}
GROUP_COLOURS = {
    "government": "#b7791f",
    "school": "#2b6cb0",
    "enterprise": "#0b6e4f",
    "research": "#805ad5",
    "other": "#718096",
}
MAX_EDGES = 400  # the graph draws the pairs with the largest energy; the table lists all


def mode_label(mode: str | None) -> str:
    return str(MODE_LABELS.get(mode or "", mode or "—"))


def organisation_label(mode: str | None) -> str:
    return str(ORGANISATION_LABELS.get(mode or "", mode or "—"))


def group_label(group: str) -> str:
    return str(GROUP_LABELS.get(group, group))


def mode_legend() -> list[dict[str, str]]:
    """The legend of edge colours, shown beside the graph."""
    return [{"mode": m, "label": mode_label(m), "colour": MODE_COLOURS[m]} for m in MODES]


def _num(x: Any) -> float:
    return 0.0 if x is None else round(float(x), 2)


def graph_option(
    units: Iterable[Any],
    pairs: Iterable[Any],
    *,
    unit_url: Callable[[Any], str | None],
    pair_url: Callable[[Any], str],
) -> dict[str, Any]:
    """Force graph: a node per unit (size by |net energy|, colour by group, red border when
    it loses), an edge per pair coloured by its behavioural mode. ``units`` have ``unit_id``,
    ``name``, ``group``, ``net_energy``; ``pairs`` have ``a_id``, ``b_id``, ``a_name``,
    ``b_name``, ``behaviour`` and ``energy``."""
    units = list(units)
    pairs = sorted(pairs, key=lambda p: -abs(float(p.energy or 0)))[:MAX_EDGES]
    shown = {p.a_id for p in pairs} | {p.b_id for p in pairs}
    biggest = max((abs(float(u.net_energy or 0)) for u in units), default=0.0) or 1.0
    groups = [g for g in GROUPS if any(u.group == g for u in units)]
    nodes = []
    for u in units:
        if u.unit_id not in shown and len(units) > 60:
            continue  # large consortia: only units that appear in a drawn pair
        net = float(u.net_energy or 0)
        node: dict[str, Any] = {
            "id": str(u.unit_id),
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
    for p in pairs:
        if str(p.a_id) not in node_ids or str(p.b_id) not in node_ids:
            continue
        colour = MODE_COLOURS.get(p.behaviour, "#a0aec0")
        links.append(
            {
                "source": str(p.a_id),
                "target": str(p.b_id),
                "value": _num(p.energy),
                "mode": p.behaviour,
                "url": pair_url(p),
                "lineStyle": {"color": colour, "width": 2.5},
                "tooltip": {
                    "formatter": f"{p.a_name} – {p.b_name}<br>{mode_label(p.behaviour)}"
                    f"<br>{_('energy')} {_num(p.energy):,.2f}"
                },
            }
        )
    return {
        "tooltip": {},
        "legend": [{"data": [group_label(g) for g in groups], "bottom": 0}],
        "color": [GROUP_COLOURS[g] for g in groups] or ["#718096"],
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "draggable": True,
                "label": {"show": len(nodes) <= 40, "position": "right"},
                "force": {"repulsion": 220, "edgeLength": [60, 180], "gravity": 0.08},
                "emphasis": {"focus": "adjacency", "lineStyle": {"width": 5}},
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
        for side, name in (("give", gives), ("receive", receives)):
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
    energy of all pairs (right axis). ``years`` have ``year``, ``mode_counts`` (mode → n)
    and ``energy``."""
    years = list(years)
    modes = [m for m in MODES if any(y.mode_counts.get(m) for y in years)]
    series: list[dict[str, Any]] = [
        {
            "name": mode_label(m),
            "type": "line",
            "data": [y.mode_counts.get(m, 0) for y in years],
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
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "bottom": 0},
        "grid": {"left": 50, "right": 70, "bottom": 50},
        "xAxis": {"type": "category", "data": [str(y.year) for y in years]},
        "yAxis": [
            {"type": "value", "name": _("pairs"), "minInterval": 1},
            {"type": "value", "name": energy},
        ],
        "series": series,
    }


def mode_bar_option(
    counts: Mapping[str, int], *, url: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """Bar of the number of pairs in each behavioural mode; a click filters the pair table."""
    data = []
    for m in MODES:
        item: dict[str, Any] = {"value": int(counts.get(m, 0)), "itemStyle": {"color": MODE_COLOURS[m]}}
        if url is not None:
            item["url"] = url(m)
        data.append(item)
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 130, "right": 20, "top": 10, "bottom": 20},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "axisLabel": {"interval": 0},
            "data": [mode_label(m) for m in MODES],
        },
        "series": [{"type": "bar", "data": data, "barMaxWidth": 22}],
    }

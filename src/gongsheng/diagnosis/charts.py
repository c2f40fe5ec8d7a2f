"""ECharts options for the diagnosis pages, made from the views the selectors return.

Each function returns a plain ``dict`` (JSON-ready) that the template writes with
``json_script`` and ``static/diagnosis/diagnosis.js`` passes to ``setOption``: no data inside
JavaScript strings. Items that open evidence on a click carry a ``url``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

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
    "symmetric_mutualism": pgettext_lazy("symbiosis mode", "symmetric mutualism"),
    "asymmetric_mutualism": pgettext_lazy("symbiosis mode", "asymmetric mutualism"),
    "commensalism": pgettext_lazy("symbiosis mode", "commensalism"),
    "independent": pgettext_lazy("symbiosis mode", "independent"),
    "amensalism": pgettext_lazy("symbiosis mode", "amensalism"),
    "parasitism": pgettext_lazy("symbiosis mode", "parasitism"),
    "competition": pgettext_lazy("symbiosis mode", "competition"),
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
    "point": pgettext_lazy("organisation mode", "point"),
    "intermittent": pgettext_lazy("organisation mode", "intermittent"),
    "continuous": pgettext_lazy("organisation mode", "continuous"),
    "integrated": pgettext_lazy("organisation mode", "integrated"),
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
                "tooltip": {
                    "formatter": f"{e['a_name']} – {e['b_name']}<br>{mode_label(mode)}"
                    f"<br>{_('energy')} {_num(e['energy']):,.2f}"
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
                "force": {"repulsion": 90, "edgeLength": [30, 110], "gravity": 0.2},
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


# --------------------------------------------------------------------------------------
# what the pages show: rows made on demand from the engine's result
# --------------------------------------------------------------------------------------
ALERT_LABELS = {
    "free_rider": gettext_lazy("free rider"),
    "parasitic_pair": gettext_lazy("parasitic pair"),
    "inactive_member": gettext_lazy("joined but not cooperating"),
    "school_hot_enterprise_cold": gettext_lazy("schools keen, enterprises cold"),
    "concentration": gettext_lazy("dependence on one lead unit"),
}


def _finite(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _key(mode: Any) -> str | None:
    return None if mode is None else str(getattr(mode, "value", mode))


@dataclass(frozen=True)
class PairRow:
    """One line of the pair table."""

    a_id: int
    b_id: int
    a_name: str
    b_name: str
    behaviour: str
    organisation: str | None
    energy: float
    g_a: float
    g_b: float
    target: bool
    url: str
    reason: str = ""

    @property
    def behaviour_label(self) -> str:
        return mode_label(self.behaviour)

    @property
    def organisation_label(self) -> str:
        return organisation_label(self.organisation)


class PairRows(Sequence[PairRow]):
    """Rows of chosen pairs of a ``PairTable``, made only for the slice a page shows (a
    consortium of 200 units has thousands of pairs)."""

    def __init__(self, table: Any, order: np.ndarray, url: Callable[[int, int], str]) -> None:
        self.table, self.order, self.url = table, order, url

    def __len__(self) -> int:
        return len(self.order)

    def _row(self, k: int) -> PairRow:
        p = self.table.row(int(k))
        return PairRow(
            a_id=p.a, b_id=p.b, a_name=p.a_name, b_name=p.b_name,
            behaviour=_key(p.behaviour) or "", organisation=_key(p.organisation),
            energy=p.energy, g_a=p.gain_a, g_b=p.gain_b, target=bool(p.target),
            url=self.url(p.a, p.b), reason=p.reason,
        )  # fmt: skip

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return [self._row(k) for k in self.order[index]]
        return self._row(self.order[index])


class LazyPayloads(Sequence[dict]):
    """API items of pair rows, made only for the page the API returns."""

    def __init__(self, rows: PairRows) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        table, order = self.rows.table, self.rows.order
        if isinstance(index, slice):
            return [pair_payload(table.row(int(k))) for k in order[index]]
        return pair_payload(table.row(int(order[index])))


def pair_order(table: Any, *, mode: str = "", unit_id: int | None = None,
               only_unit: int | None = None) -> np.ndarray:  # fmt: skip
    """Indices of the pairs to list, largest |energy| first, filtered by behavioural mode and
    by a unit (``only_unit``: the user's own unit, for unit users)."""
    n = len(table)
    if n == 0:
        return np.zeros(0, dtype=int)
    keep = np.ones(n, dtype=bool)
    if mode:
        keep &= np.array([_key(m) == mode for m in table.behaviour], dtype=bool)
    for u in (unit_id, only_unit):
        if u is not None:
            keep &= (table.a == u) | (table.b == u)
    idx = np.flatnonzero(keep)
    energy = np.abs(np.nan_to_num(table.columns["energy"][idx]))
    return idx[np.argsort(-energy, kind="stable")]


class ConsortiumDisplay:
    """The consortium page's view of a diagnosis: numbers, rows and chart options."""

    def __init__(self, d: Any, *, consortium_id: int, window_query: str = "",
                 own_unit_id: int | None = None, computed_at: Any = None) -> None:  # fmt: skip
        self.d = d
        self.consortium_id = consortium_id
        self.window_query = window_query
        self.own_unit_id = own_unit_id
        self.partial = own_unit_id is not None
        self.computed_at = computed_at

    # numbers
    @property
    def window_from(self) -> Any:
        return self.d.years[0] if self.d.years else "—"

    @property
    def window_to(self) -> Any:
        return self.d.years[1] if self.d.years else "—"

    @property
    def pair_count(self) -> int:
        return len(self.pair_rows())

    @property
    def target_count(self) -> int:
        return int(self.d.target_count)

    @property
    def target_share_pct(self) -> float:
        share = _finite(self.d.target_share)
        return 0.0 if share is None else 100 * share

    @property
    def total_energy(self) -> float:
        return float(self.d.energy)

    @property
    def alerts(self) -> tuple:
        return tuple(self.d.alerts)

    @property
    def units(self) -> list[Any]:
        return list(self.d.units)

    # rows
    def pair_url(self, a: int, b: int) -> str:
        url = reverse("diagnosis:pair", args=[self.consortium_id, a, b])
        return f"{url}?{self.window_query}" if self.window_query else url

    def unit_url(self, unit: Any) -> str:
        url = reverse("ledger:list", args=[self.consortium_id])
        return f"{url}?unit={unit.id}" + (f"&{self.window_query}" if self.window_query else "")

    def pair_rows(self, *, mode: str = "", unit_id: int | None = None) -> PairRows:
        order = pair_order(self.d.pairs, mode=mode, unit_id=unit_id, only_unit=self.own_unit_id)
        return PairRows(self.d.pairs, order, self.pair_url)

    @property
    def organisation_rows(self) -> list[dict[str, Any]]:
        counts = self.d.organisation_counts
        rows = [
            {"mode": m, "label": organisation_label(m), "count": counts.get(m, 0)}
            for m in ORGANISATION_MODES
        ]
        rows.append({"mode": "none", "label": _("no episodes"), "count": counts.get("none", 0)})
        return rows

    @property
    def group_rows(self) -> list[dict[str, Any]]:
        d = self.d
        return [
            {
                "group": g,
                "label": group_label(g),
                "inputs": d.inputs_by_group.get(g, 0.0),
                "outputs": d.outputs_by_group.get(g, 0.0),
                "net": d.energy_by_group.get(g, 0.0),
            }
            for g in d.groups
            if d.inputs_by_group.get(g) or d.outputs_by_group.get(g) or d.energy_by_group.get(g)
        ]

    @property
    def alert_rows(self) -> list[dict[str, Any]]:
        names = {u.id: u for u in self.d.units}
        return [
            {
                "kind": a.kind,
                "label": str(ALERT_LABELS.get(a.kind, a.kind)),
                "units": [names[i] for i in a.units if i in names],
                "value": _finite(a.value),
                "threshold": _finite(a.threshold),
                "reason": a.reason,
            }
            for a in self.d.alerts
        ]

    # charts
    def edges(self) -> list[dict[str, Any]]:
        table = self.d.pairs
        order = pair_order(table, only_unit=self.own_unit_id)[:MAX_EDGES]
        names = dict(zip(table.unit_ids, table.unit_names, strict=False))
        return [
            {
                "a": int(table.a[k]),
                "b": int(table.b[k]),
                "a_name": names.get(int(table.a[k]), str(table.a[k])),
                "b_name": names.get(int(table.b[k]), str(table.b[k])),
                "behaviour": _key(table.behaviour[k]),
                "energy": float(table.columns["energy"][k]),
                "url": self.pair_url(int(table.a[k]), int(table.b[k])),
            }
            for k in order
        ]

    def chart_options(self) -> dict[str, dict[str, Any]]:
        d = self.d
        base = reverse("diagnosis:consortium", args=[self.consortium_id])
        window = f"{self.window_query}&" if self.window_query else ""
        flows = [
            (g, h, d.flow_matrix[i][j])
            for i, g in enumerate(d.groups)
            for j, h in enumerate(d.groups)
        ]
        counts = d.behaviour_counts
        if self.own_unit_id is not None:
            rows = self.pair_rows()
            seen = [_key(d.pairs.behaviour[k]) for k in rows.order]
            counts = {m: seen.count(m) for m in MODES}
        return {
            "graph": graph_option(d.units, self.edges(), unit_url=self.unit_url),
            "modes": mode_bar_option(counts, url=lambda m: f"{base}?{window}mode={m}#pairs"),
            "sankey": sankey_option(flows),
            "trends": trend_option(d.trends),
        }


# --------------------------------------------------------------------------------------
# the pair page
# --------------------------------------------------------------------------------------
class PairDisplay:
    """The pair page's view: the engine's ``PairDiagnosis`` with labels, its reasons as
    lines, and the evidence (ledger entries, episodes with links)."""

    def __init__(self, p: Any, *, entries: Any = (), episodes: Any = ()) -> None:
        self.p = p
        self.entries = entries
        self.episodes = list(episodes)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.p, name)

    @property
    def behaviour(self) -> str:
        return _key(self.p.behaviour) or ""

    @property
    def behaviour_label(self) -> str:
        return mode_label(self.behaviour)

    @property
    def organisation(self) -> str | None:
        return _key(self.p.organisation)

    @property
    def organisation_label(self) -> str:
        return organisation_label(self.organisation)

    @property
    def g_a(self) -> float:
        return self.p.gain_a

    @property
    def g_b(self) -> float:
        return self.p.gain_b

    @property
    def r_a(self) -> float | None:
        return _finite(self.p.relative_gain_a)

    @property
    def r_b(self) -> float | None:
        return _finite(self.p.relative_gain_b)

    @property
    def degree(self) -> float | None:
        return _finite(self.p.degree)

    @property
    def share(self) -> float | None:
        return _finite(self.p.share)

    @property
    def degree_reason(self) -> str:
        return self.p.degree_note

    @property
    def reasons(self) -> list[str]:
        lines = [self.p.reason]
        stats = self.p.organisation_stats
        if stats is not None and getattr(stats, "reason", ""):
            lines.append(stats.reason)
        return [line for line in lines if line]

    @property
    def organisation_stats(self) -> list[tuple[str, Any]]:
        s = self.p.organisation_stats
        if s is None:
            return []
        return [
            (_("Episodes"), s.n_episodes),
            (_("Blocks of cooperation"), s.n_blocks),
            (_("Coverage of the window"), f"{100 * s.coverage:.0f} %"),
            (_("Longest gap (days)"), s.max_gap_days),
            (_("Dimensions"), ", ".join(map(str, s.dimensions)) or "—"),
        ]


# --------------------------------------------------------------------------------------
# API payloads (plain types; the schemas in schemas.py describe them)
# --------------------------------------------------------------------------------------
def _plain_float(x: Any) -> float | None:
    return _finite(x)


def pair_payload(p: Any) -> dict[str, Any]:
    return {
        "a_id": p.a, "b_id": p.b, "a_name": p.a_name, "b_name": p.b_name,
        "a_group": p.a_group, "b_group": p.b_group,
        "in_a": p.in_a, "in_b": p.in_b, "out_a": p.out_a, "out_b": p.out_b,
        "gain_a": p.gain_a, "gain_b": p.gain_b,
        "relative_gain_a": _finite(p.relative_gain_a),
        "relative_gain_b": _finite(p.relative_gain_b),
        "energy": p.energy, "flow": p.flow,
        "behaviour": _key(p.behaviour), "gaining": _key(p.gaining),
        "free_rider_a": p.free_rider_a, "free_rider_b": p.free_rider_b,
        "organisation": _key(p.organisation), "target": bool(p.target),
        "degree": _finite(p.degree), "degree_reverse": _finite(p.degree_reverse),
        "share": _finite(p.share), "degree_note": p.degree_note, "reason": p.reason,
    }  # fmt: skip


def pair_detail_payload(p: Any, *, entry_ids: Iterable[int], episodes: Iterable[dict]) -> dict:
    data = pair_payload(p)
    for side in ("a", "b"):
        for part in ("direct", "pools"):
            data[f"in_{side}_{part}"] = getattr(p, f"in_{side}_{part}")
            data[f"out_{side}_{part}"] = getattr(p, f"out_{side}_{part}")
    stats = p.organisation_stats
    data["organisation_stats"] = (
        None
        if stats is None
        else {
            "n_episodes": stats.n_episodes,
            "n_blocks": stats.n_blocks,
            "coverage": stats.coverage,
            "max_gap_days": stats.max_gap_days,
            "dimensions": [str(d) for d in stats.dimensions],
            "reason": getattr(stats, "reason", ""),
        }
    )
    data["entry_ids"] = list(entry_ids)
    data["episodes"] = list(episodes)
    return data


def alert_payload(a: Any, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "unit_ids": list(a.units),
        "unit_names": [names.get(i, str(i)) for i in a.units],
        "value": _finite(a.value),
        "threshold": _finite(a.threshold),
        "reason": a.reason,
    }


def consortium_payload(view: ConsortiumDisplay) -> dict[str, Any]:
    d = view.d
    names = {u.id: u.name for u in d.units}
    share = _finite(d.target_share)
    return {
        "consortium_id": view.consortium_id,
        "years": list(d.years) if d.years else None,
        "own_unit_id": view.own_unit_id,
        "pair_count": view.pair_count,
        "behaviour_counts": dict(d.behaviour_counts),
        "organisation_counts": dict(d.organisation_counts),
        "target_count": int(d.target_count),
        "target_share": share,
        "energy": float(d.energy),
        "energy_by_group": {k: float(v) for k, v in d.energy_by_group.items()},
        "inputs_by_group": {k: float(v) for k, v in d.inputs_by_group.items()},
        "outputs_by_group": {k: float(v) for k, v in d.outputs_by_group.items()},
        "flows": {
            "groups": list(d.groups),
            "matrix": [[round(float(x), 2) for x in row] for row in d.flow_matrix],
        },
        "concentration": {
            "hhi": _finite(d.concentration.hhi),
            "top_share": _finite(d.concentration.top_share),
            "n": int(d.concentration.n),
        },
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "group": u.group,
                "lead": bool(u.lead),
                "inputs": u.inputs,
                "outputs": u.outputs,
                "net": u.net,
                "pair_gain": u.pair_gain,
                "pairs": u.pairs,
                "free_rider": bool(u.free_rider),
                "last_activity": u.last_activity,
            }
            for u in d.units
        ],
        "trends": [
            {
                "year": t.year,
                "pairs": t.pairs,
                "behaviour_counts": dict(t.behaviour_counts),
                "energy": float(t.energy),
                "inputs": float(t.inputs),
                "outputs": float(t.outputs),
                "inputs_by_group": {k: float(v) for k, v in t.inputs_by_group.items()},
                "outputs_by_group": {k: float(v) for k, v in t.outputs_by_group.items()},
            }
            for t in d.trends
        ],
        "alerts": [alert_payload(a, names) for a in d.alerts],
    }


def province_payload(
    consortium_id: int, name: str, d: Any, *, computed_at: Any = None
) -> dict[str, Any]:
    """One consortium's summary row (the province page and ``GET /api/diagnosis``)."""
    counts = {m: int(d.behaviour_counts.get(m, 0)) for m in MODES}
    top = max(counts, key=lambda m: counts[m]) if any(counts.values()) else None
    return {
        "consortium_id": consortium_id,
        "name": name,
        "unit_count": len(d.units),
        "pair_count": len(d.pairs),
        "target_count": int(d.target_count),
        "target_share": _finite(d.target_share),
        "target_share_pct": 100 * (_finite(d.target_share) or 0.0),
        "energy": float(d.energy),
        "total_energy": float(d.energy),
        "top_mode": top,
        "top_mode_label": mode_label(top) if top else "",
        "alert_count": len(d.alerts),
        "computed_at": computed_at,
    }

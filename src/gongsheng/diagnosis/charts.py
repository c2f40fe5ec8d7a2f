"""ECharts options for the diagnosis pages, made from the views the selectors return.

Each function returns a plain ``dict`` (JSON-ready) that the template writes with
``json_script`` and the shared ``web/static/web/charts.js`` passes to ``setOption``: no data
inside JavaScript strings, no code inside options (a tooltip names a shared
formatter). Items that open evidence on a click carry a ``url``.
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

from gongsheng.core.charts import named

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
                "lines": [
                    f"{e['a_name']} – {e['b_name']}",
                    mode_label(mode),
                    f"{_('energy')} {_num(e['energy']):,.2f}",
                ],
                "tooltip": {"formatter": named("lines")},
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
                "label": {"show": len(nodes) <= 15, "position": "right"},
                "labelLayout": {"hideOverlap": True},
                "force": {"repulsion": 260, "edgeLength": [50, 150], "gravity": 0.12},
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
class _Named:
    id: int
    name: str


@dataclass(frozen=True)
class _Node:
    id: int
    name: str
    group: str
    net: float


def unit_names(d: Any) -> dict[int, str]:
    """Names of the units a view mentions (its units and the units of its pairs)."""
    t = d.pairs
    names = {int(i): str(n) for i, n in zip(t.unit_ids, t.unit_names, strict=False)}
    names.update({u.id: u.name for u in d.units})
    return names


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

    def __init__(self, d: Any, *, window_query: str = "") -> None:
        self.d = d
        self.consortium_id = d.consortium_id
        self.window_query = window_query
        self.own_unit_id = d.unit_id if d.access == "unit" else None
        self.partial = d.access == "unit"
        self.totals_only = d.access == "totals"
        self.computed_at = d.computed_at

    # numbers
    @property
    def window_from(self) -> Any:
        return self.d.years[0] if self.d.years else "—"

    @property
    def window_to(self) -> Any:
        return self.d.years[1] if self.d.years else "—"

    @property
    def pair_count(self) -> int:
        """Pairs of the consortium (a unit user's table lists only its own)."""
        return sum(int(v) for v in self.d.behaviour_counts.values())

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
    def filter_units(self) -> list[Any]:
        """Units to filter the pair table by: those that appear in the pairs shown."""
        t = self.d.pairs
        seen = set(t.a.tolist()) | set(t.b.tolist())
        named = zip(t.unit_ids, t.unit_names, strict=False)
        rows = [_Named(int(i), str(n)) for i, n in named if int(i) in seen]
        return sorted(rows, key=lambda u: u.name)

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
        names = unit_names(self.d)
        return [
            {
                "kind": a.kind,
                "label": str(ALERT_LABELS.get(a.kind, a.kind)),
                "units": [_Named(i, names[i]) for i in a.units if i in names],
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

    def graph_units(self) -> list[Any]:
        """Nodes: every unit (full access); a unit user's own unit with its partners, whose
        totals it may not see (drawn at the smallest size)."""
        if self.own_unit_id is None:
            return list(self.d.units)
        t = self.d.pairs
        own = {u.id: u for u in self.d.units}
        seen = set(t.a.tolist()) | set(t.b.tolist()) | set(own)
        rows = zip(t.unit_ids, t.unit_names, t.unit_groups, strict=False)
        return [
            own.get(int(i)) or _Node(int(i), str(n), str(g), 0.0)
            for i, n, g in rows
            if int(i) in seen
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
        counts = d.behaviour_counts  # consortium totals: every role may see them
        return {
            "graph": graph_option(self.graph_units(), self.edges(), unit_url=self.unit_url),
            "modes": mode_bar_option(counts, url=lambda m: f"{base}?{window}mode={m}#pairs"),
            "sankey": sankey_option(flows),
            "trends": trend_option(d.trends),
        }


# --------------------------------------------------------------------------------------
# the pair page
# --------------------------------------------------------------------------------------
EPISODE_KINDS = {
    "cooperation.project": gettext_lazy("project"),
    "cooperation.contract": gettext_lazy("contract"),
    "sharing.booking": gettext_lazy("booking"),
}


def episode_url(consortium_id: int, source_type: str, source_id: int) -> str | None:
    """The page of an episode's source record (a booking: its ledger entries)."""
    if source_type == "cooperation.project":
        return reverse("cooperation:project", args=[source_id])
    if source_type == "cooperation.contract":
        return reverse("cooperation:contract", args=[source_id])
    if source_type:
        url = reverse("ledger:list", args=[consortium_id])
        return f"{url}?source={source_type}:{source_id}"
    return None


def episode_rows(consortium_id: int, episodes: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "kind": e.source_type,
            "kind_label": str(EPISODE_KINDS.get(e.source_type, e.source_type)),
            "id": e.source_id,
            "title": e.title,
            "start": e.start,
            "end": e.end,
            "dimension": e.dimension,
            "joint_body": bool(e.joint_body),
            "url": episode_url(consortium_id, e.source_type, e.source_id),
        }
        for e in episodes
    ]


class PairDisplay:
    """The pair page's view of a ``PairDetail``: the engine's ``PairDiagnosis`` with labels,
    its reasons as lines, and the evidence (ledger entries, episodes with links). ``pair`` is
    None when the two did not cooperate in the window: the page says so and still lists the
    evidence."""

    def __init__(self, detail: Any) -> None:
        self.detail = detail
        self.p = detail.pair
        self.entries = detail.entries
        self.episodes = episode_rows(detail.consortium_id, detail.episodes)
        self.a_name = detail.a.name
        self.b_name = detail.b.name
        self.a_id = detail.a.id
        self.b_id = detail.b.id

    def __getattr__(self, name: str) -> Any:
        if name in ("p", "detail"):
            raise AttributeError(name)
        return getattr(self.p, name) if self.p is not None else None

    @property
    def found(self) -> bool:
        return self.p is not None

    @property
    def behaviour(self) -> str:
        return _key(self.p.behaviour) or "" if self.p is not None else ""

    @property
    def behaviour_label(self) -> str:
        return mode_label(self.behaviour)

    @property
    def organisation(self) -> str | None:
        return _key(self.p.organisation) if self.p is not None else None

    @property
    def organisation_label(self) -> str:
        return organisation_label(self.organisation)

    @property
    def target(self) -> bool:
        return bool(self.p is not None and self.p.target)

    @property
    def g_a(self) -> float | None:
        return self.p.gain_a if self.p is not None else None

    @property
    def g_b(self) -> float | None:
        return self.p.gain_b if self.p is not None else None

    @property
    def r_a(self) -> float | None:
        return _finite(self.p.relative_gain_a) if self.p is not None else None

    @property
    def r_b(self) -> float | None:
        return _finite(self.p.relative_gain_b) if self.p is not None else None

    @property
    def degree(self) -> float | None:
        return _finite(self.p.degree) if self.p is not None else None

    @property
    def share(self) -> float | None:
        return _finite(self.p.share) if self.p is not None else None

    @property
    def degree_reason(self) -> str:
        return self.p.degree_note if self.p is not None else ""

    @property
    def reasons(self) -> list[str]:
        if self.p is None:
            return [_("The two units did not cooperate in this window.")]
        lines = [self.p.reason]
        stats = self.p.organisation_stats
        if stats is not None and getattr(stats, "reason", ""):
            lines.append(stats.reason)
        return [line for line in lines if line]

    @property
    def organisation_stats(self) -> list[tuple[str, Any]]:
        s = self.p.organisation_stats if self.p is not None else None
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


ENTRY_IDS_MAX = 500  # the API lists the newest entry ids; the page pages them all


def pair_detail_payload(detail: Any) -> dict[str, Any]:
    """One pair with its numbers (``pair``, None when the two did not cooperate in the
    window) and its evidence: ledger entry ids (newest first), shared pools, episodes."""
    p = detail.pair
    full = None
    if p is not None:
        full = pair_payload(p)
        for side in ("a", "b"):
            for part in ("direct", "pools"):
                full[f"in_{side}_{part}"] = getattr(p, f"in_{side}_{part}")
                full[f"out_{side}_{part}"] = getattr(p, f"out_{side}_{part}")
        stats = p.organisation_stats
        full["organisation_stats"] = (
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
    ids = list(detail.entries.values_list("pk", flat=True)[: ENTRY_IDS_MAX + 1])
    return {
        "consortium_id": detail.consortium_id,
        "years": list(detail.years) if detail.years else None,
        "a_id": detail.a.id,
        "b_id": detail.b.id,
        "a_name": detail.a.name,
        "b_name": detail.b.name,
        "pair": full,
        "pools": list(detail.pools),
        "entry_ids": ids[:ENTRY_IDS_MAX],
        "entry_ids_truncated": len(ids) > ENTRY_IDS_MAX,
        "episodes": episode_rows(detail.consortium_id, detail.episodes),
    }


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
    names = unit_names(d)
    share = _finite(d.target_share)
    return {
        "consortium_id": view.consortium_id,
        "consortium_name": d.consortium_name,
        "years": list(d.years) if d.years else None,
        "access": d.access,
        "own_unit_id": view.own_unit_id,
        "computed_at": d.computed_at,
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
        "concentration": {k: _finite(v) for k, v in d.concentration.items()},
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


def province_payload(r: Any) -> dict[str, Any]:
    """One consortium's summary row (the province page and ``GET /api/diagnosis``) from a
    ``ProvinceRow``."""
    counts = {m: int(r.behaviour_counts.get(m, 0)) for m in MODES}
    top = max(counts, key=lambda m: counts[m]) if any(counts.values()) else None
    share = _finite(r.target_share)
    return {
        "consortium_id": r.consortium_id,
        "name": r.name,
        "code": r.code,
        "access": r.access,
        "years": list(r.years) if r.years else None,
        "unit_count": int(r.units),
        "pair_count": int(r.pair_count),
        "target_count": int(r.target_count),
        "target_share": share,
        "target_share_pct": 100 * (share or 0.0),
        "energy": float(r.energy),
        "behaviour_counts": counts,
        "organisation_counts": dict(r.organisation_counts),
        "top_mode": top,
        "top_mode_label": mode_label(top) if top else "",
        "alerts": dict(r.alerts),
        "alert_count": sum(r.alerts.values()),
        "computed_at": r.computed_at,
    }

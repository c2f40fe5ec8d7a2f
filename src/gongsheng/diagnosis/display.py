"""The consortium page's view of a diagnosis: pair rows made on demand, numbers, charts."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.urls import reverse
from django.utils.translation import gettext as _

from gongsheng.core.reasons import reason_text
from gongsheng.diagnosis.charts import (
    MAX_EDGES,
    graph_option,
    mode_bar_option,
    sankey_option,
    trend_option,
)
from gongsheng.diagnosis.labels import (
    ALERT_LABELS,
    ORGANISATION_MODES,
    group_label,
    mode_label,
    organisation_label,
)


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
            url=self.url(p.a, p.b), reason=reason_text(p.reason),
        )  # fmt: skip

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return [self._row(k) for k in self.order[index]]
        return self._row(self.order[index])


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
        self.suppressed_groups = [str(group_label(g)) for g in d.suppressed_groups]
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
                "reason": reason_text(a.reason),
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

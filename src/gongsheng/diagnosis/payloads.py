"""API payloads of the diagnosis (plain types; the schemas in ``schemas.py`` describe them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gongsheng.core.reasons import reason_code, reason_text
from gongsheng.diagnosis.display import (
    ConsortiumDisplay,
    PairRows,
    _finite,
    _key,
    unit_names,
)
from gongsheng.diagnosis.labels import MODES, mode_label
from gongsheng.diagnosis.pair_display import episode_rows


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
        "share": _finite(p.share), "degree_note": reason_text(p.degree_note),
        "degree_note_code": reason_code(p.degree_note),
        "reason": reason_text(p.reason), "reason_code": reason_code(p.reason),
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
                "reason": reason_text(getattr(stats, "reason", "")),
                "reason_code": reason_code(getattr(stats, "reason", None)),
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
        "withheld": bool(detail.withheld),
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
        "reason": reason_text(a.reason),
        "reason_code": reason_code(a.reason),
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
        "suppressed_groups": list(d.suppressed_groups),
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

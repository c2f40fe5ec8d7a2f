"""The scores of a workbook's optional sheets: indicator evaluation and coalition allocation.

Each returns None when its sheets are empty; :func:`evaluation` explains its formulas.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gongsheng.analytics.allocation import core_check, shapley
from gongsheng.analytics.evaluation import coupling_coordination, entropy_weights, topsis
from gongsheng.workbook.model import WorkbookData


def _f(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def evaluation(data: WorkbookData) -> dict[str, Any] | None:
    """Entropy (or given) weights, TOPSIS and coupling coordination of the indicator sheets.

    Weights: the given ones normalised to sum 1, else entropy weights of the min–max
    normalised columns with their directions (``entropy_weights``). Ranking: TOPSIS closeness
    with vector normalisation (``topsis``). With two or more subsystems, each subsystem's index
    U_k = Σ_j w_j·x'_j / Σ_j w_j over its indicators, x' the min–max normalised value
    (reversed for cost indicators) mapped to [0.01, 1] so that no index is exactly 0, and
    the coupling coordination C, T, D (``coupling_coordination``, equal β).
    """
    defs = data.indicator_defs
    if not defs or not data.indicator_subjects:
        return None
    X = np.asarray(data.indicator_values, dtype=float)
    benefit = np.array([d.benefit for d in defs])
    notes: list[str] = []
    if len(data.indicator_subjects) < 2:
        return {"note": "需要至少 2 个评价对象。", "indicators": [d.name for d in defs]}
    if all(d.weight is not None for d in defs):
        w = np.array([d.weight for d in defs], dtype=float)
        w = w / w.sum()
        method = "given"
    else:
        w = entropy_weights(X, benefit)
        method = "entropy"
    closeness = topsis(X, w, benefit)
    labels = {u.code: u.name for u in data.units}
    order = np.argsort(-closeness, kind="stable")
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(1, len(order) + 1)
    out: dict[str, Any] = {
        "weight_method": method,
        "weight_method_zh": "给定权重" if method == "given" else "熵权法",
        "normalization": "vector",
        "indicators": [
            {
                "name": d.name,
                "benefit": d.benefit,
                "direction_zh": "正向" if d.benefit else "负向",
                "subsystem": d.subsystem,
                "weight": float(wi),
            }
            for d, wi in zip(defs, w, strict=True)
        ],
        "subjects": [
            {"subject": s, "label": labels.get(s, s), "closeness": _f(c), "rank": int(r)}
            for s, c, r in zip(data.indicator_subjects, closeness, rank, strict=True)
        ],
        "coupling": None,
        "notes": notes,
    }
    subsystems = list(dict.fromkeys(d.subsystem for d in defs if d.subsystem))
    if len(subsystems) >= 2 and all(d.subsystem for d in defs):
        lo, hi = X.min(axis=0), X.max(axis=0)
        span = np.where(hi > lo, hi - lo, 1.0)
        scaled = np.where(benefit, (X - lo) / span, (hi - X) / span)
        scaled = np.where(hi > lo, 0.01 + 0.99 * scaled, 1.0)
        U = np.column_stack(
            [
                (scaled[:, m] * w[m]).sum(axis=1) / max(w[m].sum(), 1e-300)
                for m in (np.array([d.subsystem == s for d in defs]) for s in subsystems)
            ]
        )
        cc = coupling_coordination(U)
        out["coupling"] = {
            "subsystems": subsystems,
            "rows": [
                {
                    "subject": s,
                    "U": [float(x) for x in U[k]],
                    "C": float(cc.C[k]),
                    "T": float(cc.T[k]),
                    "D": float(cc.D[k]),
                    "level": str(cc.level[k]),
                    "level_code": int(cc.level_code[k]),
                    "stage": str(cc.stage[k]),
                }
                for k, s in enumerate(data.indicator_subjects)
            ],
        }
    elif subsystems:
        notes.append("耦合协调度需要每个指标都有子系统，且至少 2 个子系统。")
    return out


def allocation(data: WorkbookData) -> dict[str, Any] | None:
    """Shapley value of the coalition game in the coalitions sheet, with the core check."""
    if not data.coalitions:
        return None
    order = {u.code: i for i, u in enumerate(data.units)}
    players = sorted(set().union(*data.coalitions), key=order.__getitem__)
    n = len(players)
    index = {p: i for i, p in enumerate(players)}
    v = np.zeros(2**n)
    for members, value in data.coalitions.items():
        v[sum(1 << index[m] for m in members)] = value
    phi = shapley(v)
    core = core_check(v, phi, atol=1e-6 * max(1.0, abs(v[-1])))
    names = {u.code: u.name for u in data.units}
    return {
        "players": [
            {
                "code": p,
                "name": names[p],
                "alone": float(v[1 << i]),
                "shapley": float(phi[i]),
                "share": float(phi[i] / v[-1]) if v[-1] else None,
                "gain_over_alone": float(phi[i] - v[1 << i]),
            }
            for i, p in enumerate(players)
        ],
        "grand_value": float(v[-1]),
        "surplus": float(v[-1] - sum(v[1 << i] for i in range(n))),
        "in_core": bool(core.in_core),
        "individually_rational": bool(core.individually_rational),
        "max_excess": _f(core.max_excess),
    }

"""Run the analyses a checked workbook allows and gather every number into one plain dict.

* the symbiosis diagnosis (:func:`gongsheng.analytics.diagnosis.diagnose`): pairs, modes,
  energy, units, consortium totals, trends and alerts; the symbiosis degree and share where
  the series sheet gives quality parameters;
* evaluation (:mod:`gongsheng.analytics.evaluation`) where the indicator sheets are filled:
  entropy (or given) weights, TOPSIS closeness and rank, and with two or more subsystems the
  coupling coordination degree;
* Shapley allocation (:mod:`gongsheng.analytics.allocation`) where coalition values are given.

Nothing here re-implements a model: it maps workbook rows onto the analytics functions and
labels the results in Chinese for the report. The dict is JSON-ready (``report.json``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gongsheng.analytics.allocation import core_check, shapley
from gongsheng.analytics.diagnosis import OUTSIDE as ENGINE_OUTSIDE
from gongsheng.analytics.diagnosis import DiagnosisSettings, diagnose
from gongsheng.analytics.evaluation import coupling_coordination, entropy_weights, topsis
from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode
from gongsheng.workbook import schema
from gongsheng.workbook.model import OUTSIDE, WorkbookData
from gongsheng.workbook.texts import reason_text

GROUP_ZH = {code: zh for code, (zh, _) in schema.GROUPS.items()}
BEHAVIOUR_ZH = {m.value: m.label for m in BehaviourMode}
ORGANISATION_ZH = {**{m.value: m.label for m in OrganisationMode}, "none": "无合作事件"}
ALERT_ZH = {
    "free_rider": "搭便车",
    "parasitic_pair": "寄生关系",
    "inactive_member": "联而不合",
    "school_hot_enterprise_cold": "校热企冷",
    "concentration": "过度依赖少数单位",
}
#: the steps reported to a progress callback, in order
STEPS = ("诊断共生关系", "评价指标", "联盟分配", "整理结果")

Progress = Callable[[str], None]


def _f(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _yuan(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f} 元"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def engine_settings(settings: dict[str, Any]) -> DiagnosisSettings:
    """The diagnosis settings from the workbook's settings sheet."""
    keys = DiagnosisSettings.__dataclass_fields__
    return DiagnosisSettings(**{k: v for k, v in settings.items() if k in keys})


def engine_inputs(data: WorkbookData) -> dict[str, Any]:
    """The workbook's rows as the column tables :func:`diagnose` takes (units get ids 0…n−1)."""
    ids = {u.code: i for i, u in enumerate(data.units)}
    pools = {p.code for p in data.pools}
    direct: dict[str, list] = {"giver": [], "receiver": [], "value": [], "period": []}
    p_in: dict[str, list] = {"pool": [], "unit": [], "value": [], "period": []}
    p_out: dict[str, list] = {"pool": [], "unit": [], "value": [], "period": []}

    def uid(code: str) -> int:
        return ENGINE_OUTSIDE if code == OUTSIDE else ids[code]

    for f in data.flows:
        y = f.date.year
        if f.receiver in pools:
            rows, row = p_in, (f.receiver, uid(f.giver))
        elif f.giver in pools:
            rows, row = p_out, (f.giver, uid(f.receiver))
        else:
            rows = direct
            direct["giver"].append(uid(f.giver))
            direct["receiver"].append(uid(f.receiver))
            direct["value"].append(f.value)
            direct["period"].append(y)
            continue
        rows["pool"].append(row[0])
        rows["unit"].append(row[1])
        rows["value"].append(f.value)
        rows["period"].append(y)
    episodes = {
        "a": [ids[e.a] for e in data.episodes],
        "b": [ids[e.b] for e in data.episodes],
        "start": [e.start for e in data.episodes],
        "end": [e.end for e in data.episodes],
        "dimension": [e.dimension for e in data.episodes],
        "joint_body": [e.joint_body for e in data.episodes],
    }
    series: dict[str, list[Any]] = {"unit": [], "period": [], "value": []}
    for code, values in data.series.items():
        for year, v in values:
            series["unit"].append(ids[code])
            series["period"].append(year)
            series["value"].append(v)
    years = [f.date.year for f in data.flows]
    y0 = data.settings.get("year_from") or (min(years) if years else None)
    y1 = data.settings.get("year_to") or (max(years) if years else None)
    return {
        "units": {
            "id": list(range(len(data.units))),
            "name": [u.name for u in data.units],
            "group": [u.group for u in data.units],
            "lead": [u.lead for u in data.units],
        },
        "direct": direct,
        "pool_inputs": p_in,
        "pool_outputs": p_out,
        "episodes": episodes if data.episodes else None,
        "series": series if series["unit"] else None,
        "years": (int(y0), int(y1)) if y0 and y1 else None,
    }


# --------------------------------------------------------------------------------------
# the parts
# --------------------------------------------------------------------------------------
def _diagnosis(data: WorkbookData) -> dict[str, Any]:
    settings = engine_settings(data.settings)
    args = engine_inputs(data)
    d = diagnose(
        args["units"],
        direct=args["direct"],
        pool_inputs=args["pool_inputs"],
        pool_outputs=args["pool_outputs"],
        episodes=args["episodes"],
        series=args["series"],
        years=args["years"],
        settings=settings,
    )
    codes = [u.code for u in data.units]
    names = {i: u.name for i, u in enumerate(data.units)}
    units = []
    for u in d.units:
        row = u.as_dict()
        row["code"] = codes[u.id]
        row["group_zh"] = GROUP_ZH[u.group]
        del row["id"]
        units.append({"code": row.pop("code"), **row})
    pairs = []
    for p in d.pairs:
        row = p.as_dict()
        row["a"], row["b"] = codes[p.a], codes[p.b]
        row["a_group_zh"], row["b_group_zh"] = GROUP_ZH[p.a_group], GROUP_ZH[p.b_group]
        row["behaviour_zh"] = BEHAVIOUR_ZH[row["behaviour"]]
        org = row["organisation"] or "none"
        row["organisation_zh"] = ORGANISATION_ZH[org]
        stats = row["organisation_stats"]
        if stats:
            stats["reason_zh"] = reason_text(stats["reason_code"])
        row["gaining_name"] = {
            "first": p.a_name,
            "second": p.b_name,
            "both": "双方",
            "neither": "无",
        }[row["gaining"]]
        row["tolerance"] = settings.tolerance
        row["reason_zh"] = reason_text(p.reason)
        row["degree_note_zh"] = reason_text(p.degree_note)
        pairs.append(row)
    alerts = []
    for a in d.alerts:
        row = a.as_dict()
        if a.kind == "concentration":
            row["hhi"] = d.concentration.hhi
            row["top_share"] = d.concentration.top_share
        row["units"] = [codes[i] for i in a.units]
        row["unit_names"] = [names[i] for i in a.units]
        row["kind_zh"] = ALERT_ZH.get(a.kind, a.kind)
        row["reason_zh"] = reason_text(a.reason)
        alerts.append(row)
    whole = d.as_dict()
    consortium = {
        k: whole[k]
        for k in (
            "behaviour_counts",
            "organisation_counts",
            "target_count",
            "target_share",
            "energy",
            "energy_by_group",
            "groups",
            "flow_matrix",
            "inputs_by_group",
            "outputs_by_group",
            "concentration",
        )
    }
    consortium["pairs"] = len(pairs)
    consortium["inputs"] = float(sum(u.inputs for u in d.units))
    consortium["outputs"] = float(sum(u.outputs for u in d.units))
    top = d.concentration.top_index
    consortium["concentration"]["top_unit"] = codes[top] if top >= 0 else None
    return {
        "window": {"years": whole["years"], "days": whole["window"]},
        "settings": whole["settings"],
        "units": units,
        "pairs": pairs,
        "consortium": consortium,
        "trends": whole["trends"],
        "alerts": alerts,
    }


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


def analyse(data: WorkbookData, progress: Progress | None = None) -> dict[str, Any]:
    """Every analysis the workbook allows, as one JSON-ready dict (see the module docstring)."""
    step = progress or (lambda _s: None)
    step(STEPS[0])
    report = _diagnosis(data)
    step(STEPS[1])
    report["evaluation"] = evaluation(data)
    step(STEPS[2])
    report["allocation"] = allocation(data)
    step(STEPS[3])
    notes = []
    if not data.episodes:
        notes.append("没有合作事件表：无法判断组织共生模式。")
    if not data.series:
        notes.append("没有质参量表：不计算共生度和共生分配系数。")
    if report["evaluation"] is None:
        notes.append("没有指标表：不做综合评价。")
    if report["allocation"] is None:
        notes.append("没有联盟价值表：不做 Shapley 分配。")
    from gongsheng import __version__

    report["meta"] = {
        "source": data.source_name,
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "generator": f"gongsheng analyze {__version__}",
        "units": len(data.units),
        "pools": len(data.pools),
        "flows": len(data.flows),
        "episodes": len(data.episodes),
        "notes": notes,
    }
    order = (
        "meta",
        "window",
        "settings",
        "consortium",
        "units",
        "pairs",
        "alerts",
        "trends",
        "evaluation",
        "allocation",
    )
    return {k: report[k] for k in order}

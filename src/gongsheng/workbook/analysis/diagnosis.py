"""The symbiosis diagnosis of a workbook: its rows as the engine's tables, the result in Chinese.

:func:`engine_inputs` maps the workbook onto :func:`gongsheng.analytics.diagnosis.diagnose`
(units get ids 0…n−1); :func:`diagnosis` runs it and labels units, pairs and alerts by code
and in Chinese for the report.
"""

from __future__ import annotations

from typing import Any

from gongsheng.analytics.diagnosis import OUTSIDE as ENGINE_OUTSIDE
from gongsheng.analytics.diagnosis import DiagnosisSettings, diagnose
from gongsheng.workbook.analysis.labels import (
    ALERT_ZH,
    BEHAVIOUR_ZH,
    GROUP_ZH,
    ORGANISATION_ZH,
)
from gongsheng.workbook.model import OUTSIDE, WorkbookData
from gongsheng.workbook.texts import reason_text


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


def diagnosis(data: WorkbookData) -> dict[str, Any]:
    """Pairs, units, alerts, the whole consortium and its trends, labelled for the report."""
    settings = engine_settings(data.settings)
    d = diagnose(**engine_inputs(data), settings=settings)
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

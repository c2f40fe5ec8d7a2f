"""The Chinese words and sentences of an analysis report: groups, modes, alerts and their reasons.

The engine speaks English codes; the report says each in Chinese, and says why with the
numbers behind each verdict (:func:`pair_reason_zh`, :func:`alert_reason_zh`).
"""

from __future__ import annotations

from typing import Any

from gongsheng.analytics.diagnosis import DiagnosisSettings
from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode
from gongsheng.workbook import schema

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
#: Chinese for the reasons of ``describe_organisation``
ORGANISATION_REASON_ZH = {
    "a joint body lasting over the window": "共建实体覆盖了分析窗口的大部分",
    "sustained cooperation in many dimensions": "多个维度的持续合作",
    "sustained cooperation without long gaps": "持续合作，没有长间隔",
    "repeated separate episodes": "多次相互分开的合作",
    "a single episode": "单次合作",
    "no episode in the window": "窗口内没有合作事件",
}


def yuan(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f} 元"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def pair_reason_zh(p: dict[str, Any]) -> str:
    """One Chinese sentence with the numbers behind a pair's behavioural verdict."""

    def side(name, g, rel):
        verb = "获益" if (g or 0) >= 0 else "受损"
        rel_s = f"，相对收益 {pct(rel)}" if rel is not None else "，没有投入"
        return f"{name}{verb} {yuan(abs(g or 0))}{rel_s}"

    text = (
        f"{p['behaviour_zh']}：{side(p['a_name'], p['gain_a'], p['relative_gain_a'])}；"
        f"{side(p['b_name'], p['gain_b'], p['relative_gain_b'])}；"
        f"共生能量 {yuan(p['energy'])}（流量 {yuan(p['flow'])}，"
        f"±{yuan((p['flow'] or 0) * p['tolerance'])} 内视为 0）"
    )
    if p["behaviour"] == "parasitism":
        text += f"；{p['gaining_name']}为寄生方"
    elif p["behaviour"] == "commensalism":
        text += f"；仅{p['gaining_name']}获益"
    riders = [
        n for n, f in ((p["a_name"], p["free_rider_a"]), (p["b_name"], p["free_rider_b"])) if f
    ]
    if riders:
        text += f"；{'、'.join(riders)}没有投入（搭便车）"
    return text + "。"


def alert_reason_zh(a: dict[str, Any], names: dict[int, str], settings: DiagnosisSettings) -> str:
    """One Chinese sentence for an alert of the engine."""
    who = [names[i] for i in a["units"]]
    v, t = a["value"], a["threshold"]
    if a["kind"] == "free_rider":
        return f"{who[0]}有产出而几乎没有投入（投入 {yuan(v)}，不超过 {yuan(t)} 视为没有投入）。"
    if a["kind"] == "parasitic_pair":
        return (
            f"{who[0]}与{who[1]}之间为寄生关系：{who[1]}受损 {yuan(-(v or 0))}，{who[0]}为寄生方。"
        )
    if a["kind"] == "inactive_member":
        if v is None:
            return f"{who[0]}在分析窗口内没有任何合作事件（联而不合）。"
        return f"{who[0]}已 {v:.1f} 个月没有联合活动（上限 {t:.0f} 个月），联而不合。"
    if a["kind"] == "school_hot_enterprise_cold":
        return f"企业投入仅为学校投入的 {v:.2f} 倍（低于 {t:.2f}），校热企冷。"
    if a["kind"] == "concentration":
        return (
            f"投入过度集中：赫芬达尔指数 {settings_hhi(a, settings)}，"
            f"最大投入单位为{who[0]}（阈值 HHI {settings.hhi_max:.2f}、"
            f"最大占比 {pct(settings.top_share_max)}）。"
        )
    return a["reason"]


def settings_hhi(a: dict[str, Any], settings: DiagnosisSettings) -> str:
    return f"{a['hhi']:.3f}" if a.get("hhi") is not None else f"{a['value']:.3f}"

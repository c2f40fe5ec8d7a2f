"""The Chinese words and sentences of an analysis report: groups, modes, alerts and their reasons.

The engine speaks English codes; the report says each in Chinese. The reasons behind each
verdict are rendered from the engine's reason codes by :func:`gongsheng.workbook.texts.reason_text`.
"""

from __future__ import annotations

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

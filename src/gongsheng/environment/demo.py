"""Demo policies and incentives for the demo consortium (deterministic, synthetic where marked).

Eight measures over the demo's years (2023–2026) that give the register, the game's incentive
amounts and the before/after comparison something to show:

* the national rules for 产教融合型企业 (发改社会〔2019〕590号) and its tax credit: 30 % of the
  investment in vocational education credited against 教育费附加 and 地方教育附加
  (财税〔2019〕46号) — the tax incentive T;
* the park's "金融+财政+土地+信用" combination for certified enterprises from 2025 (synthetic):
  a fiscal reward per certified enterprise (G_e), loan-interest subsidies (G_e), land for a
  shared training base (G_e) and credit-rating incentives (no amount);
* enterprise apprenticeship subsidies per apprentice (人社部发〔2021〕39号, municipal amounts
  synthetic) — G_e;
* a provincial fund for schools' productive training bases, a total over 2025–2027 — G_s;
* penalties on enterprises that break the internship rules (教职成〔2021〕4号) — P_e;
* a negative one: the park's tighter rule on new industrial land (2026), which keeps new
  training bases off fresh land.

Everything goes through the services (actor ``None`` = the system).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import Q

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.environment import services
from gongsheng.environment.models import PublicPolicy


def _specs(u: dict[str, Unit]) -> list[dict[str, Any]]:
    def ids(*names: str) -> list[int]:
        return [u[n].pk for n in names if n in u]

    return [
        {
            "title": "建设产教融合型企业实施办法（试行）",
            "number": "发改社会〔2019〕590号",
            "issuer": "国家发展改革委、教育部", "level": "national", "kind": "other",
            "instrument": "requirement", "target_groups": ["enterprise"],
            "issued_on": dt.date(2019, 3, 28), "effective_from": dt.date(2019, 3, 28),
            "classification": "positive",
            "classification_reason": "给参与办学的企业以“金融+财政+土地+信用”组合式激励的资格",
            "notes": "认定条件与程序；组合式激励由各地落实。",
        },
        {
            "title": "产教融合型企业投资额30%抵免教育费附加和地方教育附加",
            "number": "财税〔2019〕46号",
            "issuer": "财政部", "level": "national", "kind": "tax", "instrument": "tax_relief",
            "target_groups": ["enterprise"], "issued_on": dt.date(2019, 4, 2),
            "effective_from": dt.date(2019, 1, 1), "amount": "30", "amount_basis": "percentage",
            "quantity": "2400000",
            "classification": "positive",
            "classification_reason": "企业投入职业教育的30%可抵免应缴附加，降低企业合作成本",
            "notes": "数量为本联合体认定企业每年符合条件的投资额合计（演示估计）。",
        },
        {
            "title": "滨江经开区产教融合型企业奖补办法（演示）",
            "number": "滨经开发〔2024〕18号",
            "issuer": "滨江经济技术开发区管理委员会（演示）", "level": "park", "kind": "fiscal",
            "instrument": "reward", "target_units": ids("滨江风电", "滨江齿轮", "江南叶片"),
            "issued_on": dt.date(2024, 11, 20), "effective_from": dt.date(2025, 1, 1),
            "effective_to": dt.date(2027, 12, 31), "amount": "500000",
            "amount_basis": "per_unit", "classification": "positive",
            "classification_reason": "对认定的产教融合型企业每家每年奖励50万元",
        },
        {
            "title": "产教融合型企业贷款贴息（演示）",
            "number": "滨经开发〔2024〕19号",
            "issuer": "滨江经济技术开发区管理委员会（演示）", "level": "park",
            "kind": "finance", "instrument": "credit_support", "target_groups": ["enterprise"],
            "issued_on": dt.date(2024, 11, 20), "effective_from": dt.date(2025, 1, 1),
            "effective_to": dt.date(2027, 12, 31), "amount": "1200000",
            "amount_basis": "per_year", "classification": "positive",
            "classification_reason": "实训设备与基地建设贷款按LPR的50%贴息，年度上限120万元",
        },
        {
            "title": "共享实训基地建设用地保障（演示）",
            "number": "滨自然资〔2025〕7号",
            "issuer": "滨江市自然资源和规划局（演示）", "level": "municipal", "kind": "land",
            "instrument": "land_supply", "target_units": ids("江南叶片"),
            "issued_on": dt.date(2025, 2, 10), "effective_from": dt.date(2025, 3, 1),
            "effective_to": dt.date(2028, 2, 29), "amount": "3600000", "amount_basis": "total",
            "classification": "positive",
            "classification_reason": "以协议出让价优惠供地建设叶片共享实训基地，折合优惠360万元",
        },
        {
            "title": "产教融合型企业信用激励（演示）",
            "number": "滨信用办〔2025〕3号",
            "issuer": "滨江市社会信用体系建设领导小组办公室（演示）", "level": "municipal",
            "kind": "credit", "instrument": "other", "target_groups": ["enterprise"],
            "effective_from": dt.date(2025, 1, 1), "classification": "positive",
            "classification_reason": "纳入守信激励名单，审批绿色通道",
        },
        {
            "title": "企业新型学徒制培训补贴",
            "number": "人社部发〔2021〕39号",
            "issuer": "滨江市人力资源和社会保障局（演示）", "level": "municipal",
            "kind": "employment", "instrument": "subsidy", "target_groups": ["enterprise"],
            "issued_on": dt.date(2023, 12, 15), "effective_from": dt.date(2024, 1, 1),
            "amount": "6000", "amount_basis": "per_student", "quantity": "120",
            "classification": "positive",
            "classification_reason": "每名学徒每年补贴6000元，直接支持企业带徒",
        },
        {
            "title": "职业院校生产性实训基地建设专项资金（演示）",
            "number": "江南教财〔2024〕45号",
            "issuer": "江南省教育厅、江南省财政厅（演示）", "level": "provincial",
            "kind": "fiscal", "instrument": "subsidy", "target_groups": ["school"],
            "issued_on": dt.date(2024, 12, 1), "effective_from": dt.date(2025, 1, 1),
            "effective_to": dt.date(2027, 12, 31), "amount": "3000000", "amount_basis": "total",
            "classification": "positive",
            "classification_reason": "三年300万元支持院校与企业共建生产性实训基地",
        },
        {
            "title": "职业学校学生实习管理规定（违规处罚）",
            "number": "教职成〔2021〕4号",
            "issuer": "教育部等八部门", "level": "national", "kind": "other",
            "instrument": "penalty", "target_groups": ["enterprise"],
            "issued_on": dt.date(2021, 12, 31), "effective_from": dt.date(2022, 1, 1),
            "amount": "20000", "amount_basis": "per_project", "quantity": "2",
            "classification": "neutral",
            "notes": "按每起违规2万元、每年约2起估计（演示）。",
        },
        {
            "title": "严格控制新增工业用地、存量用地优先（演示）",
            "number": "滨经开发〔2025〕40号",
            "issuer": "滨江经济技术开发区管理委员会（演示）", "level": "park", "kind": "land",
            "instrument": "requirement", "target_groups": ["enterprise", "school"],
            "issued_on": dt.date(2025, 11, 1), "effective_from": dt.date(2026, 1, 1),
            "classification": "negative",
            "classification_reason": "新建实训基地不再获得新增用地，联合体扩建受限",
        },
    ]  # fmt: skip


def load_demo_data(*, consortium: Consortium, units: dict[str, Unit], rng: random.Random) -> dict:
    """Load the demo policies into ``consortium`` (``units`` keyed by short name)."""
    created = 0
    with transaction.atomic():
        for spec in _specs(units):
            spec = dict(spec)
            unit_ids = spec.pop("target_units", None)
            if unit_ids is not None and not unit_ids:
                continue  # the named units are not in this demo
            services.policy_create(
                actor=SYSTEM, consortium_id=consortium.pk, target_unit_ids=unit_ids,
                is_demo=True, **spec,
            )  # fmt: skip
            created += 1
    return {"policies": created}


def remove_demo_data() -> None:
    """Delete the demo policies."""
    with transaction.atomic():
        qs = PublicPolicy.objects.filter(Q(is_demo=True) | Q(consortium__is_demo=True))
        PublicPolicy.target_units.through.objects.filter(publicpolicy__in=qs).delete()
        qs.delete()

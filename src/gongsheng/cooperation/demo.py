"""Demo projects, contracts and IP for the demo consortium (deterministic, synthetic).

Several years (2023–2026) of history that gives pairs of units recognisable patterns:

* integrated — 滨江职院 × 滨江风电: an industrial college run as a lasting joint body, one
  yearly phase after another, both sides putting in and getting out (balanced: graduates to
  the enterprise; service income, equipment, awards and teachers trained to the school, so
  that gain / input is about equal — the diagnosis's target state, symmetric mutualism);
* sustained — 江南机电职院 × 滨江齿轮: an apprenticeship every year (both gain, unequally);
* repeated — 滨江交职院 × 滨江轴承: order classes in 2023 and 2025 (the school covers its
  costs, the enterprise gains: commensalism);
* one-off — 滨江理工 × 江南控制: one commissioned R&D project (2024; both gain, unequally);
* lopsided — 江南叶片 puts a training base into 滨江一职 and gets little back (parasitism);
* free rider — 滨江数字孪生 receives a platform's outputs without putting anything in;
* an IP dispute — 江南运维, a general licensee of a co-owned patent, sublicenses it to
  滨江数字孪生: the rules engine flags it and the secretariat gets an alert;
* a project terminated after approval, and projects still in draft, proposed and review.

Everything goes through the services (actor ``None`` = the system), so the ledger entries,
audit entries and alerts are the ones real use would make.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.cooperation import services
from gongsheng.cooperation.choices import PROJECT_TRANSITIONS
from gongsheng.cooperation.models import (
    Contract,
    IPAsset,
    IPRecordedAction,
    Licence,
    Project,
)

#: consortium-level valuation rules the demo needs (categories without a platform price)
DEMO_RULES = {
    "expert_hours": "300", "equipment": "50000", "posts": "6000", "graduates_trained": "20000",
    "graduates_employed": "30000", "workers_trained": "1500", "patents_ip": "100000",
    "problems_solved": "80000", "buildings_bases": "400", "awards": "50000",
}  # fmt: skip
#: the industrial college's yearly technical-service and training income (CNY), set so that
#: both partners' relative gains (gain / input) come out about equal: the target state
COLLEGE_INCOME = 1540000
_PATH = ["proposed", "feasibility", "approved", "contracted", "in_progress", "acceptance",
         "closed"]  # fmt: skip


def _rules(consortium: Consortium) -> None:
    from gongsheng.ledger.models import Category, ValuationRule
    from gongsheng.ledger.services import rule_create

    for code, value in DEMO_RULES.items():
        cat = Category.objects.filter(code=code, consortium__isnull=True).first()
        if cat is None:
            continue
        if ValuationRule.objects.filter(
            Q(consortium=consortium) | Q(consortium__isnull=True), category=cat,
            effective_from__lte=dt.date(2023, 1, 1),
        ).exists():  # fmt: skip
            continue
        rule_create(
            actor=SYSTEM, category_id=cat.pk, consortium_id=consortium.pk,
            effective_from=dt.date(2022, 1, 1), unit_value=Decimal(value),
            basis="演示估值规则",
        )  # fmt: skip


def _project(
    consortium: Consortium,
    units: dict[str, Unit],
    rng: random.Random,
    *,
    name: str,
    type: str,
    lead: str,
    start: dt.date,
    end: dt.date,
    status: str,
    partners: tuple[tuple[str, str], ...] = (),
    inputs: tuple[tuple[str, str, float], ...] = (),  # (unit, category, actual)
    outputs: tuple[tuple[str, str, str, float], ...] = (),  # (title, category, receiver, qty)
    reason: str = "",
    code: str = "",
) -> Project:
    p = services.project_create(
        actor=SYSTEM, consortium_id=consortium.pk, name=name, type=type, code=code,
        lead_unit_id=units[lead].pk, starts_on=start, ends_on=end,
        description="演示项目（合成数据）。", is_demo=True,
    )  # fmt: skip
    for short, role in partners:
        services.participant_add(actor=SYSTEM, project_id=p.pk, unit_id=units[short].pk, role=role)
    for short, category, actual in inputs:
        committed = Decimal(str(round(actual * rng.uniform(1.0, 1.3), 0)))
        services.input_record(
            actor=SYSTEM, project_id=p.pk, unit_id=units[short].pk, category=category,
            committed=committed, actual=Decimal(str(actual)), on=start + dt.timedelta(days=30),
        )  # fmt: skip
    money = sum(Decimal(str(a)) for _s, c, a in inputs if c == "money")
    if money:
        services.budget_line_add(actor=SYSTEM, project_id=p.pk, source="enterprise",
                                 amount=money * Decimal("0.6"))  # fmt: skip
        services.budget_line_add(actor=SYSTEM, project_id=p.pk, source="government",
                                 amount=money * Decimal("0.4"))  # fmt: skip
    span = (end - start).days
    for i, title in enumerate(("方案论证", "中期检查", "成果验收")):
        services.milestone_save(
            actor=SYSTEM, project_id=p.pk, title=title,
            due_on=start + dt.timedelta(days=span * (i + 1) // 3),
            progress=100 if status in ("acceptance", "closed") or (i == 0 and status != "draft")
            else rng.choice((20, 40, 60)) if status == "in_progress" else 0,
        )  # fmt: skip
    # move along the lifecycle, dated across the project's term
    target = _PATH.index(status) if status in _PATH else None
    steps = _PATH[: target + 1] if target is not None else []
    if status == "terminated":
        steps = _PATH[:3]  # terminated after approval
    n = max(len(steps), 1)
    on = start
    for i, step in enumerate(steps):
        on = start + dt.timedelta(days=span * i // n)
        if step == "acceptance":
            for title, category, receiver, qty in outputs:
                services.output_record(
                    actor=SYSTEM, project_id=p.pk, title=title, category=category,
                    quantity=Decimal(str(qty)), receiver_id=units[receiver].pk, on=on,
                )  # fmt: skip
        p = services.project_move(actor=SYSTEM, project_id=p.pk, to_status=step, version=None,
                                  on=on, reason="演示")  # fmt: skip
    if status == "terminated":
        assert "terminated" in PROJECT_TRANSITIONS[p.status]
        p = services.project_move(
            actor=SYSTEM,
            project_id=p.pk,
            to_status="terminated",
            version=None,
            on=on + dt.timedelta(days=60),
            reason=reason,
        )
    return p


def _projects(consortium: Consortium, u: dict[str, Unit], rng: random.Random) -> list[Project]:
    out: list[Project] = []
    # integrated: the industrial college, a phase a year, both sides in and out
    for year in (2023, 2024, 2025, 2026):
        out.append(_project(
            consortium, u, rng, name=f"滨江风电产业学院{year}年度建设", type="industrial_college",
            code=f"CYXY-{year}", lead="滨江职院", start=dt.date(year, 2, 1),
            end=dt.date(year, 12, 31), status="in_progress" if year == 2026 else "closed",
            partners=(("滨江风电", "partner"),),
            inputs=(("滨江职院", "expert_hours", 1200 + 100 * (year - 2023)),
                    ("滨江职院", "buildings_bases", 1000),
                    ("滨江风电", "money", 800000 + 50000 * (year - 2023)),
                    ("滨江风电", "expert_hours", 600), ("滨江风电", "posts", 40)),
            outputs=(("产业学院毕业生", "graduates_trained", "滨江风电", 45 + 5 * (year - 2023)),
                     ("留企就业毕业生", "graduates_employed", "滨江风电", 18),
                     ("横向技术服务与社会培训收入", "service_income", "滨江职院", COLLEGE_INCOME),
                     ("企业投入实训设备（产权归学校）", "equipment", "滨江职院", 12),
                     ("教学成果奖与技能大赛获奖", "awards", "滨江职院", 2),
                     ("双师型教师企业培训", "workers_trained", "滨江职院", 60),
                     ("教师企业实践", "expert_hours", "滨江职院", 400)),
        ))  # fmt: skip
    # sustained: an apprenticeship every year
    for year in (2023, 2024, 2025, 2026):
        out.append(_project(
            consortium, u, rng, name=f"齿轮装配现代学徒制{year}级", type="apprenticeship",
            lead="江南机电职院", start=dt.date(year, 3, 1), end=dt.date(year, 12, 20),
            status="acceptance" if year == 2026 else "closed",
            partners=(("滨江齿轮", "partner"),),
            inputs=(("江南机电职院", "expert_hours", 500), ("滨江齿轮", "expert_hours", 450),
                    ("滨江齿轮", "posts", 20)),
            outputs=(("学徒结业", "graduates_trained", "滨江齿轮", 18),
                     ("企业导师授课", "expert_hours", "江南机电职院", 200),
                     ("学徒培养费", "service_income", "江南机电职院", 180000)),
        ))  # fmt: skip
    # repeated: order classes in 2023 and 2025
    for year in (2023, 2025):
        out.append(_project(
            consortium, u, rng, name=f"精密轴承订单班{year}", type="order_class",
            lead="滨江交职院", start=dt.date(year, 9, 1), end=dt.date(year + 1, 6, 30),
            status="closed", partners=(("滨江轴承", "partner"),),
            inputs=(("滨江交职院", "expert_hours", 300), ("滨江轴承", "money", 120000)),
            outputs=(("订单班毕业生", "graduates_employed", "滨江轴承", 25),
                     ("订单班培养费", "service_income", "滨江交职院", 100000)),
        ))  # fmt: skip
    # one-off: a commissioned R&D project
    out.append(_project(
        consortium, u, rng, name="变桨控制算法联合攻关", type="joint_rd", code="JSGG-2024-01",
        lead="江南控制", start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31), status="closed",
        partners=(("滨江理工", "partner"),),
        inputs=(("江南控制", "money", 600000), ("滨江理工", "expert_hours", 1600)),
        outputs=(("变桨控制算法及样机验证", "problems_solved", "江南控制", 8),
                 ("横向科研经费结余", "service_income", "滨江理工", 600000),
                 ("发明专利申请", "patents_ip", "滨江理工", 1),
                 ("省科技进步奖", "awards", "滨江理工", 1)),
    ))  # fmt: skip
    # lopsided: the blade maker builds a training base at the vocational school
    out.append(_project(
        consortium, u, rng, name="叶片制造实训基地共建", type="training_base",
        lead="滨江一职", start=dt.date(2023, 5, 1), end=dt.date(2025, 6, 30), status="closed",
        partners=(("江南叶片", "partner"),),
        inputs=(("江南叶片", "equipment", 12), ("江南叶片", "money", 1500000),
                ("滨江一职", "buildings_bases", 800)),
        outputs=(("实训基地（学校受益）", "buildings_bases", "滨江一职", 3000),
                 ("实训学生", "workers_trained", "滨江一职", 400),
                 ("输送学徒", "graduates_employed", "江南叶片", 3)),
    ))  # fmt: skip
    # the free rider: 滨江数字孪生 receives outputs without inputs
    out.append(_project(
        consortium, u, rng, name="风机数字孪生运维平台技术服务", type="tech_service",
        lead="滨江风电研究院", start=dt.date(2024, 1, 10), end=dt.date(2025, 12, 31),
        status="closed",
        partners=(("江南运维", "partner"), ("滨江数字孪生", "beneficiary")),
        inputs=(("滨江风电研究院", "expert_hours", 2000), ("江南运维", "money", 400000),
                ("滨江数字孪生", "money", 0)),
        outputs=(("运维数据平台", "problems_solved", "江南运维", 6),
                 ("平台使用权与数据", "problems_solved", "滨江数字孪生", 2),
                 ("技术服务收入", "service_income", "滨江风电研究院", 750000),
                 ("平台相关专利", "patents_ip", "滨江风电研究院", 2)),
    ))  # fmt: skip
    # terminated after approval: what was given stays in the ledger
    out.append(_project(
        consortium, u, rng, name="储能变流一体化样机研制", type="joint_rd", lead="江南储能",
        start=dt.date(2024, 6, 1), end=dt.date(2025, 12, 31), status="terminated",
        partners=(("江南能源大学", "partner"),),
        inputs=(("江南储能", "money", 200000), ("江南能源大学", "expert_hours", 300)),
        reason="合作方技术路线调整，双方协商终止",
    ))  # fmt: skip
    # early stages
    for name, type_, lead, partner, status in (
        ("海上风电运维技能社会培训", "social_training", "公共实训中心", "江南运维", "proposed"),
        ("风电装备专业群课程共建", "curriculum", "江南职大", "滨江电机", "feasibility"),
        ("风电装调技能大赛", "competition", "滨江机电学校", "滨江风能协会", "draft"),
        ("教师风电企业实践计划", "teacher_practice", "经开区职高", "江南塔筒", "approved"),
    ):
        out.append(_project(
            consortium, u, rng, name=name, type=type_, lead=lead, start=dt.date(2026, 3, 1),
            end=dt.date(2026, 12, 31), status=status, partners=((partner, "partner"),),
            inputs=((lead, "expert_hours", 200), (partner, "expert_hours", 120)),
        ))  # fmt: skip
    return out


def _contracts_and_ip(
    consortium: Consortium, u: dict[str, Unit], projects: dict[str, Project]
) -> dict[str, Any]:
    def party(short: str, role: str, share: str | None = None) -> dict[str, Any]:
        return {"unit_id": u[short].pk, "role": role,
                "share": None if share is None else Decimal(share)}  # fmt: skip

    college = services.contract_create(
        actor=SYSTEM, consortium_id=consortium.pk, title="滨江风电产业学院共建协议",
        code="HT-2023-001", type="framework", status="in_force", signed_on=dt.date(2023, 1, 15),
        starts_on=dt.date(2023, 2, 1), ends_on=dt.date(2028, 1, 31), value=Decimal("5000000"),
        benefit_method="fixed", terms="双方共建共管产业学院，收益按固定比例分享（演示）。",
        project_id=projects["滨江风电产业学院2026年度建设"].pk,
        parties=[party("滨江职院", "school", "0.5"), party("滨江风电", "enterprise", "0.5")],
        is_demo=True,
    )  # fmt: skip
    services.obligation_add(actor=SYSTEM, contract_id=college.pk, unit_id=u["滨江风电"].pk,
                            description="每年提供不少于40个实习岗位",
                            due_on=dt.date(2026, 9, 1))  # fmt: skip
    ob = services.obligation_add(actor=SYSTEM, contract_id=college.pk, unit_id=u["滨江职院"].pk,
                                 description="完成产业学院专业人才培养方案",
                                 due_on=dt.date(2023, 6, 30))  # fmt: skip
    services.obligation_fulfil(actor=SYSTEM, obligation_id=ob.pk, on=dt.date(2023, 6, 20))
    services.contract_update(
        actor=SYSTEM,
        contract_id=college.pk,
        version=None,
        benefit_method="by_input",
        note="2024年理事会决议：改为按投入分享",
    )
    pitch = services.contract_create(
        actor=SYSTEM, consortium_id=consortium.pk, title="变桨控制算法委托开发合同",
        code="HT-2024-017", type="commissioned_dev", status="ended",
        signed_on=dt.date(2024, 3, 20), starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2025, 3, 31), value=Decimal("600000"),
        project_id=projects["变桨控制算法联合攻关"].pk,
        parties=[party("江南控制", "commissioning"), party("滨江理工", "developer")],
        is_demo=True,
    )  # fmt: skip
    services.ip_clause_add(actor=SYSTEM, contract_id=pitch.pk, ref="第9.2条", action="publish",
                           outcome="consent", unit_id=u["滨江理工"].pk,
                           text="开发方发表论文须经委托方书面同意")  # fmt: skip
    twin = services.contract_create(
        actor=SYSTEM, consortium_id=consortium.pk, title="数字孪生运维平台合作开发合同",
        code="HT-2024-002", type="cooperative_dev", status="ended",
        signed_on=dt.date(2024, 1, 5), starts_on=dt.date(2024, 1, 10),
        ends_on=dt.date(2025, 12, 31), value=Decimal("400000"),
        project_id=projects["风机数字孪生运维平台技术服务"].pk,
        parties=[party("滨江风电研究院", "co_developer"), party("滨江风电", "co_developer")],
        is_demo=True,
    )  # fmt: skip
    services.contract_create(
        actor=SYSTEM, consortium_id=consortium.pk, title="精密轴承订单班实习协议",
        code="HT-2023-031", type="internship", status="ended", signed_on=dt.date(2023, 8, 20),
        starts_on=dt.date(2023, 9, 1), ends_on=dt.date(2024, 6, 30), value=Decimal("120000"),
        parties=[party("滨江交职院", "school"), party("滨江轴承", "enterprise")], is_demo=True,
    )  # fmt: skip
    algo = services.ip_asset_create(
        actor=SYSTEM, consortium_id=consortium.pk, title="一种风机变桨自适应控制方法",
        kind="patent_application", number="CN2025XXXXXXX.X（演示）", origin="commissioned",
        contract_id=pitch.pk, project_id=projects["变桨控制算法联合攻关"].pk,
        value=Decimal("300000"), owners=[(u["滨江理工"].pk, Decimal(1))], is_demo=True,
    )  # fmt: skip
    patent = services.ip_asset_create(
        actor=SYSTEM, consortium_id=consortium.pk, title="风机健康状态数字孪生评估方法",
        kind="patent", number="ZL2024XXXXXXX.X（演示）", origin="cooperative",
        contract_id=twin.pk, project_id=projects["风机数字孪生运维平台技术服务"].pk,
        patented=True, value=Decimal("800000"),
        owners=[(u["滨江风电研究院"].pk, Decimal("0.6")), (u["滨江风电"].pk, Decimal("0.4"))],
        is_demo=True,
    )  # fmt: skip
    services.ip_asset_create(
        actor=SYSTEM, consortium_id=consortium.pk, title="叶片铺层工艺诀窍", kind="know_how",
        origin="own", value=Decimal("200000"), owners=[(u["江南叶片"].pk, Decimal(1))],
        is_demo=True,
    )  # fmt: skip
    # Art. 14: a co-owner grants a general licence alone — allowed
    lic = services.licence_grant(
        actor=SYSTEM, asset_id=patent.pk, licensor_id=u["滨江风电研究院"].pk,
        licensee_id=u["江南运维"].pk, kind="general", starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2028, 2, 28), field_of_use="海上风电运维", territory="江南省",
        fee=Decimal("150000"),
    )  # fmt: skip
    # the dispute: the general licensee passes the technology on
    services.licence_grant(
        actor=SYSTEM, asset_id=patent.pk, licensor_id=u["江南运维"].pk,
        licensee_id=u["滨江数字孪生"].pk, kind="general", starts_on=dt.date(2025, 9, 1),
        field_of_use="陆上风电运维", territory="滨江市", fee=Decimal("60000"), parent_id=lic.pk,
        note="未经专利权人同意的再许可（演示纠纷）",
    )  # fmt: skip
    # the developer files its own application (Art. 859) — allowed
    services.ip_action_record(actor=SYSTEM, asset_id=algo.pk, unit_id=u["滨江理工"].pk,
                              action="file", on=dt.date(2025, 4, 10))  # fmt: skip
    return {"contracts": 4, "ip_assets": 3, "licences": 2}


def load_demo_data(*, consortium: Consortium, units: dict[str, Unit], rng: random.Random) -> dict:
    """Load the cooperation demo into ``consortium`` (``units`` keyed by short name)."""
    with transaction.atomic():
        _rules(consortium)
        projects = _projects(consortium, units, rng)
        summary = _contracts_and_ip(consortium, units, {p.name: p for p in projects})
    return {"projects": len(projects), **summary}


def remove_demo_data() -> None:
    """Delete the cooperation demo rows and the ledger entries they caused."""
    from gongsheng.alerts.models import Alert
    from gongsheng.ledger.models import LedgerEntry

    projects = Project.objects.filter(Q(is_demo=True) | Q(consortium__is_demo=True))
    assets = IPAsset.objects.filter(Q(is_demo=True) | Q(consortium__is_demo=True))
    with transaction.atomic():
        entries = LedgerEntry.objects.filter(
            source_type="cooperation.project",
            source_id__in=list(projects.values_list("pk", flat=True)),
        )
        entries.filter(reverses__isnull=False)._demo_delete()
        entries._demo_delete()
        actions = IPRecordedAction.objects.filter(asset__in=assets)
        Alert.objects.filter(
            source_type="cooperation.iprecordedaction",
            source_id__in=list(actions.values_list("pk", flat=True)),
        ).delete()
        actions.delete()
        Licence.objects.filter(asset__in=assets, parent__isnull=False).delete()
        Licence.objects.filter(asset__in=assets).delete()
        assets.delete()
        Contract.objects.filter(Q(is_demo=True) | Q(consortium__is_demo=True)).delete()
        projects.delete()

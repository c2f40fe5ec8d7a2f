"""Demo benefit-distribution study (deterministic, synthetic).

A 2025 joint project of 滨江职院, 滨江风电 and 滨江风电研究院 (a talent and technology
programme for wind-farm maintenance), made through the cooperation services so its ledger
flows are real, and one study of it with values from the ledger:

* the total to distribute: the project's outputs in 2025 (ledger);
* v({滨江职院, 滨江风电}): the industrial college's yearly phases since 2023 (ledger, three
  projects, scaled from the three-year history to the one-year study);
* the twin platform's pool is left out (江南运维 took part and is no player);
* the singletons and the other pairs have no history: entered (by the system, in the demo);
* risk and effort entered, λ by AHP; computed; the Shapley shares saved into the project's
  benefit-sharing agreement (a new contract version).

Loaded after ``gongsheng.cooperation.demo`` (it needs its units, valuation rules and college
projects), removed before it.
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
from gongsheng.distribution import services
from gongsheng.distribution.models import Study

PROJECT_NAME = "风电运维人才与技术联合培养（2025）"
_PATH = ["proposed", "feasibility", "approved", "contracted", "in_progress", "acceptance",
         "closed"]  # fmt: skip


def _project(consortium: Consortium, u: dict[str, Unit]) -> Any:
    from gongsheng.cooperation import services as coop

    start, end = dt.date(2025, 3, 1), dt.date(2025, 12, 31)
    p = coop.project_create(
        actor=SYSTEM, consortium_id=consortium.pk, name=PROJECT_NAME, type="joint_rd",
        code="LHPY-2025-01", lead_unit_id=u["滨江职院"].pk, starts_on=start, ends_on=end,
        description="演示项目（合成数据）：收益分配研究的对象。",
        is_demo=True,
    )  # fmt: skip
    for short in ("滨江风电", "滨江风电研究院"):
        coop.participant_add(actor=SYSTEM, project_id=p.pk, unit_id=u[short].pk)
    on = start + dt.timedelta(days=20)
    for short, category, actual in (
        ("滨江职院", "expert_hours", 900), ("滨江职院", "buildings_bases", 600),
        ("滨江风电", "money", 450000), ("滨江风电", "posts", 15),
        ("滨江风电研究院", "expert_hours", 1500),
    ):  # fmt: skip
        coop.input_record(actor=SYSTEM, project_id=p.pk, unit_id=u[short].pk, category=category,
                          committed=Decimal(actual), actual=Decimal(actual), on=on)  # fmt: skip
    done = dt.date(2025, 12, 15)
    for title, category, receiver, qty in (
        ("运维技能毕业生", "graduates_employed", "滨江风电", 60),
        ("齿轮箱故障诊断难题", "problems_solved", "滨江风电", 12),
        ("技术服务收入", "service_income", "滨江风电研究院", 600000),
        ("教学案例与实训项目", "expert_hours", "滨江职院", 500),
    ):
        coop.output_record(actor=SYSTEM, project_id=p.pk, title=title, category=category,
                           quantity=Decimal(qty), receiver_id=u[receiver].pk, on=done)  # fmt: skip
    span = (end - start).days
    for i, step in enumerate(_PATH):
        p = coop.project_move(actor=SYSTEM, project_id=p.pk, to_status=step, version=None,
                              on=start + dt.timedelta(days=span * i // len(_PATH)),
                              reason="演示")  # fmt: skip
    return p


def load_demo_data(*, consortium: Consortium, units: dict[str, Unit], rng: random.Random) -> dict:
    """One project study in ``consortium`` (``units`` keyed by short name)."""
    from gongsheng.cooperation import services as coop

    del rng  # deterministic without it
    u = units
    with transaction.atomic():
        project = _project(consortium, u)
        study = services.study_create(
            actor=SYSTEM, consortium_id=consortium.pk, scope="project", project_id=project.pk,
            title="联合培养项目收益分配（2025）", history_from=dt.date(2023, 1, 1),
            is_demo=True,
        )  # fmt: skip
        labels = list(study.players.values_list("label", flat=True))
        pos = {label: i for i, label in enumerate(labels)}
        school, enterprise, institute = (
            1 << pos[_label(u["滨江职院"])], 1 << pos[_label(u["滨江风电"])],
            1 << pos[_label(u["滨江风电研究院"])],
        )  # fmt: skip
        estimates = {  # standalone values the secretariat estimated (no ledger history)
            school: "120000", enterprise: "380000", institute: "150000",
            school | institute: "330000", enterprise | institute: "700000",
        }  # fmt: skip
        filled = {m: v for m, v in estimates.items()
                  if study.coalitions.get(mask=m).source == "missing"}  # fmt: skip
        study = services.coalition_values_set(
            actor=SYSTEM, study_id=study.pk, version=None, values=filled
        )
        study = services.player_factors_set(
            actor=SYSTEM, study_id=study.pk, version=None,
            factors={pos[_label(u["滨江职院"])]: {"risk": "2", "effort": "4"},
                     pos[_label(u["滨江风电"])]: {"risk": "5", "effort": "3"},
                     pos[_label(u["滨江风电研究院"])]: {"risk": "2", "effort": "3"}},
        )  # fmt: skip
        study = services.study_update(
            actor=SYSTEM, study_id=study.pk, version=None, weight_method="ahp",
            ahp_matrix=[[1, 0.5, 2], [2, 1, 3], [0.5, 1 / 3, 1]],
        )  # fmt: skip
        services.study_compute(actor=SYSTEM, study_id=study.pk)
        contract = coop.contract_create(
            actor=SYSTEM, consortium_id=consortium.pk, project_id=project.pk,
            title="风电运维联合培养收益分享协议", code="HT-2025-009", type="cooperative_dev",
            status="in_force", signed_on=dt.date(2025, 2, 20), starts_on=dt.date(2025, 3, 1),
            ends_on=dt.date(2026, 2, 28), value=Decimal("1200000"),
            terms="收益按理事会批准的收益分配研究结果分享（演示）。",
            parties=[{"unit_id": u[s].pk, "role": "co_developer"}
                     for s in ("滨江职院", "滨江风电", "滨江风电研究院")],
            is_demo=True,
        )  # fmt: skip
        services.study_save_to_contract(
            actor=SYSTEM, study_id=study.pk, contract_id=contract.pk, method="shapley",
            contract_version=None,
        )  # fmt: skip
    return {"distribution_studies": 1}


def _label(unit: Unit) -> str:
    return unit.short_name or unit.name


def remove_demo_data() -> None:
    """Delete the demo studies (the demo project and contract go with the cooperation demo)."""
    with transaction.atomic():
        Study.objects.filter(Q(is_demo=True) | Q(consortium__is_demo=True)).delete()

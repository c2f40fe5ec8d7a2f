"""Demo scenarios for the demo consortium: the illustrative game and two policy variants.

Saved through the service (actor ``None`` = the system), so the audit entries are the ones
real use would make. The Logistic fit needs years of ledger history (decision 0706); the demo
ledger's years are fitted live on the dynamics page, not saved here.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.modelling import services
from gongsheng.modelling.models import Scenario
from gongsheng.modelling.runs import default_game_parameters

VARIANTS = [
    ("示例参数（命令行默认值）", "`gongsheng game` 命令的示例参数。", {}),
    ("企业违约罚金提高到 3", "P_e = 3 > C_e − G_e − T = 2.5：(1, 1, 1) 成为唯一的 ESS。",
     {"p_e": 3.0}),
    ("学校补贴提高到 2.2", "G_s = 2.2 ≥ 2：(0, 0, 1) 也不再稳定。", {"g_s": 2.2}),
]  # fmt: skip


def load_demo_data(*, consortium: Consortium, units: dict[str, Unit], rng: random.Random) -> dict:
    """Save the demo game scenarios into ``consortium``."""
    saved = 0
    with transaction.atomic():
        for name, note, change in VARIANTS:
            data: dict[str, Any] = {**default_game_parameters(), **change, "grid": 4}
            services.scenario_save(
                actor=SYSTEM, consortium_id=consortium.pk, kind="game", name=name, note=note,
                data=data,
            )  # fmt: skip
            saved += 1
    return {"scenarios": saved}


def remove_demo_data() -> None:
    """Delete the scenarios of demo consortia."""
    with transaction.atomic():
        Scenario.objects.filter(consortium__is_demo=True).delete()

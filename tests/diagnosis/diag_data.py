"""Flows and episodes for the diagnosis tests, built through the services on the test world.

Consortium A (the 3-unit example of tests/analytics/test_diagnosis.py, with the world's
units: school = 1, ent = 2, gov = 3): in 2024 school puts 100 and ent 300 into pool
``project:diag``, which pays 200 to school and 400 to gov; school gives ent 10 directly.
A contract in force over 2024 binds ent and school. Consortium B: x gives 50 to outside.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gongsheng.access.actors import SYSTEM
from gongsheng.ledger.services import Party, entry_create

POOL = "project:diag"


def post(world: Any, day: str, giver: Party, receiver: Party, value: int, consortium=None) -> Any:
    return entry_create(
        actor=SYSTEM,
        consortium_id=(consortium or world.a).pk,
        date=dt.date.fromisoformat(day),
        category="money",
        quantity=Decimal(value),
        giver=giver,
        receiver=receiver,
    )


def build(world: Any) -> dict[str, Any]:
    from gongsheng.cooperation.services import contract_create

    u = {k: v.pk for k, v in world.units.items()}
    unit, pool = Party.unit, Party.of_pool
    post(world, "2024-03-01", unit(u["school"]), pool(POOL), 100)
    post(world, "2024-03-02", unit(u["ent"]), pool(POOL), 300)
    post(world, "2024-06-01", pool(POOL), unit(u["school"]), 200)
    post(world, "2024-06-02", pool(POOL), unit(u["gov"]), 400)
    direct = post(world, "2024-02-01", unit(u["school"]), unit(u["ent"]), 10)
    post(world, "2024-05-01", unit(u["x"]), Party("outside"), 50, consortium=world.b)
    contract = contract_create(
        actor=SYSTEM,
        consortium_id=world.a.pk,
        title="Training agreement",
        type="talent_training",
        status="in_force",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 12, 31),
        parties=[
            {"unit_id": u["ent"], "role": "enterprise", "share": Decimal("0.5")},
            {"unit_id": u["school"], "role": "school", "share": Decimal("0.5")},
        ],
    )
    return {"u": u, "contract": contract, "direct": direct}

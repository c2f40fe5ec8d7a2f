"""The modelling demo loader saves its game scenarios in the game page's units and removes
them again."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.ledger.services import Party, entry_create
from gongsheng.modelling import demo, selectors
from gongsheng.modelling.models import Scenario

from .support import corner_ess, post_outputs, synthetic_series

pytestmark = pytest.mark.django_db


def test_load_and_remove(world):
    world.a.is_demo = True
    world.a.save(update_fields=["is_demo"])
    post_outputs(world, synthetic_series(6), first_year=2020)  # ledger years 2020–2025
    for year in (2023, 2024, 2025):  # and what schools and enterprises put in
        for unit, value in (("school", "150000"), ("ent", "210000")):
            entry_create(
                actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(year, 3, 31),
                category="money", quantity=Decimal(value),
                giver=Party.unit(world.units[unit].pk), receiver=Party.outside(),
            )  # fmt: skip
    summary = demo.load_demo_data(consortium=world.a, units=world.units, rng=random.Random(1))
    assert summary == {"scenarios": 3}
    scenarios = list(Scenario.objects.order_by("pk"))
    start = scenarios[0].inputs
    # the game page's starting values for the ledger's last year, not the illustrative ones
    prefill = selectors.game_prefill(user=SYSTEM, consortium_id=world.a.pk, year=2025)
    assert start["year"] == 2025 and start["scale"] == 10_000
    assert start["params"] == {k: v for k, v in selectors.game_start(prefill).items()
                               if k in start["params"]}  # fmt: skip
    assert start["params"]["delta_r"] != 10.0 and prefill.default_years == [2023, 2024, 2025]
    for s in scenarios:
        assert s.result["ess"] == corner_ess(s.inputs["params"]), s.name
    assert (
        scenarios[1].inputs["params"] | {"g_e": start["params"]["g_e"], "t": start["params"]["t"]}
        == start["params"]
    )
    demo.remove_demo_data()
    assert not Scenario.objects.exists()

"""The modelling demo loader saves its game scenarios and removes them again."""

from __future__ import annotations

import random

import pytest

from gongsheng.modelling import demo
from gongsheng.modelling.models import Scenario

pytestmark = pytest.mark.django_db


def test_load_and_remove(world):
    world.a.is_demo = True
    world.a.save(update_fields=["is_demo"])
    summary = demo.load_demo_data(consortium=world.a, units=world.units, rng=random.Random(1))
    assert summary == {"scenarios": 3}
    ess = {s.name: s.result["ess"] for s in Scenario.objects.all()}
    assert ess["企业违约罚金提高到 3"] == ["(1, 1, 1)"]
    assert ess["示例参数（命令行默认值）"] == ["(0, 0, 1)", "(1, 1, 1)"]
    assert ess["学校补贴提高到 2.2"] == ["(1, 1, 1)"]
    demo.remove_demo_data()
    assert not Scenario.objects.exists()

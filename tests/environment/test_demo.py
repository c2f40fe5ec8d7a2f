"""The demo loader: realistic policies over the demo's years, the game's amounts from them,
removable."""

from __future__ import annotations

import random

import pytest

from gongsheng.consortia.models import Consortium, Unit
from gongsheng.environment import demo
from gongsheng.environment.models import PublicPolicy
from gongsheng.environment.selectors import incentive_amounts

pytestmark = pytest.mark.django_db


def test_demo_policies_feed_the_game_and_go_away():
    from gongsheng.access.models import User
    from gongsheng.consortia.demo import load_demo

    load_demo()
    main = Consortium.objects.get(code="binjiang-wind")
    units = {u.short_name: u for u in Unit.objects.filter(is_demo=True)}
    summary = demo.load_demo_data(consortium=main, units=units, rng=random.Random(7))
    assert summary == {"policies": 10}
    kinds = set(PublicPolicy.objects.values_list("kind", flat=True))
    assert {"finance", "fiscal", "tax", "land", "credit", "employment"} <= kinds
    assert PublicPolicy.objects.filter(classification="negative").count() == 1
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "env-demo-admin", password="correct-horse-9"
    )
    params = incentive_amounts(user=admin, consortium_id=main.pk, year=2025)["parameters"]
    # 500000 × 3 enterprises + 1200000 + 3600000 × 306/1096 + 6000 × 120
    assert params["G_e"]["amount"] == pytest.approx(4_425_109.49)
    assert params["T"]["amount"] == 720_000.0  # 30 % × 2400000
    assert params["G_s"]["amount"] == 1_000_000.0  # 3000000 × 365/1095
    assert params["P_e"]["amount"] == 40_000.0 and params["P_s"]["amount"] == 0.0
    before = incentive_amounts(user=admin, consortium_id=main.pk, year=2023)["parameters"]
    assert before["G_e"]["amount"] == 0.0 and before["T"]["amount"] == 720_000.0
    demo.remove_demo_data()
    assert not PublicPolicy.objects.exists()

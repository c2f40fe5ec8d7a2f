"""Demo scenarios for the demo consortium: the game page's starting values and two policy
variants, in the page's units (万元).

The starting values are the page's (``selectors.game_start``): ΔR, α, the costs, spill-overs,
C_g and L from the consortium's ledger, the incentives from its policies, in the ledger's last
year. Saved through the service as the system, so the audit entries are the ones real use
would make. The Logistic fit needs years of ledger history (decision 0706); the demo ledger's
years are fitted live on the dynamics page, not saved here.
"""

from __future__ import annotations

import math
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.modelling import selectors, services
from gongsheng.modelling.models import Scenario


def _n(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _cmp(a: float, b: float) -> str:
    return f"{_n(a)} {'<' if a < b else '≥'} {_n(b)}"


def variants(start: dict[str, Any]) -> list[tuple[str, str, dict[str, float]]]:
    """(name, note, changed parameters) of the demo's scenarios from the page's ``start``.

    The notes give the conditions the variants turn on, with the amounts; a consequence for
    the ESS only where the corner's conditions all hold (Δ_s, Δ_e, Δ_g as in
    ``analytics.games.government_school_enterprise``)."""
    p = start
    gain_s, gain_e = (
        p["alpha"] * p["delta_r"] - p["s_s"],
        (1 - p["alpha"]) * p["delta_r"] - p["s_e"],
    )
    # the subsidy to enterprises above which an active government pays more than it gains at
    # (1, 1, 1): G_s + G_e + T > L − C_g, rounded up to a round amount with 5 % to spare
    g_e = math.ceil((p["l"] - p["c_g"] - p["g_s"] - p["t"]) * 1.05 / 50) * 50
    unit = "万元" if p["scale"] == 10_000 else f"{p['scale']:,} 元"
    locked = (  # (0, 0, 1) without the enterprise incentives
        p["g_s"] + p["p_s"] < p["c_s"] and p["p_e"] < p["c_e"]
        and p["l"] - p["c_g"] + p["p_s"] + p["p_e"] > 0
    )  # fmt: skip
    passive = (
        p["g_s"] + g_e + p["t"] > p["l"] - p["c_g"] and gain_s > p["c_s"] and gain_e > p["c_e"]
    )
    return [
        (
            f"{p['year']} 年的台账与政策（{unit}）",
            "游戏页的起始值：ΔR、α、成本、溢出、C_g 与 L 取自联合体台账最近三年的平均，"
            f"激励取自 {p['year']} 年有效的政策。",
            {},
        ),
        (
            "取消企业补贴和税收优惠",
            f"G_e = T = 0：企业在政府积极时单独合作，P_e − C_e 与 0 相比："
            f"{_cmp(p['p_e'] - p['c_e'], 0)}。"
            + ("(0, 0, 1) 成为演化稳定策略。" if locked else ""),
            {"g_e": 0.0, "t": 0.0},
        ),
        (
            f"企业补贴{'提高' if g_e > p['g_e'] else '降低'}到 {_n(g_e)}",
            f"L − C_g 与 G_s + G_e + T 相比：{_cmp(p['l'] - p['c_g'], p['g_s'] + g_e + p['t'])}。"
            + ("政府积极得不偿失，(1, 1, 0) 是演化稳定策略。" if passive else ""),
            {"g_e": float(g_e)},
        ),
    ]


def load_demo_data(*, consortium: Consortium, units: dict[str, Unit], rng: random.Random) -> dict:
    """Save the demo game scenarios into ``consortium``."""
    series = selectors.group_series(user=SYSTEM, consortium_id=consortium.pk)
    year = series.years[-1] if series.years else timezone.localdate().year
    prefill = selectors.game_prefill(user=SYSTEM, consortium_id=consortium.pk, year=year)
    start = selectors.game_start(prefill)
    saved = 0
    with transaction.atomic():
        for name, note, change in variants(start):
            data: dict[str, Any] = {**start, **change, "grid": 4}
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

"""Benchmark: a sweep of 10,000 values of one parameter of the three-party game.

Ours (corner eigenvalues in closed form, vectorised over the values) against the loop people
would otherwise write: build the game for every value and type its equilibria one by one
(timed on 200 values; multiply by 50 for 10,000).
"""

from __future__ import annotations

import numpy as np
import pytest

from gongsheng.analytics.games import DEFAULT_PARAMETERS, government_school_enterprise, sweep

BASE = {k: v for k, v in DEFAULT_PARAMETERS["government_school_enterprise"].items() if k != "p_e"}
VALUES = np.linspace(0.0, 5.0, 10_000)


@pytest.mark.benchmark(group="three-party sweep")
def test_sweep_10000_values_vectorised(benchmark):
    res = benchmark(sweep, "government_school_enterprise", "p_e", VALUES, params=BASE)
    assert res.threshold == pytest.approx(2.5, rel=1e-9)


def _loop(values):
    out = []
    for v in values:
        game = government_school_enterprise(**BASE, p_e=v)
        out.append([e.x for e in game.equilibria() if e.type == "ess"])
    return out


@pytest.mark.benchmark(group="three-party sweep")
def test_sweep_loop_over_games_200_values(benchmark):
    out = benchmark.pedantic(_loop, args=(VALUES[::50],), rounds=3, iterations=1)
    assert len(out) == 200


@pytest.mark.benchmark(group="three-party sweep with basins")
def test_sweep_100_values_with_basins(benchmark):
    res = benchmark.pedantic(
        sweep, args=("government_school_enterprise", "p_e", VALUES[::100]),
        kwargs={"params": BASE, "basins": True, "grid": 4}, rounds=1, iterations=1,
    )  # fmt: skip
    assert res.basin_shares.shape == (100, 8)

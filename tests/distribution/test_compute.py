"""The side-by-side computation against hand-computed 3-player games (no database)."""

from __future__ import annotations

import pytest

from gongsheng.distribution.compute import GameInput, compute, game_array


def glove(**kw):
    # player 0 holds a left glove, players 1 and 2 a right one; a pair is worth 1
    values = {1: 0, 2: 0, 4: 0, 3: 1, 5: 1, 6: 0, 7: 1}
    return GameInput(labels=["L", "R1", "R2"], total=1.0, values=values, **kw)


def textbook(**kw):
    # v(i) = 0, v(12) = 90, v(13) = 80, v(23) = 70, v(N) = 120: the core is the single point
    # (50, 40, 30) since x(12) + x(13) + x(23) >= 240 = 2 v(N)
    values = {1: 0, 2: 0, 4: 0, 3: 90, 5: 80, 6: 70, 7: 120}
    return GameInput(labels=["1", "2", "3"], total=120.0, values=values, **kw)


def test_glove_game():
    r = compute(glove(inputs=[1, 1, 1]))
    sh = r["methods"]["shapley"]
    assert sh["values"] == pytest.approx([4 / 6, 1 / 6, 1 / 6])
    # the core is {(1, 0, 0)}: {L, R1} gets 5/6 < 1 and blocks
    assert sh["core"]["in_core"] is False
    assert sh["core"]["blocking"] == [0, 1] and sh["core"]["excess"] == pytest.approx(1 / 6)
    nash = r["methods"]["nash"]  # d = 0, equal powers: equal split
    assert nash["values"] == pytest.approx([1 / 3] * 3)
    assert r["input_shares"] == pytest.approx([1 / 3] * 3)
    assert sh["flags"] == [True, True, True]  # 2/3 vs 1/3, 1/6 vs 1/3
    assert r["methods"]["input"]["core"]["in_core"] is False


def test_textbook_shapley_core_and_nash():
    r = compute(textbook(inputs=[2, 1, 1], risk=[1, 1, 2], effort=[1, 1, 1], powers=[2, 1, 1]))
    m = r["methods"]
    assert m["shapley"]["values"] == pytest.approx([45, 40, 35])
    assert m["shapley"]["core"]["blocking"] == [0, 1]
    assert m["shapley"]["core"]["excess"] == pytest.approx(5)
    assert m["nash"]["values"] == pytest.approx([60, 30, 30])  # d = 0, powers 2:1:1
    # K = (1/3)(risk/4 + input/4 + effort/3): 0.36111, 0.27778, 0.36111
    assert m["modified"]["values"] == pytest.approx([45 + 10 / 3, 40 - 20 / 3, 35 + 10 / 3])
    assert m["modified"]["weights"]["weights"] == pytest.approx(
        {"risk": 1 / 3, "input": 1 / 3, "effort": 1 / 3}
    )
    core_point = compute(textbook(inputs=[50, 40, 30]))["methods"]["input"]
    assert core_point["values"] == pytest.approx([50, 40, 30])
    assert core_point["core"]["in_core"] is True


def test_entropy_weights_of_the_factors():
    # risk and effort constant: no information, the whole weight goes to input
    r = compute(textbook(inputs=[2, 1, 1], risk=[1, 1, 1], effort=[3, 3, 3],
                         weight_method="entropy"))  # fmt: skip
    w = r["methods"]["modified"]["weights"]["weights"]
    assert w == pytest.approx({"risk": 0, "input": 1, "effort": 0})
    # then K = input shares (.5, .25, .25): phi + (K - 1/3) * 120
    assert r["methods"]["modified"]["values"] == pytest.approx([65, 30, 25])


def test_nash_refuses_when_singletons_exceed_the_total():
    g = textbook()
    g.values = {**g.values, 1: 100, 2: 50}
    r = compute(g)
    assert "no agreement improves on disagreement" in r["methods"]["nash"]["error"]
    assert "input" in r["methods"]["input"]["error"] or "inputs" in r["methods"]["input"]["error"]


def test_pairwise_array_is_the_full_game_for_three_players():
    g = textbook(pairwise=True)
    full = game_array(textbook())
    assert game_array(g).tolist() == pytest.approx(full.tolist())
    four = GameInput(labels=list("abcd"), total=10.0, pairwise=True,
                     values={1: 1, 2: 2, 4: 3, 8: 4, 3: 4, 5: 4, 9: 5, 6: 5, 10: 6, 12: 7})  # fmt: skip
    v = game_array(four)
    # v(abc) = 1 + 2 + 3 + e_ab (1) + e_ac (0) + e_bc (0) = 7
    assert v[7] == pytest.approx(7) and v[15] == 10

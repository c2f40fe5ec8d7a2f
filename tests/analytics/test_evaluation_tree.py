"""Tests of gongsheng.analytics.evaluation.IndicatorTree and Indicator."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from gongsheng.analytics.evaluation import (
    Indicator,
    IndicatorTree,
    ahp,
    critic_weights,
    entropy_weights,
)

X3 = np.array([[0.8, 15.0, 0.0], [0.6, 12.0, 0.0], [0.9, 14.0, 1.0]])


def small_tree(**kwargs):
    return IndicatorTree(
        [
            Indicator("A", "师资", weight=0.6),
            Indicator("B", "安全", weight=0.4),
            Indicator("A1", "双师比例", parent="A"),
            Indicator("A2", "生师比", parent="A", direction="cost"),
            Indicator("B1", "安全事故", parent="B", direction="cost", veto=True, threshold=0),
        ],
        **kwargs,
    )


class TestIndicator:
    def test_defaults_and_pairwise_frozen(self):
        ind = Indicator("A", pairwise=[[1, 2], [0.5, 1]])
        assert ind.direction == "benefit" and not ind.veto
        assert ind.pairwise == ((1.0, 2.0), (0.5, 1.0))
        with pytest.raises(AttributeError):
            ind.code = "B"

    def test_rejects(self):
        with pytest.raises(ValueError, match="`direction` must be one of 'benefit', 'cost'"):
            Indicator("A", direction="up")
        with pytest.raises(ValueError, match="`method` must be one of 'entropy'"):
            Indicator("A", method="dea")
        with pytest.raises(ValueError, match="veto indicator but has no threshold"):
            Indicator("A", veto=True)
        with pytest.raises(ValueError, match="`weight` must be a non-negative number"):
            Indicator("A", weight=-1)
        with pytest.raises(ValueError, match="`code` must be a non-empty string"):
            Indicator("")


class TestIndicatorTree:
    def test_scores_by_hand(self):
        r = small_tree().evaluate(X3, entities=["甲", "乙", "丙"])
        # A1: (2/3, 0, 1); A2 (cost): (0, 1, 1/3); A = mean; B1 (cost): (1, 1, 0)
        assert_allclose(r.score("A"), [1 / 3, 1 / 2, 2 / 3])
        assert_allclose(r.overall, [0.6, 0.7, 0.4])
        assert r.passed.tolist() == [True, True, False]
        assert r.veto_codes == ("B1",)
        assert r.veto_failures[:, 0].tolist() == [False, False, True]
        assert r.ranks.tolist() == [2, 1, 3]
        assert r.entities == ("甲", "乙", "丙")
        assert_allclose(r.global_weights[[r.codes.index(c) for c in r.leaf_codes]], [0.3, 0.3, 0.4])

    def test_veto_fails_whatever_the_score(self):
        X = X3.copy()
        X[2, :2] = [1.0, 10.0]  # best on every other indicator
        r = small_tree().evaluate(X)
        assert r.overall[2] > r.overall[:2].max()  # 0.6 against 0.55 and 0.58
        assert r.ranks[2] == 3 and not r.passed[2]

    def test_entropy_and_critic_groups(self):
        X = np.random.default_rng(0).random((8, 3))
        tree = IndicatorTree(
            [
                Indicator("G", method="entropy"),
                Indicator("x", parent="G"),
                Indicator("y", parent="G"),
                Indicator("z", parent="G", direction="cost"),
            ]
        )
        r = tree.evaluate(X)
        assert_allclose(r.local_weights[1:], entropy_weights(X, [True, True, False]), rtol=1e-12)
        tree_c = IndicatorTree(
            [Indicator("x"), Indicator("y"), Indicator("z", direction="cost")], method="critic"
        )
        r = tree_c.evaluate(X)
        assert_allclose(r.local_weights, critic_weights(X, [True, True, False]), rtol=1e-12)
        assert_allclose(r.overall, r.scores @ r.local_weights)

    def test_ahp_group(self):
        A = [[1, 3], [1 / 3, 1]]
        tree = IndicatorTree(
            [
                Indicator("P", method="ahp", pairwise=A),
                Indicator("a", parent="P"),
                Indicator("b", parent="P"),
            ]
        )
        assert_allclose(tree.consistency["P"].weights, ahp(A).weights)
        r = tree.evaluate([[0.0, 1.0], [1.0, 0.0]])
        assert_allclose(r.score("P"), [0.25, 0.75])
        assert r.group_methods == {None: "equal", "P": "ahp"}

    def test_normalization_none_and_constant_columns(self):
        tree = IndicatorTree([Indicator("a", weight=1), Indicator("b", weight=1, direction="cost")])
        r = tree.evaluate([[0.9, 0.2], [0.5, 0.6]], normalization="none")
        assert_allclose(r.overall, [0.85, 0.45])
        r = tree.evaluate([[1.0, 3.0], [2.0, 3.0]])
        assert_allclose(r.score("b"), [1.0, 1.0])

    def test_parents_after_children_and_deep_tree(self):
        tree = IndicatorTree(
            [
                Indicator("a11", parent="a1"),
                Indicator("a12", parent="a1"),
                Indicator("a1", parent="a"),
                Indicator("a2", parent="a"),
                Indicator("a"),
            ]
        )
        assert tree.leaf_codes == ("a11", "a12", "a2")
        r = tree.evaluate([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
        assert_allclose(r.overall, [0.0, 1.0, 0.25])

    def test_rejects_bad_trees(self):
        with pytest.raises(ValueError, match="duplicate code 'a'"):
            IndicatorTree([Indicator("a"), Indicator("a")])
        with pytest.raises(ValueError, match="unknown parent 'zz'"):
            IndicatorTree([Indicator("a", parent="zz")])
        with pytest.raises(ValueError, match="cycle"):
            IndicatorTree([Indicator("a", parent="b"), Indicator("b", parent="a"), Indicator("c")])
        with pytest.raises(ValueError, match="apply to leaves only"):
            IndicatorTree([Indicator("a", direction="cost"), Indicator("b", parent="a")])
        with pytest.raises(ValueError, match=r"uses given weights, but \['b'\] have none"):
            IndicatorTree([Indicator("a", weight=1), Indicator("b")], method="given")
        with pytest.raises(ValueError, match="uses AHP but has no pairwise matrix"):
            IndicatorTree([Indicator("a"), Indicator("b")], method="ahp")
        with pytest.raises(ValueError, match="must be 2 x 2"):
            IndicatorTree([Indicator("a"), Indicator("b")], method="ahp", pairwise=[[1]])
        with pytest.raises(ValueError, match="the top level: `A` must be reciprocal"):
            IndicatorTree([Indicator("a"), Indicator("b")], method="ahp", pairwise=[[1, 2], [2, 1]])
        with pytest.raises(ValueError, match="`indicators` must not be empty"):
            IndicatorTree([])

    def test_rejects_bad_data(self):
        tree = small_tree()
        with pytest.raises(ValueError, match=r"one column per leaf indicator \(3"):
            tree.evaluate(X3[:, :2])
        with pytest.raises(ValueError, match="must be finite"):
            tree.evaluate(np.where(X3 > 14, np.nan, X3))
        with pytest.raises(ValueError, match="`entities` must have 3 names"):
            tree.evaluate(X3, entities=["a"])
        entropy_tree = IndicatorTree([Indicator("a"), Indicator("b")], method="entropy")
        with pytest.raises(ValueError, match="need at least 2 entities"):
            entropy_tree.evaluate([[1.0, 2.0]])
        with pytest.raises(ValueError, match="the top level: `X` carries no information"):
            entropy_tree.evaluate([[1.0, 2.0], [1.0, 2.0]])
        with pytest.raises(ValueError, match="`code` must be one of the tree's codes"):
            tree.evaluate(X3).score("nope")

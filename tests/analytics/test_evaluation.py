"""Tests of gongsheng.analytics.evaluation: one class per public function."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from gongsheng.analytics.evaluation import (
    COUPLING_LEVELS,
    COUPLING_STAGES,
    RI_TABLES,
    _common,
    ahp,
    combine_weights,
    coupling_coordination,
    critic_weights,
    entropy_weights,
    fuzzy_evaluate,
    grey_evaluate,
    grey_relational,
    topsis,
)

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def matrices(min_rows=2, max_rows=12, min_cols=1, max_cols=6, elements=finite):
    shapes = st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols))
    return shapes.flatmap(lambda s: arrays(np.float64, s, elements=elements))


def reference_entropy(X, benefit=None):
    """Entropy weights written out term by term, as in MODELS.md (min-max, 0 ln 0 = 0)."""
    X = np.asarray(X, dtype=float)
    m, n = X.shape
    benefit = np.ones(n, bool) if benefit is None else np.asarray(benefit)
    d = np.zeros(n)
    for j in range(n):
        col = X[:, j]
        lo, hi = col.min(), col.max()
        if hi == lo:
            continue
        z = (col - lo) / (hi - lo) if benefit[j] else (hi - col) / (hi - lo)
        p = z / z.sum()
        e = -sum(pi * np.log(pi) for pi in p if pi > 0) / np.log(m)
        d[j] = 1 - e
    return d / d.sum()


class TestEntropyWeights:
    def test_hand_checkable(self):
        # column 0: x' = (0, 1/2, 1), p = (0, 1/3, 2/3); column 1 constant
        X = [[1.0, 7.0], [2.0, 7.0], [3.0, 7.0]]
        p = np.array([1 / 3, 2 / 3])
        e = -(p * np.log(p)).sum() / np.log(3)
        assert e < 1
        assert_allclose(entropy_weights(X), [1.0, 0.0])

    def test_two_informative_columns(self):
        X = np.array([[1.0, 4.0, 2.0], [2.0, 1.0, 2.5], [3.0, 3.0, 9.0], [5.0, 2.0, 3.0]])
        assert_allclose(entropy_weights(X), reference_entropy(X), rtol=1e-12)

    def test_cost_direction(self):
        X = np.array([[1.0, 4.0], [2.0, 1.0], [3.0, 3.0], [9.0, 2.0]])
        b = [True, False]
        assert_allclose(entropy_weights(X, b), reference_entropy(X, b), rtol=1e-12)
        # a cost column equals the benefit column of its negation
        assert_allclose(entropy_weights(X, b), entropy_weights(X * [1, -1]), rtol=1e-12)

    @pytest.mark.parametrize("normalization", ["minmax", "none"])
    def test_huge_finite_values(self, normalization):
        X = np.array([[1.0, 4.0, 2.0], [2.0, 1.0, 2.5], [3.0, 3.0, 9.0], [5.0, 2.0, 3.0]])
        expected = entropy_weights(X, normalization=normalization)
        assert_allclose(
            entropy_weights(X * 1e307, normalization=normalization), expected, rtol=1e-12
        )

    def test_blocked_threaded_path_matches(self):
        rng = np.random.default_rng(7)
        X = rng.random((30_000, 12))
        b = rng.random(12) > 0.5
        assert len(_common.row_blocks(*X.shape)) > 1
        assert_allclose(entropy_weights(X, b), reference_entropy(X, b), rtol=1e-9)

    def test_agrees_with_pymcdm_without_zeros(self):
        """pymcdm.weights.entropy_weights: sum normalisation of the raw matrix."""
        from pymcdm.weights import entropy_weights as pymcdm_entropy

        X = np.random.default_rng(1).random((50, 6)) + 0.1
        assert_allclose(entropy_weights(X, normalization="none"), pymcdm_entropy(X), rtol=1e-9)

    def test_differs_from_pymcdm_with_a_zero(self):
        """pymcdm 1.4 refuses a matrix with a 0 (its sum normalisation wants positive
        values; older versions gave such a column entropy 0, the largest weight);
        we take 0 ln 0 = 0 as scipy.special.entr does."""
        from pymcdm.weights import entropy_weights as pymcdm_entropy

        X = np.array([[0.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
        ours = entropy_weights(X, normalization="none")
        with pytest.raises(ValueError):
            pymcdm_entropy(X)
        p = np.array([0.5, 0.5])
        e0 = -(p * np.log(p)).sum() / np.log(3)
        q = np.array([1, 2, 3]) / 6
        e1 = -(q * np.log(q)).sum() / np.log(3)
        assert_allclose(ours, np.array([1 - e0, 1 - e1]) / (2 - e0 - e1), rtol=1e-12)

    def test_agrees_with_scikit_criteria_including_zeros(self):
        """skcriteria.preprocessing.weighters.entropy_weights uses scipy.stats.entropy."""
        from skcriteria.preprocessing.weighters import entropy_weights as skc_entropy

        X = np.random.default_rng(2).random((40, 5))
        X[3, 2] = 0.0
        assert_allclose(entropy_weights(X, normalization="none"), skc_entropy(X), rtol=1e-9)

    @given(matrices(elements=st.floats(0, 100)))
    def test_weights_sum_to_one_and_are_nonnegative(self, X):
        if (X.max(axis=0) == X.min(axis=0)).all():
            with pytest.raises(ValueError, match="no information"):
                entropy_weights(X)
            return
        w = entropy_weights(X)
        assert (w >= 0).all()
        assert_allclose(w.sum(), 1.0, rtol=1e-12)

    def test_rejects_nan(self):
        with pytest.raises(ValueError, match=r"`X` must be finite .* at index \(1, 0\)"):
            entropy_weights([[1.0, 2.0], [np.nan, 1.0]])

    def test_rejects_one_row_and_1d(self):
        with pytest.raises(ValueError, match="at least 2 rows"):
            entropy_weights([[1.0, 2.0]])
        with pytest.raises(ValueError, match="2-d array"):
            entropy_weights([1.0, 2.0])

    def test_rejects_negative_with_none(self):
        with pytest.raises(ValueError, match="`X` must be non-negative"):
            entropy_weights([[1.0], [-1.0]], normalization="none")

    def test_rejects_unknown_normalization(self):
        with pytest.raises(ValueError, match="`normalization` must be one of 'minmax', 'none'"):
            entropy_weights([[1.0], [2.0]], normalization="sum")

    def test_rejects_bad_benefit(self):
        with pytest.raises(
            ValueError, match=r"`benefit` must be None or one bool per column \(2\)"
        ):
            entropy_weights([[1.0, 2.0], [2.0, 1.0]], [True])

    def test_rejects_all_constant(self):
        with pytest.raises(ValueError, match="no information"):
            entropy_weights([[1.0, 2.0], [1.0, 2.0]])

    def test_shifted_by_hand(self):
        """平移: x' + δ. Columns (0, 1, 2) and (0, 0, 1) give x' = (0, 1/2, 1) and (0, 0, 1);
        with δ = 0.1 they become (0.1, 0.6, 1.1)/1.8 and (0.1, 0.1, 1.1)/1.3."""
        X = [[0.0, 0.0], [1.0, 0.0], [2.0, 1.0]]
        p = [np.array([0.1, 0.6, 1.1]) / 1.8, np.array([0.1, 0.1, 1.1]) / 1.3]
        d = np.array([1 + (q * np.log(q)).sum() / np.log(3) for q in p])
        w = entropy_weights(X, normalization="shifted", shift=0.1)
        assert_allclose(w, d / d.sum(), rtol=1e-12)
        # unshifted: e = 0 for (0, 0, 1), so that column weighs more than with the shift
        assert entropy_weights(X)[1] > w[1]
        assert_allclose(
            entropy_weights(X, normalization="shifted", shift=1e-12), entropy_weights(X), atol=1e-9
        )

    def test_shifted_default_direction_and_constant(self):
        X = [[1.0, 5.0, 3.0], [2.0, 5.0, 1.0], [4.0, 5.0, 2.0]]
        w = entropy_weights(X, [True, True, False], normalization="shifted")
        assert w[1] == 0.0
        v = entropy_weights(np.array(X)[:, [0, 2]] * [1, -1], normalization="shifted")
        assert_allclose(w[[0, 2]], v, rtol=1e-12)  # a cost column is a reversed benefit one

    @pytest.mark.parametrize("shift", [0, -1, "0.01", np.nan])
    def test_shift_must_be_positive(self, shift):
        with pytest.raises(ValueError, match="`shift` must be a positive number"):
            entropy_weights([[1.0, 2.0], [2.0, 1.0]], normalization="shifted", shift=shift)


class TestCriticWeights:
    def test_agrees_with_pymcdm_all_benefit(self):
        """pymcdm.weights.critic_weights: min-max, ddof=1, Pearson correlations."""
        from pymcdm.weights import critic_weights as pymcdm_critic

        X = np.random.default_rng(3).random((30, 5))
        assert_allclose(critic_weights(X), pymcdm_critic(X), rtol=1e-9)

    def test_hand_checkable_two_columns(self):
        # perfectly anti-correlated columns: r = -1, C_j = sigma_j * 2
        X = [[0.0, 1.0], [1.0, 0.0]]
        assert_allclose(critic_weights(X), [0.5, 0.5])
        # a cost column that mirrors a benefit column is the same information
        assert_allclose(critic_weights(X, [True, False]), [0.5, 0.5])

    def test_formula_written_out(self):
        X = np.array([[3.0, 1.0, 5.0], [1.0, 2.0, 4.0], [4.0, 6.0, 1.0], [2.0, 2.0, 2.0]])
        b = np.array([True, False, True])
        Z = (X - X.min(0)) / (X.max(0) - X.min(0))
        Z[:, ~b] = 1 - Z[:, ~b]
        C = Z.std(0, ddof=1) * (1 - np.corrcoef(Z.T)).sum(1)
        assert_allclose(critic_weights(X, b), C / C.sum(), rtol=1e-12)

    def test_unreversed_correlations_by_hand(self):
        """X = [[1, 1, 2], [2, 3, 1], [3, 2, 1]], column 1 a cost. Min-max: (0, ½, 1),
        (0, 1, ½) (reversed (1, 0, ½)), (1, 0, 0); σ = ½, ½, 1/√3 (ddof 1). As given,
        r01 = ½, r02 = r12 = −√3/2; reversing column 1 flips r01 and r12. So
        directed: C = (½(2.5 + √3/2), ½(2.5 − √3/2), 2/√3);
        unreversed: C = (½(1.5 + √3/2), ½(1.5 + √3/2), (2/√3)(1 + √3/2))."""
        X, b, h = [[1, 1, 2], [2, 3, 1], [3, 2, 1]], [True, False, True], np.sqrt(3) / 2
        C = np.array([(2.5 + h) / 2, (2.5 - h) / 2, 2 / np.sqrt(3)])
        assert_allclose(critic_weights(X, b), C / C.sum(), rtol=1e-12)
        C = np.array([(1.5 + h) / 2, (1.5 + h) / 2, 2 / np.sqrt(3) * (1 + h)])
        assert_allclose(critic_weights(X, b, correlation="unreversed"), C / C.sum(), rtol=1e-12)
        # pymcdm ignores the direction (σ is unchanged by a reversal): it is "unreversed"
        from pymcdm.weights import critic_weights as pymcdm_critic

        Y = np.random.default_rng(5).random((20, 4))
        assert_allclose(
            critic_weights(Y, [True, False, False, True], correlation="unreversed"),
            pymcdm_critic(Y),
            rtol=1e-9,
        )
        # with benefit columns only the two agree
        assert_allclose(critic_weights(X, correlation="unreversed"), critic_weights(X))
        with pytest.raises(ValueError, match="`correlation` must be one of 'directed'"):
            critic_weights(X, b, correlation="raw")

    def test_constant_column_gets_zero(self):
        X = [[1.0, 5.0, 2.0], [2.0, 5.0, 1.0], [3.0, 5.0, 7.0]]
        w = critic_weights(X)
        assert w[1] == 0.0
        assert_allclose(w[[0, 2]], critic_weights(np.delete(np.array(X), 1, axis=1)))

    @given(matrices(min_cols=2, elements=st.floats(0, 100)))
    def test_weights_sum_to_one(self, X):
        if (X.max(0) == X.min(0)).all():
            return
        w = critic_weights(X)
        assert (w >= 0).all()
        assert_allclose(w.sum(), 1.0, rtol=1e-12)

    def test_rejects_all_constant(self):
        with pytest.raises(ValueError, match="every column is constant"):
            critic_weights([[1.0, 1.0], [1.0, 1.0]])

    def test_perfectly_correlated_falls_back_to_contrast(self):
        assert_allclose(critic_weights([[0.0, 1.0], [1.0, 3.0]]), [0.5, 0.5])
        assert_allclose(critic_weights([[0.0, 1.0], [1.0, 1.0], [3.0, 1.0]]), [1.0, 0.0])

    def test_rejects_nan(self):
        with pytest.raises(ValueError, match="must be finite"):
            critic_weights([[1.0, np.nan], [1.0, 2.0]])


# 姜启源《数学模型》(第3版) 第8章 "选择旅游地": criteria 景色, 费用, 居住, 饮食, 旅途
TRAVEL = np.array(
    [
        [1, 1 / 2, 4, 3, 3],
        [2, 1, 7, 5, 5],
        [1 / 4, 1 / 7, 1, 1 / 2, 1 / 3],
        [1 / 3, 1 / 5, 2, 1, 1],
        [1 / 3, 1 / 5, 3, 1, 1],
    ]
)


class TestAHP:
    def test_jiang_qiyuan_travel_example(self):
        """姜启源, 谢金星, 叶俊《数学模型》第8章 层次分析法, 选择旅游地:
        w = (0.263, 0.475, 0.055, 0.099, 0.110), lambda = 5.073, CI = 0.018, CR = 0.016."""
        r = ahp(TRAVEL)
        assert_allclose(r.weights, [0.263, 0.475, 0.055, 0.099, 0.110], atol=1.5e-3)
        assert_allclose(r.lambda_max, 5.073, atol=1e-3)
        assert_allclose(r.ci, 0.018, atol=1e-3)
        assert_allclose(r.cr, 0.016, atol=1e-3)
        assert r.consistent and r.ri == 1.12

    def test_rounded_entries_accepted(self):
        # people type 1/3 as 0.333 and 1/7 as 0.143
        A = np.round(TRAVEL, 3)
        r = ahp(A)
        assert_allclose(r.weights, ahp(TRAVEL).weights, atol=1e-3)

    def test_consistent_matrix_closed_form(self):
        w = np.array([0.4, 0.3, 0.2, 0.1])
        A = w[:, None] / w[None, :]
        for method in ("eigenvector", "column_mean", "geometric_mean"):
            r = ahp(A, method=method)
            assert_allclose(r.weights, w, rtol=1e-12)
            assert_allclose(r.lambda_max, 4.0, rtol=1e-12)
            assert abs(r.cr) < 1e-12 and r.method == method

    def test_methods_close_on_travel(self):
        base = ahp(TRAVEL).weights
        for method in ("column_mean", "geometric_mean"):
            assert_allclose(ahp(TRAVEL, method=method).weights, base, atol=0.01)

    def test_ri_tables(self):
        r_saaty = ahp(TRAVEL, ri="saaty")
        r_cn = ahp(TRAVEL, ri="cn")
        assert r_saaty.ri == RI_TABLES["saaty"][4] == 1.12
        assert r_cn.ri == RI_TABLES["cn"][4] == 1.12
        A4 = TRAVEL[:4, :4]
        assert ahp(A4, ri="cn").ri == 0.89 and ahp(A4).ri == 0.90
        assert ahp(TRAVEL, ri=1.0).cr == pytest.approx(ahp(TRAVEL).ci)

    def test_small_matrices(self):
        r = ahp([[1, 3], [1 / 3, 1]])
        assert_allclose(r.weights, [0.75, 0.25])
        assert r.ci == 0 and r.cr == 0 and r.consistent
        assert ahp([[1.0]]).weights.tolist() == [1.0]

    def test_inconsistent_flagged(self):
        A = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
        r = ahp(A)
        assert r.cr > 0.1 and not r.consistent

    def test_rejects_non_reciprocal(self):
        with pytest.raises(ValueError, match=r"`A` must be reciprocal .* a\[0,1\] \* a\[1,0\]"):
            ahp([[1, 3], [0.5, 1]])

    def test_saaty_matrices_as_printed(self):
        """Saaty (1977, 1980), "wealth of nations" (US, USSR, China, France, UK, Japan,
        W. Germany) and the light-intensity experiment, as printed with two-decimal
        reciprocals (0.11, 0.14, 0.17, 0.2, 0.25, 0.33, 0.5): accepted (0.14·7 = 0.98 and
        0.17·6 = 1.02 failed the old 1 % rule), and exactly as with the fractions. Published:
        w = (0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094), λmax = 7.61; and
        w = (0.61, 0.24, 0.10, 0.05), λmax = 4.39."""
        wealth = [
            [1, 4, 9, 6, 6, 5, 5],
            [0.25, 1, 7, 5, 5, 3, 4],
            [0.11, 0.14, 1, 0.2, 0.2, 0.14, 0.2],
            [0.17, 0.2, 5, 1, 1, 0.33, 0.33],
            [0.17, 0.2, 5, 1, 1, 0.33, 0.33],
            [0.2, 0.33, 7, 3, 3, 1, 2],
            [0.2, 0.25, 5, 3, 3, 0.5, 1],
        ]
        r = ahp(wealth)
        assert_allclose(r.weights, [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094], atol=6e-4)
        assert round(r.lambda_max, 2) == 7.61
        W = np.array(wealth, dtype=float)
        exact = np.where(W < 1, 1 / W.T, W)  # 1/9, 1/7, … in place of 0.11, 0.14, …
        assert_allclose(r.weights, ahp(exact).weights, rtol=1e-12)
        light = [[1, 5, 6, 7], [0.2, 1, 4, 6], [0.17, 0.25, 1, 4], [0.14, 0.17, 0.25, 1]]
        r = ahp(light)
        assert_allclose(r.weights, [0.61, 0.24, 0.10, 0.05], atol=0.01)
        assert round(r.lambda_max, 2) == 4.39

    def test_one_eighth_printed_half_up(self):
        """1/8 = 0.125 is printed 0.13 (half up; np.round gives 0.12, which is refused)."""
        assert_allclose(ahp([[1, 8], [0.13, 1]]).weights, [8 / 9, 1 / 9], rtol=1e-12)
        assert_allclose(ahp([[1, 8], [0.125, 1]]).weights, [8 / 9, 1 / 9], rtol=1e-12)
        with pytest.raises(ValueError, match=r"a\[1,0\] = 0.12 is -0.005 off 1/a\[0,1\] = 0.125"):
            ahp([[1, 8], [0.12, 1]])

    def test_message_names_the_pair_and_the_gap(self):
        with pytest.raises(ValueError, match=r"a\[2,0\] = 0.34 is \+0.006667 off .* \(\+2.0%\)"):
            ahp([[1, 1, 3], [1, 1, 1], [0.34, 1, 1]])
        with pytest.raises(ValueError, match=r"1 on the diagonal; got a\[1,1\] = 2"):
            ahp([[1, 1], [1, 2]])

    def test_rejects_non_square_nonpositive(self):
        with pytest.raises(ValueError, match="must be a square"):
            ahp([[1, 2, 3], [0.5, 1, 2]])
        with pytest.raises(ValueError, match="`A` must be positive"):
            ahp([[1, 0], [0, 1]])

    def test_rejects_unknown_method_and_ri(self):
        with pytest.raises(ValueError, match="`method` must be one of 'eigenvector'"):
            ahp(TRAVEL, method="power")
        with pytest.raises(ValueError, match="`ri` must be one of 'saaty', 'cn'"):
            ahp(TRAVEL, ri="nobody")

    def test_rejects_n_beyond_table(self):
        A = np.ones((16, 16))
        with pytest.raises(ValueError, match="RI table stops at n = 15"):
            ahp(A)
        assert ahp(A, ri=1.6).consistent

    @given(arrays(np.float64, st.integers(2, 7), elements=st.floats(0.1, 10)))
    def test_weights_of_consistent_matrices(self, w):
        A = w[:, None] / w[None, :]
        r = ahp(A)
        assert_allclose(r.weights, w / w.sum(), rtol=1e-8)
        assert_allclose(r.weights.sum(), 1.0)


class TestCombineWeights:
    def test_linear(self):
        assert_allclose(combine_weights([0.6, 0.4], [0.2, 0.8], alpha=0.25), [0.3, 0.7])

    def test_multiplicative(self):
        s, o = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
        assert_allclose(combine_weights(s, o, method="multiplicative"), s * o / (s * o).sum())

    def test_inputs_rescaled(self):
        assert_allclose(combine_weights([3, 2], [1, 4], alpha=1.0), [0.6, 0.4])

    @given(
        arrays(np.float64, 4, elements=st.floats(0.01, 1)),
        arrays(np.float64, 4, elements=st.floats(0.01, 1)),
        st.floats(0, 1),
    )
    def test_sum_to_one(self, s, o, alpha):
        for method in ("linear", "multiplicative"):
            w = combine_weights(s, o, alpha=alpha, method=method)
            assert (w >= 0).all()
            assert_allclose(w.sum(), 1.0)

    def test_rejects(self):
        with pytest.raises(ValueError, match="equal length"):
            combine_weights([0.5, 0.5], [1.0])
        with pytest.raises(ValueError, match=r"`alpha` must be a number in \[0, 1\]"):
            combine_weights([0.5, 0.5], [0.5, 0.5], alpha=1.5)
        with pytest.raises(ValueError, match="`subjective` must be non-negative"):
            combine_weights([-0.5, 1.5], [0.5, 0.5])
        with pytest.raises(ValueError, match="`method` must be one of 'linear', 'multiplicative'"):
            combine_weights([0.5, 0.5], [0.5, 0.5], method="geometric")
        with pytest.raises(ValueError, match="zero everywhere"):
            combine_weights([1, 0], [0, 1], method="multiplicative")


class TestTopsis:
    def test_pymcdm_docstring_example(self):
        """pymcdm TOPSIS docstring: [[1,3000],[2,3750],[5,4500]], w = (.5,.5), types (-1, 1)."""
        X = [[1, 3000], [2, 3750], [5, 4500]]
        c = topsis(X, [0.5, 0.5], [False, True], normalization="minmax")
        assert_allclose(c[[0, 2]], [0.5, 0.5], atol=1e-12)
        assert_allclose(c[1], 0.617, atol=5e-4)

    def test_tzeng_huang_2011_example(self):
        """Tzeng, G.-H. & Huang, J.-J. (2011), Multiple Attribute Decision Making:
        Methods and Applications, CRC Press (TOPSIS chapter), as reproduced in
        scikit-criteria's test_TOPSIS_tzeng2011multiple: closeness
        (0.5037, 0.6581, 0.7482, 0.3340) with vector normalisation."""
        X = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
        c = topsis(X, [0.3, 0.4, 0.3])
        assert_allclose(c, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)

    def test_agrees_with_pymcdm_minmax(self):
        from pymcdm.methods import TOPSIS

        rng = np.random.default_rng(4)
        X = rng.random((200, 7)) * [1, 10, 100, 1, 5, 2, 3]
        X[:, 5] = 3.0  # a constant column: pymcdm maps it to 1
        w = rng.random(7)
        w /= w.sum()
        types = np.where(rng.random(7) > 0.5, 1, -1)
        ours = topsis(X, w, types == 1, normalization="minmax")
        assert_allclose(ours, TOPSIS()(X, w, types), rtol=1e-9, atol=1e-12)

    def test_agrees_with_pymcdm_minmax_blocked(self):
        from pymcdm.methods import TOPSIS

        rng = np.random.default_rng(5)
        X = rng.random((20_000, 20))
        w = np.full(20, 0.05)
        types = np.where(np.arange(20) % 3, 1, -1)
        assert len(_common.row_blocks(*X.shape)) > 1
        ours = topsis(X, w, types == 1, normalization="minmax")
        assert_allclose(ours, TOPSIS()(X, w, types), rtol=1e-9, atol=1e-12)

    def test_agrees_with_scikit_criteria_vector(self):
        """skcriteria.agg.topsis.topsis on the vector-normalised matrix (Hwang & Yoon)."""
        from skcriteria.agg.topsis import topsis as skc_topsis

        rng = np.random.default_rng(6)
        X = rng.random((25, 5)) + 0.5
        w = rng.random(5)
        w /= w.sum()
        benefit = np.array([True, False, True, True, False])
        N = X / np.sqrt((X**2).sum(0))
        _, _, _, expected = skc_topsis(N, np.where(benefit, 1, -1), w)
        assert_allclose(topsis(X, w, benefit), expected, rtol=1e-10)

    def test_written_out_vector(self):
        X = np.array([[7.0, 9, 9, 8], [8, 7, 8, 7], [9, 6, 8, 9], [6, 7, 8, 6]])
        w = np.array([0.1, 0.4, 0.3, 0.2])
        b = np.array([True, True, True, False])
        V = X / np.sqrt((X**2).sum(0)) * w
        best = np.where(b, V.max(0), V.min(0))
        worst = np.where(b, V.min(0), V.max(0))
        dp = np.sqrt(((V - best) ** 2).sum(1))
        dm = np.sqrt(((V - worst) ** 2).sum(1))
        assert_allclose(topsis(X, w, b), dm / (dp + dm), rtol=1e-12)

    @given(
        matrices(min_rows=3, min_cols=2, elements=st.floats(0.1, 100)),
        st.floats(0.01, 1e3),
        st.integers(0, 5),
    )
    def test_invariant_to_column_scaling_vector(self, X, factor, col):
        col = col % X.shape[1]
        w = np.linspace(1, 2, X.shape[1])
        Y = X.copy()
        Y[:, col] *= factor
        assert_allclose(topsis(Y, w), topsis(X, w), rtol=1e-9, atol=1e-12)

    @given(matrices(min_rows=2, min_cols=1, elements=finite))
    def test_bounds(self, X):
        c = topsis(X, np.ones(X.shape[1]), normalization="minmax")
        assert ((c >= 0) & (c <= 1)).all()

    def test_identical_entities(self):
        assert_allclose(topsis([[1.0, 2.0], [1.0, 2.0]], [0.5, 0.5]), [0.5, 0.5])

    @pytest.mark.parametrize("normalization", ["vector", "minmax"])
    def test_extreme_magnitudes(self, normalization):
        X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 0.0]])
        expected = topsis(X, [1, 1], normalization=normalization)
        for scale in ([1e200, 1.0], [1.0, 1e-200], [1e-310, 1e300]):
            assert_allclose(
                topsis(X * scale, [1, 1], normalization=normalization), expected, rtol=1e-12
            )

    def test_rejects(self):
        with pytest.raises(ValueError, match="`normalization` must be one of 'vector', 'minmax'"):
            topsis([[1.0]], [1.0], normalization="sum")
        with pytest.raises(ValueError, match="`weights` must have 2 elements; got 3"):
            topsis([[1.0, 2.0]], [1, 1, 1])
        with pytest.raises(ValueError, match="`weights` must be non-negative"):
            topsis([[1.0, 2.0]], [1, -1])
        with pytest.raises(ValueError, match="must be finite"):
            topsis([[1.0, np.inf]], [1, 1])


class TestFuzzyEvaluate:
    R = np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]])
    A = np.array([0.5, 0.3, 0.2])

    def test_weighted_average(self):
        r = fuzzy_evaluate(self.A, self.R, grade_scores=[90, 70, 50])
        B = self.A @ self.R
        assert_allclose(r.membership, B / B.sum())
        assert r.grade == int(np.argmax(B))
        assert_allclose(r.score, B @ [90, 70, 50] / B.sum())

    def test_other_operators_by_hand(self):
        # M(min, max): b_k = max_i min(a_i, r_ik)
        r = fuzzy_evaluate(self.A, self.R, operator="min_max")
        assert_allclose(r.raw, [0.5, 0.3, 0.3])
        r = fuzzy_evaluate(self.A, self.R, operator="product_max")
        assert_allclose(r.raw, [0.25, 0.18, 0.12])
        r = fuzzy_evaluate(self.A, self.R, operator="bounded_sum")
        assert_allclose(r.raw, [0.5 + 0.1 + 0.2, 0.3 + 0.3 + 0.2, 0.2 + 0.3 + 0.2])
        assert r.operator == "bounded_sum"

    def test_batch_of_entities(self):
        Rs = np.stack([self.R, self.R[::-1]])
        r = fuzzy_evaluate(self.A, Rs)
        assert r.membership.shape == (2, 3)
        assert_allclose(r.membership[0], fuzzy_evaluate(self.A, self.R).membership)

    def test_rejects(self):
        with pytest.raises(ValueError, match="`operator` must be one of 'weighted_average'"):
            fuzzy_evaluate(self.A, self.R, operator="max")
        with pytest.raises(ValueError, match=r"`R` must hold memberships in \[0, 1\]"):
            fuzzy_evaluate(self.A, self.R * 2)
        with pytest.raises(ValueError, match="`weights` must have 3 elements"):
            fuzzy_evaluate([0.5, 0.5], self.R)
        with pytest.raises(ValueError, match="`R` must be finite"):
            fuzzy_evaluate(self.A, np.where(self.R > 0.5, np.nan, self.R))


class TestGreyRelational:
    def test_by_hand(self):
        # delta = [[0, 0, 0], [0, 0, 2]]; dmin = 0, dmax = 2: xi = 1 / (delta + 1)
        g = grey_relational([1.0, 2.0, 3.0], [[1, 2, 3], [1, 2, 5]])
        assert_allclose(g.coefficients, [[1, 1, 1], [1, 1, 1 / 3]])
        assert_allclose(g.grades, [1, 7 / 9])

    def test_liu_sifeng_style_initial_normalisation(self):
        """Initial-value operator then Deng's coefficient, written out (刘思峰《灰色系统理论及其应用》)."""
        x0 = np.array([2.0, 2.2, 2.8, 3.0])
        X = np.array([[1.0, 1.2, 1.3, 1.6], [3.0, 3.1, 3.9, 4.2]])
        A = np.vstack([x0, X])
        A = A / A[:, :1]
        delta = np.abs(A[1:] - A[0])
        xi = (delta.min() + 0.5 * delta.max()) / (delta + 0.5 * delta.max())
        g = grey_relational(x0, X, normalization="initial")
        assert_allclose(g.coefficients, xi)
        assert_allclose(g.grades, xi.mean(1))

    def test_weights_rho_and_other_normalisations(self):
        x0 = [1.0, 3.0, 2.0]
        X = [[2.0, 3.0, 1.0], [1.0, 2.0, 4.0]]
        g = grey_relational(x0, X, rho=0.3, weights=[2, 1, 1], normalization="mean")
        assert_allclose(g.grades, g.coefficients @ [0.5, 0.25, 0.25])
        assert g.rho == 0.3 and g.normalization == "mean"
        gm = grey_relational(x0, X, normalization="minmax")
        assert ((gm.coefficients > 0) & (gm.coefficients <= 1)).all()

    @given(
        arrays(np.float64, 5, elements=st.floats(0, 10)),
        arrays(np.float64, (3, 5), elements=st.floats(0, 10)),
        st.floats(0.05, 1),
    )
    def test_coefficients_bounded(self, x0, X, rho):
        g = grey_relational(x0, X, rho=rho)
        assert ((g.coefficients > 0) & (g.coefficients <= 1 + 1e-12)).all()

    def test_subnormal_differences(self):
        g = grey_relational(np.zeros(3), [[5e-324, 0.0, 0.0], [0.0, 0.0, 0.0]])
        assert_allclose(g.coefficients, [[1 / 3, 1, 1], [1, 1, 1]])

    def test_rejects(self):
        with pytest.raises(ValueError, match=r"`rho` must be in \(0, 1\]"):
            grey_relational([1, 2], [[1, 2]], rho=0)
        with pytest.raises(ValueError, match="must have 2 columns"):
            grey_relational([1, 2], [[1, 2, 3]])
        with pytest.raises(ValueError, match="`normalization` must be one of None, 'initial'"):
            grey_relational([1, 2], [[1, 2]], normalization="sum")
        with pytest.raises(ValueError, match="non-zero first values"):
            grey_relational([0, 2], [[1, 2]], normalization="initial")


# alternatives × indicators: output (benefit, 10k CNY), defect rate (cost), rating (benefit)
GREY_X = np.array([[100, 0.2, 5], [80, 0.1, 7], [120, 0.4, 6.0]])


class TestGreyEvaluate:
    def test_hand_computation_minmax(self):
        """By hand: columns → (1/2, 0, 1), cost (2/3, 1, 0), (0, 1, 1/2); ideal (1, 1, 1);
        Δ: (1/2, 1/3, 1), (1, 0, 0), (0, 1, 1/2); Δmin = 0, Δmax = 1, ξ = 0.5/(Δ + 0.5):
        grades (1/2 + 3/5 + 1/3)/3 = 43/90, (1/3 + 1 + 1)/3 = 7/9, (1 + 1/3 + 1/2)/3 = 11/18."""
        g = grey_evaluate(GREY_X, benefit=[True, False, True])
        assert_allclose(g.coefficients[0], [1 / 2, 3 / 5, 1 / 3], rtol=1e-12)
        assert_allclose(g.grades, [43 / 90, 7 / 9, 11 / 18], rtol=1e-12)
        assert int(np.argmax(g.grades)) == 1 and g.normalization == "minmax"

    def test_per_sequence_normalisation_picks_another_best(self):
        """Issue 16: grey_relational's per-sequence min-max on the rows of an evaluation matrix
        mixes units (100 CNY beside a 0.2 rate) and names alternative 0 the best."""
        ideal = np.array([120, 0.1, 7.0])
        wrong = grey_relational(ideal, GREY_X, normalization="minmax")
        right = grey_evaluate(GREY_X, benefit=[True, False, True])
        assert int(np.argmax(wrong.grades)) == 0 and int(np.argmax(right.grades)) == 1

    def test_hand_computation_ratio(self):
        """x/max and min/x: alternative 0 → (5/6, 1/2, 5/7), Δ = (1/6, 1/2, 2/7); Δmax = 3/4
        (alternative 2's rate 0.25), so ξ = (3/8)/(Δ + 3/8) = (9/13, 3/7, 21/37)."""
        g = grey_evaluate(GREY_X, benefit=[True, False, True], normalization="ratio")
        assert_allclose(g.coefficients[0], [9 / 13, 3 / 7, 21 / 37], rtol=1e-12)
        assert_allclose(g.coefficients[1], [(3 / 8) / (1 / 3 + 3 / 8), 1, 1], rtol=1e-12)

    def test_weights_direction_and_constant_column(self):
        g = grey_evaluate(GREY_X, benefit=[True, False, True], weights=[2, 1, 1])
        assert_allclose(g.grades[0], (2 * 0.5 + 0.6 + 1 / 3) / 4, rtol=1e-12)
        flipped = grey_evaluate(GREY_X[:, :1], benefit=[False])
        assert int(np.argmax(flipped.grades)) == 1  # the least output is best as a cost
        const = grey_evaluate(np.column_stack([GREY_X[:, 0], [3.0, 3.0, 3.0]]))
        assert_allclose(const.coefficients[:, 1], 1.0)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"benefit": ["yes", "no", "yes"]}, "`benefit` must hold booleans"),
            ({"benefit": [True]}, "one bool per column"),
            ({"rho": 0}, r"`rho` must be in \(0, 1\]"),
            ({"normalization": "initial"}, "`normalization` must be one of 'minmax', 'ratio'"),
        ],
    )
    def test_validation(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            grey_evaluate(GREY_X, **kwargs)

    def test_ratio_needs_positive_values(self):
        with pytest.raises(ValueError, match=r"needs positive values; got 0\.0 at row 1, column 0"):
            grey_evaluate([[1, 2], [0, 3]], normalization="ratio")


class TestCouplingCoordination:
    def test_two_subsystems_closed_form(self):
        r = coupling_coordination([0.64, 0.36])
        assert_allclose([r.C, r.T, r.D], [0.96, 0.5, np.sqrt(0.48)])
        assert (r.level, r.level_code, r.stage, r.stage_code) == ("初级协调", 7, "高水平耦合", 4)

    def test_three_subsystems_keep_factor_n(self):
        U = np.array([0.2, 0.4, 0.8])
        r = coupling_coordination(U, weights=[0.5, 0.3, 0.2])
        assert_allclose(r.C, 3 * np.prod(U) ** (1 / 3) / U.sum())
        assert_allclose(r.T, 0.5 * 0.2 + 0.3 * 0.4 + 0.2 * 0.8)
        assert_allclose(r.D, np.sqrt(r.C * r.T))

    def test_equal_subsystems_couple_fully(self):
        r = coupling_coordination([0.5, 0.5, 0.5])
        assert_allclose(r.C, 1.0)
        r = coupling_coordination([0.5, 0.5, 0.5], variant="modified")
        assert_allclose(r.C, 1.0)

    def test_modified_wang_2021(self):
        """王淑佳 等 (2021) 自然资源学报 36(3): C = sqrt((1 - mean |Ui - Uj|) * (prod Ui/max)^(1/(n-1)))."""
        r = coupling_coordination([0.3, 0.6], variant="modified")
        assert_allclose(r.C, np.sqrt((1 - 0.3) * 0.5))
        U = np.array([0.2, 0.5, 0.8])
        spread = (0.3 + 0.6 + 0.3) / 3
        assert_allclose(
            coupling_coordination(U, variant="modified").C,
            np.sqrt((1 - spread) * (0.25 * 0.625) ** 0.5),
        )

    def test_boundaries_are_closed_above(self):
        # C = 1, T = D**2: D exactly on a tenth belongs to the lower level (lo, hi]
        r = coupling_coordination(np.array([[0.09, 0.09], [0.36, 0.36], [0.0, 0.5], [1.0, 1.0]]))
        assert r.level_code.tolist() == [3, 6, 1, 10]
        assert r.level[0] == COUPLING_LEVELS[2] == "中度失调"
        assert r.stage_code.tolist() == [4, 4, 1, 4]
        assert r.stage[2] == COUPLING_STAGES[0]
        assert r.C[2] == 0 and r.D[2] == 0

    @given(
        arrays(np.float64, (4, 3), elements=st.floats(0, 1)),
        st.sampled_from(["standard", "modified"]),
    )
    def test_bounds(self, U, variant):
        r = coupling_coordination(U, variant=variant)
        for x in (r.C, r.T, r.D):
            assert ((x >= 0) & (x <= 1 + 1e-12)).all()
        assert ((r.level_code >= 1) & (r.level_code <= 10)).all()

    def test_rejects(self):
        with pytest.raises(ValueError, match=r"`U` must hold evaluations in \[0, 1\]"):
            coupling_coordination([0.5, 1.5])
        with pytest.raises(ValueError, match="at least 2 subsystems"):
            coupling_coordination([0.5])
        with pytest.raises(ValueError, match="`variant` must be one of 'standard', 'modified'"):
            coupling_coordination([0.5, 0.5], variant="wang")
        with pytest.raises(ValueError, match="`U` must be finite"):
            coupling_coordination([0.5, np.nan])


class TestValidationMessages:
    """Every remaining validation message, once (the per-function classes hold the rest)."""

    def test_ahp_ri_number(self):
        with pytest.raises(ValueError, match="`ri` must be 'saaty', 'cn' or a positive number"):
            ahp(TRAVEL, ri=-1.0)

    def test_benefit_values(self):
        with pytest.raises(ValueError, match=r"`benefit` must hold booleans \(True = benefit\)"):
            entropy_weights([[1.0, 2.0], [2.0, 1.0]], [2, 1])
        assert_allclose(entropy_weights([[1.0, 2.0], [2.0, 1.0]], [1, 0]), [0.5, 0.5])

    def test_weights_positive_sum(self):
        with pytest.raises(ValueError, match=r"`weights` must have a positive sum; got 0\.0"):
            topsis([[1.0, 2.0], [2.0, 1.0]], [0, 0])

    def test_vector_shape(self):
        with pytest.raises(ValueError, match="`weights` must be a 1-d array; got 2-d"):
            topsis([[1.0, 2.0]], [[1, 1]])

    def test_fuzzy_shape_and_zero(self):
        with pytest.raises(
            ValueError, match=r"`R` must have shape \(n, g\) or \(m, n, g\); got 1-d"
        ):
            fuzzy_evaluate([1.0], [0.5, 0.5])
        with pytest.raises(ValueError, match="composes to zero membership"):
            fuzzy_evaluate([0.5, 0.5], np.zeros((2, 3)))
        with pytest.raises(ValueError, match="`grade_scores` must have 3 elements"):
            fuzzy_evaluate([0.5, 0.5], np.full((2, 3), 0.5), grade_scores=[1, 2])

    def test_grey_zero_mean_and_constant(self):
        with pytest.raises(ValueError, match="non-zero means"):
            grey_relational([1.0, -1.0], [[1.0, 2.0]], normalization="mean")
        with pytest.raises(ValueError, match="non-constant sequences"):
            grey_relational([1.0, 1.0], [[1.0, 2.0]], normalization="minmax")

    def test_coupling_weights(self):
        with pytest.raises(ValueError, match="`weights` must have 2 elements; got 3"):
            coupling_coordination([0.5, 0.5], weights=[1, 1, 1])


class TestLargeMatrixValidation:
    """NaN/inf are found from the blocked passes themselves (no separate isfinite pass)."""

    @pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
    def test_bad_value_located(self, bad):
        X = np.random.default_rng(0).random((30_000, 12))
        X[20_001, 7] = bad
        pattern = r"`X` must be finite .* at index \(20001, 7\)"
        for call in (
            lambda: entropy_weights(X),
            lambda: entropy_weights(X, normalization="none"),
            lambda: topsis(X, np.ones(12), normalization="minmax"),
            lambda: topsis(X, np.ones(12)),
        ):
            with pytest.raises(ValueError, match=pattern):
                call()

    def test_negative_located_with_none(self):
        X = np.random.default_rng(0).random((30_000, 12))
        X[123, 4] = -0.5
        with pytest.raises(ValueError, match=r"non-negative; got -0\.5 at row 123, column 4"):
            entropy_weights(X, normalization="none")

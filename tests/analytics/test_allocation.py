"""Tests of gongsheng.analytics.allocation: one class per public function."""

from __future__ import annotations

from itertools import permutations
from math import comb, factorial

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from gongsheng.analytics.allocation import (
    core_check,
    least_core,
    modified_shapley,
    nash_bargaining,
    nucleolus,
    shapley,
    shapley_monte_carlo,
)


def members(n):
    """Boolean membership matrix (2**n, n): row = coalition bitmask."""
    masks = np.arange(1 << n)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(bool)


def weighted_majority(quota, weights):
    w = np.asarray(weights, dtype=float)
    return (members(len(w)) @ w >= quota).astype(float)


def brute_force_shapley(v, n):
    """Average marginal contribution over all n! orders (independent of the code)."""
    phi = np.zeros(n)
    for order in permutations(range(n)):
        mask = 0
        for i in order:
            phi[i] += v[mask | (1 << i)] - v[mask]
            mask |= 1 << i
    return phi / factorial(n)


def random_game(n, seed):
    v = np.random.default_rng(seed).normal(size=1 << n)
    v[0] = 0.0
    return v


games = (
    st.integers(1, 7)
    .flatmap(lambda n: arrays(np.float64, 1 << n, elements=st.floats(-100, 100)))
    .map(lambda v: np.concatenate([[0.0], v[1:]]))
)


class TestShapley:
    def test_glove_game(self):
        """Glove game (Osborne & Rubinstein, A Course in Game Theory, 1994, ch. 14):
        one left glove (player 0), two right gloves: Shapley value (2/3, 1/6, 1/6)."""
        v = weighted_majority(3, [2, 1, 1])  # same winning coalitions as the glove game
        assert_allclose(shapley(v), [2 / 3, 1 / 6, 1 / 6], rtol=1e-12)

    def test_airport_game_closed_form(self):
        """Airport game (Littlechild & Owen 1973, Management Science 20(3):370-372):
        v(S) = max cost in S; phi_i = sum_{j<=i} (c_j - c_{j-1}) / (n - j + 1)."""
        c = np.array([1.0, 3.0, 4.0, 8.0, 8.5, 10.0, 13.0])
        n = len(c)
        v = np.where(members(n), c, 0.0).max(axis=1)
        steps = np.diff(np.concatenate([[0.0], c])) / (n - np.arange(n))
        assert_allclose(shapley(v), np.cumsum(steps), rtol=1e-12)

    def test_un_security_council(self):
        """Shapley & Shubik (1954), APSR 48(3):787-792, https://doi.org/10.2307/1951053,
        applied to the 15-member Security Council (quota 39, permanent members
        weight 7, others 1): 421/2145 = 0.19627 and 4/2145 = 0.00186."""
        v = weighted_majority(39, [7] * 5 + [1] * 10)
        phi = shapley(v)
        perm = 421 / 2145
        assert_allclose(phi[:5], perm, rtol=1e-12)
        assert_allclose(phi[5:], 4 / 2145, rtol=1e-12)
        assert_allclose(phi[0], 0.19627, atol=5e-6)
        assert_allclose(phi[5], 0.00186, atol=5e-6)

    def test_matches_brute_force(self):
        for n in (1, 2, 3, 5, 6):
            v = random_game(n, n)
            assert_allclose(shapley(v), brute_force_shapley(v, n), rtol=1e-10, atol=1e-12)

    def test_mapping_input(self):
        v = {frozenset({0}): 1.0, frozenset({1}): 2.0, frozenset({0, 1}): 6.0}
        assert_allclose(shapley(v), [2.5, 3.5])
        v_tuple = {(0,): 1.0, (1,): 2.0, (0, 1): 6.0, (): 0.0}
        assert_allclose(shapley(v_tuple), [2.5, 3.5])

    def test_unanimity_game(self):
        # u_T: 1 if T is inside S; phi_i = 1/|T| for i in T
        n = 10
        T = np.array([1, 4, 7])
        v = members(n)[:, T].all(axis=1).astype(float)
        expected = np.zeros(n)
        expected[T] = 1 / 3
        assert_allclose(shapley(v), expected, atol=1e-14)

    def test_agrees_with_shapiq(self):
        shapiq = pytest.importorskip("shapiq")
        n = 8
        v = random_game(n, 11)
        weights = 1 << np.arange(n)
        computer = shapiq.ExactComputer(lambda C: v[C.astype(np.int64) @ weights], n_players=n)
        sv = computer("SV", order=1)
        assert_allclose(shapley(v), [sv[(i,)] for i in range(n)], rtol=1e-9, atol=1e-12)

    def test_eighteen_players_efficiency_and_symmetry(self):
        n = 18
        w = np.arange(1, n + 1, dtype=float)
        w[5] = w[6]
        v = weighted_majority(w.sum() / 2, w)
        phi = shapley(v)
        assert_allclose(phi.sum(), 1.0, rtol=1e-12)
        assert_allclose(phi[5], phi[6], rtol=1e-12)

    @given(games)
    def test_efficiency(self, v):
        assert_allclose(shapley(v).sum(), v[-1], atol=1e-9 * (1 + np.abs(v).sum()))

    @given(games, st.data())
    def test_symmetry(self, v, data):
        n = len(v).bit_length() - 1
        if n < 2:
            return
        i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        # symmetrise: v(S) = v(swap_ij(S))
        masks = np.arange(1 << n)
        bi, bj = (masks >> i) & 1, (masks >> j) & 1
        swapped = masks ^ ((bi ^ bj) << i) ^ ((bi ^ bj) << j)
        sym = (v + v[swapped]) / 2
        phi = shapley(sym)
        assert_allclose(phi[i], phi[j], atol=1e-9 * (1 + np.abs(v).sum()))

    @given(games, st.data())
    def test_null_player(self, v, data):
        n = len(v).bit_length() - 1
        i = data.draw(st.integers(0, n - 1))
        masks = np.arange(1 << n)
        dummy = v[masks & ~(1 << i)]  # v(S) = v(S without i): i adds nothing
        assert abs(shapley(dummy)[i]) <= 1e-9 * (1 + np.abs(v).sum())

    @given(
        st.integers(1, 6).flatmap(
            lambda n: st.tuples(*[arrays(np.float64, 1 << n, elements=st.floats(-10, 10))] * 2)
        )
    )
    def test_additivity(self, pair):
        v, w = (np.concatenate([[0.0], g[1:]]) for g in pair)
        assert_allclose(shapley(v + w), shapley(v) + shapley(w), atol=1e-9)

    def test_rejects(self):
        with pytest.raises(ValueError, match=r"length 2\*\*n .* got 3"):
            shapley([0.0, 1.0, 2.0])
        with pytest.raises(ValueError, match=r"v\(empty coalition\) must be 0; got 1.0"):
            shapley([1.0, 2.0])
        with pytest.raises(ValueError, match="must be finite; got nan for coalition mask 1"):
            shapley([0.0, np.nan])
        with pytest.raises(ValueError, match=r"1 missing, e.g. \[0, 1\]"):
            shapley({frozenset({0}): 1.0, frozenset({1}): 1.0})
        with pytest.raises(ValueError, match="has 4 players; exact computation allows at most 3"):
            shapley(np.zeros(16), max_players=3)
        with pytest.raises(ValueError, match="non-negative player indices"):
            shapley({frozenset({-1}): 1.0})
        with pytest.raises(ValueError, match="must be 1-d"):
            shapley(np.zeros((2, 2)))


class TestShapleyMonteCarlo:
    def test_additive_game_is_exact(self):
        x = np.array([1.0, -2.0, 3.0, 0.5])
        r = shapley_monte_carlo(lambda S: S @ x, 4, samples=20, seed=0)
        assert_allclose(r.values, x)
        assert_allclose(r.standard_errors, 0, atol=1e-12)
        assert r.samples == 20 and r.antithetic

    def test_converges_to_exact_within_standard_errors(self):
        n = 10
        w = np.arange(1, n + 1, dtype=float)
        exact = shapley(weighted_majority(w.sum() / 2, w))
        for antithetic in (True, False):
            r = shapley_monte_carlo(
                lambda S: (S @ w >= w.sum() / 2).astype(float),
                n,
                samples=4000,
                seed=np.random.default_rng(3),
                antithetic=antithetic,
                batch_size=333,
            )
            assert (np.abs(r.values - exact) <= 5 * r.standard_errors + 1e-12).all()
            assert_allclose(r.values.sum(), 1.0, rtol=1e-12)  # efficient in every order

    def test_reproducible_with_seed(self):
        f = lambda S: (S.sum(axis=1) >= 3).astype(float)  # noqa: E731
        a = shapley_monte_carlo(f, 6, samples=50, seed=42)
        b = shapley_monte_carlo(f, 6, samples=50, seed=42)
        assert_allclose(a.values, b.values)

    def test_two_hundred_players(self):
        n = 200
        w = np.random.default_rng(0).random(n)
        r = shapley_monte_carlo(lambda S: (S @ w) ** 2, n, samples=200, seed=1)
        # v(S) = (w.S)^2: phi_i = w_i * sum(w) exactly
        assert_allclose(r.values, w * w.sum(), rtol=0.1, atol=0.5)

    def test_rejects(self):
        f = lambda S: S.sum(axis=1)  # noqa: E731
        with pytest.raises(ValueError, match="`n` must be a positive integer"):
            shapley_monte_carlo(f, 0, samples=10)
        with pytest.raises(ValueError, match="`samples` must be an integer >= 2"):
            shapley_monte_carlo(f, 3, samples=1)
        with pytest.raises(ValueError, match="`samples` must be even when `antithetic`"):
            shapley_monte_carlo(f, 3, samples=11)
        with pytest.raises(
            ValueError, match=r"`v` must return one value per coalition, shape \(8,\)"
        ):
            shapley_monte_carlo(lambda S: np.zeros(3), 3, samples=2, antithetic=False)
        with pytest.raises(ValueError, match="`v` returned NaN or inf"):
            shapley_monte_carlo(lambda S: np.full(len(S), np.nan), 3, samples=2)
        with pytest.raises(ValueError, match="`v` must be a callable"):
            shapley_monte_carlo([1, 2], 3, samples=2)


class TestModifiedShapley:
    def test_closed_form(self):
        """戴建华, 薛恒新 (2004) 中国管理科学 12(4): phi' = phi + (K - 1/n) v(N)."""
        phi = np.array([30.0, 50.0, 20.0])
        F = np.array([[0.2, 5.0], [0.3, 3.0], [0.5, 2.0]])
        lam = np.array([0.6, 0.4])
        K = (F / F.sum(0)) @ lam
        out = modified_shapley(phi, 100.0, F, factor_weights=lam)
        assert_allclose(out, phi + (K - 1 / 3) * 100)
        assert_allclose(out.sum(), 100.0)

    def test_equal_factors_change_nothing(self):
        assert_allclose(modified_shapley([1.0, 2.0, 3.0], 6.0, np.ones((3, 2))), [1.0, 2.0, 3.0])

    @given(
        arrays(np.float64, 4, elements=st.floats(-50, 50)),
        arrays(np.float64, (4, 3), elements=st.floats(0.01, 10)),
    )
    def test_keeps_efficiency(self, phi, F):
        out = modified_shapley(phi, 10.0, F)
        assert_allclose(out.sum(), phi.sum(), atol=1e-9)

    def test_rejects(self):
        with pytest.raises(ValueError, match=r"`factors` must have shape \(2, k\)"):
            modified_shapley([1, 2], 3.0, np.ones((3, 1)))
        with pytest.raises(ValueError, match="`factors` must be non-negative"):
            modified_shapley([1, 2], 3.0, [[1.0], [-1.0]])
        with pytest.raises(ValueError, match="`factors` column 0 sums to 0"):
            modified_shapley([1, 2], 3.0, [[0.0], [0.0]])
        with pytest.raises(ValueError, match="`factor_weights` must have 1 elements"):
            modified_shapley([1, 2], 3.0, [[1.0], [1.0]], factor_weights=[1, 1])
        with pytest.raises(ValueError, match="`total` must be a finite number"):
            modified_shapley([1, 2], np.nan, [[1.0], [1.0]])
        with pytest.raises(ValueError, match="`phi` must be finite"):
            modified_shapley([1, np.nan], 3.0, [[1.0], [1.0]])


class TestNashBargaining:
    def test_symmetric_split_of_the_surplus(self):
        assert_allclose(nash_bargaining(100.0, [10.0, 30.0, 0.0]), [30.0, 50.0, 20.0])

    def test_powers(self):
        assert_allclose(nash_bargaining(10.0, [0.0, 0.0], powers=[3, 1]), [7.5, 2.5])

    def test_maximises_nash_product(self):
        d = np.array([1.0, 2.0, 0.5])
        beta = np.array([1.0, 2.0, 0.5])
        u = nash_bargaining(10.0, d, powers=beta)
        objective = lambda x: (beta * np.log(x - d)).sum()  # noqa: E731
        rng = np.random.default_rng(0)
        for _ in range(50):
            step = rng.normal(size=3) * 0.1
            step -= step.mean()  # stay on sum(u) = V
            assert objective(u + step) <= objective(u) + 1e-12

    def test_rejects(self):
        with pytest.raises(ValueError, match="no agreement improves on disagreement"):
            nash_bargaining(1.0, [1.0, 1.0])
        with pytest.raises(ValueError, match=r"`powers` must be positive; got \[1.0, 0.0\]"):
            nash_bargaining(3.0, [1.0, 1.0], powers=[1, 0])
        with pytest.raises(ValueError, match="`powers` must have 2 elements"):
            nash_bargaining(3.0, [1.0, 1.0], powers=[1])
        with pytest.raises(ValueError, match="`disagreement` must be finite"):
            nash_bargaining(3.0, [1.0, np.inf])


class TestCoreCheck:
    def test_two_players(self):
        v = [0, 1, 1, 3]
        assert core_check(v, [1.5, 1.5]).in_core
        r = core_check(v, [0.5, 2.5])
        assert not r.in_core and r.efficient and not r.individually_rational
        assert r.most_violated == frozenset({0}) and r.max_excess == pytest.approx(0.5)

    def test_glove_game_core_is_the_left_glove(self):
        """Glove game with one left and two right gloves: the core is {(1, 0, 0)}
        (Osborne & Rubinstein 1994, ch. 13); Shapley (2/3, 1/6, 1/6) is not in it."""
        v = weighted_majority(3, [2, 1, 1])
        assert core_check(v, [1.0, 0.0, 0.0]).in_core
        r = core_check(v, shapley(v))
        assert not r.in_core
        assert r.most_violated in (frozenset({0, 1}), frozenset({0, 2}))
        assert_allclose(r.max_excess, 1 / 6)

    def test_inefficient(self):
        r = core_check([0, 1, 1, 3], [2.0, 2.0])
        assert not r.efficient and not r.in_core

    def test_convex_game_shapley_in_core(self):
        # v(S) = |S|^2 is convex: the Shapley value lies in the core (Shapley 1971)
        n = 8
        v = members(n).sum(axis=1).astype(float) ** 2
        r = core_check(v, shapley(v))
        assert r.in_core and r.max_excess <= 1e-9
        assert_allclose(r.excesses[5], v[5] - 2 * n)

    def test_one_player(self):
        r = core_check([0.0, 4.0], [4.0])
        assert r.in_core and r.most_violated == frozenset()

    def test_rejects(self):
        with pytest.raises(ValueError, match=r"one entry per player \(2\); got 3"):
            core_check([0, 1, 1, 3], [1, 1, 1])
        with pytest.raises(ValueError, match="`allocation` must be finite"):
            core_check([0, 1, 1, 3], [1, np.nan])


def test_binomial_weights_sanity():
    # the per-size weights used by shapley sum to 1 over sizes for a fixed player
    n = 9
    w = [1 / (n * comb(n - 1, s)) * comb(n - 1, s) for s in range(n)]
    assert_allclose(sum(w), 1.0)


MAJORITY = [0, 0, 0, 1, 0, 1, 1, 1]  # three players, any two win 1
GLOVES = [0, 0, 0, 1, 0, 1, 0, 1]  # player 0 holds a left glove, 1 and 2 right ones


def _sorted_excesses(v, x):
    return np.sort(core_check(v, x).excesses[1:-1])[::-1]


def _lex_less_or_equal(a, b, tol=1e-7):
    diff = np.flatnonzero(np.abs(a - b) > tol)
    return diff.size == 0 or a[diff[0]] < b[diff[0]]


class TestLeastCore:
    def test_majority_game_by_hand(self):
        """The core is empty: x_i + x_j ≥ 1 for all three pairs sums to 2·x(N) ≥ 3 > 2.
        Least core: min ε with x_i + x_j + ε ≥ 1 and x(N) = 1; adding the three pair
        constraints gives 2 + 3ε ≥ 3, so ε* = 1/3 at x = (1/3, 1/3, 1/3). Per capita
        (x(S) + |S|ε ≥ v(S)): 2 + 6ε ≥ 3, ε* = 1/6."""
        r = least_core(MAJORITY)
        assert r.core_empty and r.excess == "absolute"
        assert_allclose(r.epsilon, 1 / 3, rtol=1e-12)
        assert_allclose(r.allocation, [1 / 3] * 3, rtol=1e-9)
        assert_allclose(core_check(MAJORITY, r.allocation).max_excess, 1 / 3, rtol=1e-9)
        pc = least_core(MAJORITY, excess="per_capita")
        assert pc.core_empty
        assert_allclose(pc.epsilon, 1 / 6, rtol=1e-12)

    def test_glove_game_core_is_one_point(self):
        """v(S) = 1 iff S holds player 0 and one of 1, 2: the core is {(1, 0, 0)}
        (x_0 + x_1 ≥ 1 and x_0 + x_2 ≥ 1 with x(N) = 1 force x_1 = x_2 = 0 when x ≥ 0),
        so ε* = 0 and the core is not empty."""
        r = least_core(GLOVES)
        assert not r.core_empty
        assert abs(r.epsilon) < 1e-12
        assert_allclose(r.allocation, [1, 0, 0], atol=1e-9)
        assert core_check(GLOVES, r.allocation).in_core

    def test_two_players_core_interior(self):
        """v = (0, 1, 1, 3): x_1 + ε ≥ 1, x_2 + ε ≥ 1, x_1 + x_2 = 3 gives ε* = −1/2 at
        (3/2, 3/2): the core is not empty and the least core is its centre."""
        r = least_core([0, 1, 1, 3])
        assert not r.core_empty
        assert_allclose(r.epsilon, -0.5, rtol=1e-12)
        assert_allclose(r.allocation, [1.5, 1.5], rtol=1e-9)

    @given(arrays(np.float64, 15, elements=st.floats(-5, 5)))
    def test_no_efficient_allocation_beats_epsilon(self, vals):
        v = np.concatenate([[0.0], vals])
        r = least_core(v)
        assert_allclose(r.allocation.sum(), v[-1], atol=1e-7)
        assert_allclose(core_check(v, r.allocation).max_excess, r.epsilon, atol=1e-7)
        rng = np.random.default_rng(0)
        for _ in range(20):
            d = rng.normal(size=4)
            x = r.allocation + d - d.mean()
            assert core_check(v, x).max_excess >= r.epsilon - 1e-7

    def test_validation(self):
        with pytest.raises(ValueError, match="`excess` must be one of 'absolute', 'per_capita'"):
            least_core(MAJORITY, excess="relative")
        with pytest.raises(ValueError, match="at most 14"):
            least_core(np.zeros(1 << 15))
        assert least_core([0, 5]).allocation.tolist() == [5.0]


class TestNucleolus:
    def test_textbook_games(self):
        """By symmetry the majority game's nucleolus is (1/3, 1/3, 1/3); the glove game's
        is its one core point (1, 0, 0); for two players it is the standard solution
        v(i) + (v(N) − v(1) − v(2))/2."""
        assert_allclose(nucleolus(MAJORITY).allocation, [1 / 3] * 3, rtol=1e-9)
        assert_allclose(nucleolus(GLOVES).allocation, [1, 0, 0], atol=1e-9)
        assert_allclose(nucleolus([0, 1, 2, 7]).allocation, [3, 4], rtol=1e-9)
        r = nucleolus(MAJORITY)
        assert r.nucleolus and r.core_empty and abs(r.epsilon - 1 / 3) < 1e-12

    def test_three_player_game_by_hand(self):
        """v(i) = 0, v(01) = 4, v(02) = 2, v(12) = 0, v(N) = 6 (core not empty). Excesses at
        x: −x_i and 4 − x0 − x1 = x2 − 2, 2 − x0 − x2 = x1 − 4, −x1 − x2 = x0 − 6. They
        pair up as (−x2, x2 − 2), (−x1, x1 − 4), (−x0, x0 − 6), each pair's larger one
        least at x2 = 1, x1 = 2, x0 = 3 (which sum to 6): x = (3, 2, 1), excesses sorted
        (−1, −1, −2, −2, −3, −3)."""
        v = [0, 0, 0, 4, 0, 2, 0, 6]
        assert_allclose(nucleolus(v).allocation, [3, 2, 1], rtol=1e-9)

    @given(arrays(np.float64, 15, elements=st.floats(-5, 5)))
    def test_lexicographic_minimum(self, vals):
        """By definition: no efficient allocation nearby has a lexicographically smaller
        vector of excesses sorted from the largest down."""
        v = np.concatenate([[0.0], vals])
        x = nucleolus(v).allocation
        assert_allclose(x.sum(), v[-1], atol=1e-7)
        best = _sorted_excesses(v, x)
        rng = np.random.default_rng(1)
        for scale in (1e-3, 1e-1, 1.0):
            for _ in range(30):
                d = rng.normal(size=4) * scale
                assert _lex_less_or_equal(best, _sorted_excesses(v, x + d - d.mean()))


class TestGameValidation:
    """Messages of the game conversion shared by shapley and core_check."""

    def test_empty_mapping(self):
        with pytest.raises(ValueError, match="must define at least one coalition"):
            shapley({})

    def test_same_coalition_twice(self):
        with pytest.raises(ValueError, match="defines a coalition twice"):
            shapley({(0,): 1.0, (1,): 1.0, (0, 1): 2.0, (1, 0): 2.0})

    def test_monte_carlo_batch_size(self):
        with pytest.raises(ValueError, match="`batch_size` must be a positive integer"):
            shapley_monte_carlo(lambda S: S.sum(axis=1), 3, samples=2, batch_size=0)

    def test_factor_weights_negative(self):
        with pytest.raises(ValueError, match="`factor_weights` must be non-negative"):
            modified_shapley([1, 2], 3.0, [[1.0, 1.0], [1.0, 2.0]], factor_weights=[1, -1])

"""Tests for gongsheng.analytics.dynamics: one class per public function or class."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gongsheng.analytics.dynamics import LogisticSystem, convert_interactions, fit_logistic
from gongsheng.analytics.symbiosis import BehaviourMode

coef = st.floats(-0.9, 0.9, allow_nan=False)


def numeric_jacobian(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h * max(1.0, abs(x[j]))
        cols.append((f(x + e) - f(x - e)) / (2 * e[j]))
    return np.column_stack(cols)


class TestLogisticSystem:
    @given(coef, coef)
    def test_two_unit_equilibrium_closed_form(self, a12, a21):
        """Murray, Mathematical Biology I (2002), §3.5: u* = (1 + a)/(1 − ab), v* = (1 + b)/(1 − ab)
        for du/dτ = u(1 − u + a v), dv/dτ = ρ v(1 − v + b u); with x = N1 u, y = N2 v."""
        N1, N2 = 120.0, 45.0
        eq = LogisticSystem([0.5, 0.2], [N1, N2], [[0, a12], [a21, 0]]).equilibrium()
        x_star = N1 * (1 + a12) / (1 - a12 * a21)
        y_star = N2 * (1 + a21) / (1 - a12 * a21)
        assert_allclose(eq.x, [x_star, y_star], rtol=1e-10)
        assert eq.status == ("feasible" if x_star > 0 and y_star > 0 else "infeasible")
        if eq.feasible:
            # a12·a21 < 1 here, so the feasible equilibrium is stable
            assert eq.stable

    def test_unbounded_mutualism_reported(self):
        eq = LogisticSystem([0.5, 0.5], [10, 10], [[0, 2.0], [0.6, 0]]).equilibrium()
        assert eq.status == "unbounded" and not eq.feasible and np.isnan(eq.x).all()
        assert_allclose(eq.spectral_radius, np.sqrt(1.2), rtol=1e-12)
        assert "without bound" in eq.message

    def test_obligate_unit_with_strong_mutualism_blows_up(self):
        """Issue 16: A = [[0, 1.5], [1.5, 0]], unit 0 obligate. Without unit 0, unit 1 settles at
        u = 1, where unit 0 grows at r(−1 + 1.5) > 0, and ρ(A) = 1.5 > 1: every start with both
        units present blows up (checked by simulation), none is "driven out"."""
        s = LogisticSystem([1, 1], [1, 1], [[0, 1.5], [1.5, 0]], obligate=[True, False])
        eq = s.equilibrium()
        assert eq.status == "unbounded" and not eq.feasible
        assert "driven out" not in eq.message and "every start" in eq.message
        assert "without bound" in eq.message
        for x0 in ([0.01, 0.01], [0.001, 1.0], [1.0, 0.01]):
            assert s.simulate(x0, 500.0).status == 1

    def test_obligate_unit_some_starts_die_out_others_blow_up(self):
        """A = [[0, 0.8], [1.5, 0]], unit 0 obligate: ρ(A) = √1.2 > 1, but at unit 1's
        equilibrium u = 1 unit 0 grows at −1 + 0.8 < 0. Small starts of unit 0 die out, starts
        far out along the Perron vector w = (0.8, √1.2) blow up; by simulation."""
        s = LogisticSystem([1, 1], [1, 1], [[0, 0.8], [1.5, 0]], obligate=[True, False])
        eq = s.equilibrium()
        assert eq.status == "unbounded"
        assert "some starts die out and others blow up" in eq.message
        assert "[0]" in eq.message
        small = s.simulate([0.1, 1.0], 500.0)
        assert small.status == 0
        assert_allclose(small.x[-1], [0.0, 1.0], atol=1e-6)
        assert s.simulate(30 * np.array([0.8, np.sqrt(1.2)]), 500.0).status == 1

    def test_all_obligate_strong_mutualism(self):
        """Both obligate: 0 is stable (rates −r), yet ρ(A) = 1.5 > 1 lets large starts blow up."""
        s = LogisticSystem([1, 1], [1, 1], [[0, 1.5], [1.5, 0]], obligate=[True, True])
        eq = s.equilibrium()
        assert eq.status == "unbounded" and "near the origin" in eq.message
        assert_allclose(s.simulate([0.1, 0.1], 200.0).x[-1], [0, 0], atol=1e-6)
        assert s.simulate([10.0, 10.0], 200.0).status == 1

    def test_infeasible_and_singular(self):
        eq = LogisticSystem([1, 1], [10, 10], [[0, -2.0], [-0.1, 0]]).equilibrium()
        assert eq.status == "infeasible" and "[0]" in eq.message
        eq = LogisticSystem([1, 1], [10, 10], [[0, -2.0], [-0.5, 0]]).equilibrium()
        assert eq.status == "singular"

    def test_three_unit_equilibrium_solves_the_linear_system(self):
        A = np.array([[0, 0.3, 0.1], [0.4, 0, -0.2], [0.2, 0.3, 0]])
        N = np.array([100.0, 80.0, 60.0])
        s = LogisticSystem([0.5, 0.4, 0.3], N, A)
        eq = s.equilibrium()
        u = eq.x / N
        assert_allclose(u - A @ u, 1.0, rtol=1e-12)
        assert_allclose(s.rhs(0, eq.x), 0.0, atol=1e-10)

    @pytest.mark.parametrize("n", [2, 3, 4])
    def test_simulation_ends_at_the_equilibrium(self, n):
        rng = np.random.default_rng(n)
        A = rng.uniform(-0.3, 0.3, (n, n))
        np.fill_diagonal(A, 0)
        s = LogisticSystem(rng.uniform(0.3, 1.0, n), rng.uniform(10, 100, n), A)
        eq = s.equilibrium()
        assert eq.feasible and eq.stable
        traj = s.simulate(s.N / 10, 200.0)
        assert traj.success and traj.x.shape == (201, n)
        assert_allclose(traj.x[-1], eq.x, rtol=1e-5)

    def test_jacobian_against_finite_differences(self):
        s = LogisticSystem(
            [0.5, 0.4, 0.3], [100, 80, 60], [[0, 0.3, 0.1], [0.4, 0, -0.2], [0.2, 0.3, 0]]
        )
        x = np.array([30.0, 70.0, 20.0])
        assert_allclose(
            s.jacobian(x), numeric_jacobian(lambda y: s.rhs(0, y), x), rtol=1e-6, atol=1e-9
        )

    def test_stability_types(self):
        s = LogisticSystem([0.5, 0.4], [10, 10], [[0, 0.2], [0.2, 0]])
        assert s.stability([0, 0]).type == "unstable"
        assert s.stability([10, 0]).type == "saddle"
        assert s.stability(s.equilibrium().x).type == "stable"

    def test_blow_up_is_reported_not_hung_on(self):
        s = LogisticSystem([1.0, 1.0], [10, 10], [[0, 2.0], [2.0, 0]])
        t0 = time.perf_counter()
        traj = s.simulate([5, 5], 1000.0)
        assert time.perf_counter() - t0 < 5
        assert not traj.success and traj.status == 1
        assert "unbounded" in traj.message
        assert traj.t[-1] < 1000.0

    def test_effort_cap(self):
        s = LogisticSystem([1.0, 1.0], [10, 10], [[0, 0.2], [0.1, 0]])
        traj = s.simulate([1, 1], 100.0, max_nfev=20)
        assert not traj.success and traj.status == -2 and "max_nfev" in traj.message

    def test_surplus(self):
        s = LogisticSystem([0.5, 0.3], [100, 80], [[0, 0.4], [0.2, 0]])
        assert_allclose(s.surplus(), 100 * 1.4 / 0.92 + 80 * 1.2 / 0.92 - 180, rtol=1e-12)
        assert np.isnan(LogisticSystem([1, 1], [1, 1], [[0, 2], [2, 0]]).surplus())

    def test_modes(self):
        A = [[0, 0.3, -0.2], [0.3, 0, 0.0], [0.1, 0.4, 0]]
        m = LogisticSystem([1, 1, 1], [1, 1, 1], A).modes()
        assert m[0, 1] is BehaviourMode.SYMMETRIC_MUTUALISM
        assert m[0, 2] is BehaviourMode.PARASITISM  # a_02 = −0.2, a_20 = 0.1: unit 2 gains
        assert m[1, 2] is BehaviourMode.COMMENSALISM
        assert m[0, 0] is None
        assert all(m[i, j] is m[j, i] for i in range(3) for j in range(3))

    def test_obligate_unit(self):
        """u1 = (1 − a12)/(1 − a12·a21), u2 = (a21 − 1)/(1 − a12·a21) for an obligate unit 2,
        derived by hand from u1 − a12·u2 = 1, −a21·u1 + u2 = −1."""
        a12, a21 = 0.3, 1.5
        s = LogisticSystem([0.5, 0.5], [50, 20], [[0, a12], [a21, 0]], obligate=[False, True])
        eq = s.equilibrium()
        d = 1 - a12 * a21
        assert_allclose(eq.u, [(1 - a12) / d, (a21 - 1) / d], rtol=1e-12)
        assert eq.stable
        assert_allclose(s.simulate([40, 10], 300.0).x[-1], eq.x, rtol=1e-5)

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (([-1, 1], [1, 1], [[0, 0], [0, 0]]), {}, "`r` must be positive"),
            (([1, 1], [1, -1], [[0, 0], [0, 0]]), {}, "`N` must be positive"),
            (([1, 1], [1, 1, 1], [[0, 0], [0, 0]]), {}, "`N` must have 2 entries"),
            (([1, 1], [1, 1], [[0, 0, 0], [0, 0, 0]]), {}, "`A` must be a square matrix"),
            (([1, 1], [1, 1], [[0, 0, 0]] * 3), {}, r"`A` must have shape \(2, 2\)"),
            (([1, 1], [1, 1], [[0, np.nan], [0, 0]]), {}, "`A` must be finite"),
            (([1, 1], [1, 1], [[1, 0], [0, 0]]), {}, "zero diagonal"),
            (([1, np.nan], [1, 1], [[0, 0], [0, 0]]), {}, "`r` must be finite"),
            (
                ([1, 1], [1, 1], [[0, 0], [0, 0]]),
                {"obligate": [True]},
                "`obligate` must have shape",
            ),
        ],
    )
    def test_validation(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            LogisticSystem(*args, **kwargs)

    @pytest.mark.parametrize(
        "flags", [["no", "no"], ["True", "False"], [None, True], [2, 0], [0.5, 1]]
    )
    def test_obligate_must_be_booleans(self, flags):
        """``bool("no")`` is True: a string or other value must be refused, not cast."""
        with pytest.raises(ValueError, match="`obligate` must hold booleans"):
            LogisticSystem([1, 1], [1, 1], [[0, 0], [0, 0]], obligate=flags)

    @pytest.mark.parametrize("flags", [[True, False], [1, 0], [1.0, 0.0], np.array([True, False])])
    def test_obligate_accepts_bools_and_zero_one(self, flags):
        s = LogisticSystem([1, 1], [1, 1], [[0, 0], [0, 0]], obligate=flags)
        assert s.obligate.tolist() == [True, False]
        assert s.s.tolist() == [-1.0, 1.0]

    def test_inputs_are_copied_not_frozen(self):
        r = np.array([1.0, 1.0])
        A = np.zeros((2, 2))
        s = LogisticSystem(r, [1, 1], A)
        r[0] = 5.0  # the caller's arrays stay writable and do not change the system
        A[0, 1] = 0.5
        assert s.r[0] == 1.0 and s.A[0, 1] == 0.0
        with pytest.raises(ValueError, match="read-only"):
            s.A[0, 1] = 1.0

    def test_simulate_validation(self):
        s = LogisticSystem([1, 1], [1, 1], [[0, 0], [0, 0]])
        with pytest.raises(ValueError, match="`x0` must be non-negative"):
            s.simulate([-1, 1], 10.0)
        with pytest.raises(ValueError, match="`x0` must have 2 entries"):
            s.simulate([1, 1, 1], 10.0)
        with pytest.raises(ValueError, match="`t` must be strictly increasing"):
            s.simulate([1, 1], [0, 2, 1])
        with pytest.raises(ValueError, match="`t` must be a positive end time"):
            s.simulate([1, 1], -5)
        with pytest.raises(ValueError, match="`t` must be 1-D with at least 2"):
            s.simulate([1, 1], [1.0])
        with pytest.raises(ValueError, match="`x` must have 2 entries"):
            s.stability([1.0])
        with pytest.raises(ValueError, match="`r` must be an array of numbers"):
            LogisticSystem(["a", "b"], [1, 1], [[0, 0], [0, 0]])


class TestConvertInteractions:
    def test_competition_form(self):
        sigma = np.array([[0, 0.5], [0.3, 0]])
        assert_allclose(convert_interactions(sigma, convention="competition"), -sigma)

    def test_unscaled_gause_competition_matches_classic_equilibrium(self):
        """Gause–Lotka–Volterra competition dx/dt = r x (1 − (x + α12 y)/K1): the classic interior
        equilibrium x* = (K1 − α12 K2)/(1 − α12 α21) (Murray 2002, §3.5)."""
        K = np.array([100.0, 80.0])
        alpha = np.array([[0, 0.5], [0.4, 0]])
        s = LogisticSystem.from_convention([1, 1], K, -alpha, convention="unscaled")
        d = 1 - alpha[0, 1] * alpha[1, 0]
        expected = [(K[0] - alpha[0, 1] * K[1]) / d, (K[1] - alpha[1, 0] * K[0]) / d]
        assert_allclose(s.equilibrium().x, expected, rtol=1e-12)

    def test_validation(self):
        with pytest.raises(ValueError, match="`convention` must be one of"):
            convert_interactions([[0, 1], [1, 0]], convention="gause")
        with pytest.raises(ValueError, match="`N` is required"):
            convert_interactions([[0, 1], [1, 0]], convention="unscaled")
        with pytest.raises(ValueError, match="`coefficients` must be a square matrix"):
            convert_interactions([1, 2])


TRUE = LogisticSystem(
    [0.5, 0.4, 0.3], [100, 80, 60], [[0, 0.3, 0.1], [0.4, 0, -0.2], [0.2, 0.3, 0]]
)
T30 = np.arange(30.0)


class TestFitLogistic:
    def test_recovers_parameters_from_exact_data(self):
        X = TRUE.simulate([5, 6, 4], T30, rtol=1e-11, atol=1e-12).x
        fit = fit_logistic(T30, X)
        assert fit.success
        assert_allclose(fit.r, TRUE.r, rtol=1e-4)
        assert_allclose(fit.N, TRUE.N, rtol=1e-4)
        assert_allclose(fit.A, TRUE.A, atol=1e-4)
        assert fit.r2 > 0.999999

    def test_recovers_parameters_from_noisy_data_within_standard_errors(self):
        X = TRUE.simulate([5, 6, 4], T30).x
        rng = np.random.default_rng(7)
        Xn = X * (1 + 0.005 * rng.standard_normal(X.shape))
        fit = fit_logistic(T30, Xn)
        assert fit.success
        off = ~np.eye(3, dtype=bool)
        assert np.all(np.abs(fit.r - TRUE.r) <= 4 * fit.se_r)
        assert np.all(np.abs(fit.N - TRUE.N) <= 4 * fit.se_N)
        assert np.all(np.abs(fit.A - TRUE.A)[off] <= 4 * fit.se_A[off])
        assert_allclose(fit.r, TRUE.r, rtol=0.05)
        assert 0.99 < fit.r2 < 1.0
        assert np.all(fit.rmse > 0) and np.isfinite(fit.aic)
        assert fit.fitted.shape == (30, 3) and fit.residuals.shape == (30, 3)
        assert fit.seed is not None

    def test_identifiable_fit_warns_of_nothing(self):
        X = TRUE.simulate([5, 6, 4], T30).x
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fit = fit_logistic(T30, X * (1 + 0.005 * np.random.default_rng(3).random(X.shape)))
        assert fit.unidentified == ()
        assert np.all(np.isfinite(fit.se_r)) and np.all(np.isfinite(fit.se_N))

    def test_flat_series_leaves_rates_and_couplings_unidentified(self):
        """Issue 16: a flat series fits exactly for every r (x ≡ N·(1 + a·x_j/N_j) at rest), and
        N_i trades against a_ij, so their standard errors are NaN (they were 1e-14 for A,
        making a "competition" look significant); x0 is still identified."""
        X = np.column_stack([np.full(10, 50.0), np.full(10, 30.0)])
        with pytest.warns(RuntimeWarning, match=r"cannot identify r\[0\], r\[1\]"):
            fit = fit_logistic(np.arange(10.0), X)
        assert np.isnan(fit.se_r).all() and np.isnan(fit.se_N).all()
        assert np.isnan(fit.se_A).all()
        assert not np.any(np.abs(fit.A) > 1.96 * fit.se_A)  # never "significant"
        assert np.isnan(fit.covariance[0]).all()
        assert_allclose(fit.x0, [50, 30], rtol=1e-9) and np.isfinite(fit.se_x0).all()

    def test_unit_held_at_capacity(self):
        """Unit 0 stays at x = N = 100 (a_01 = 0), so its series says nothing of r_0, which the
        fit drives to its bound; unit 1 then grows as r_1(1 + a_10·x_0/N_0) x (1 − x/K) with
        K = N_1(1 + a_10·x_0/N_0): only that product and K are identified, not r_1 and a_10
        apart. Truth: r_1(1 + 0.5) = 0.6, K = 80·1.5 = 120 (checked on the fit)."""
        t = np.arange(10.0)
        X = LogisticSystem([0.6, 0.4], [100, 80], [[0, 0.0], [0.5, 0]]).simulate([100, 8], t).x
        with pytest.warns(RuntimeWarning, match="cannot identify"):
            fit = fit_logistic(t, X)
        assert {"r[0]", "r[1]", "A[1,0]"} <= set(fit.unidentified)
        assert np.isnan(fit.se_r).all() and np.isnan(fit.se_A[1, 0])
        gain = 1 + fit.A[1, 0] * fit.x0[0] / fit.N[0]
        assert_allclose(fit.r[1] * gain, 0.6, rtol=1e-4)
        assert_allclose(fit.N[1] * gain, 120, rtol=1e-4)

    def test_standard_errors_follow_the_unit_of_the_data(self):
        # Measuring in yuan instead of units multiplies X by c: the estimates of N (and x0)
        # and their standard errors scale by c, those of r and a_ij do not change. A
        # covariance taken on the unscaled Jacobian loses this for large c (the pseudo-inverse
        # cuts the directions of the small parameters).
        X = TRUE.simulate([5, 6, 4], T30).x
        rng = np.random.default_rng(11)
        Xn = X * (1 + 0.01 * rng.standard_normal(X.shape))
        c = 1e5
        small, large = fit_logistic(T30, Xn), fit_logistic(T30, Xn * c)
        off = ~np.eye(3, dtype=bool)
        assert_allclose(large.N, small.N * c, rtol=1e-4)
        assert_allclose(large.se_N, small.se_N * c, rtol=1e-2)
        assert_allclose(large.se_r, small.se_r, rtol=1e-2)
        assert_allclose(large.se_A[off], small.se_A[off], rtol=1e-2)

    def test_mask_and_fixed_initial_state(self):
        true = LogisticSystem([0.6, 0.4], [100, 80], [[0, 0.3], [0.0, 0]])
        t = np.arange(25.0)
        X = true.simulate([10, 8], t, rtol=1e-11, atol=1e-12).x
        fit = fit_logistic(t, X, mask=[[False, True], [False, False]], fit_x0=False)
        assert fit.A[1, 0] == 0 and np.isnan(fit.se_A[1, 0]) and np.isnan(fit.se_x0).all()
        assert_allclose(fit.A[0, 1], 0.3, atol=1e-4)
        assert_allclose(fit.x0, X[0])

    @pytest.mark.parametrize(
        ("t", "X", "kwargs", "match"),
        [
            (T30, np.ones(30), {}, "`X` must be 2-D"),
            (T30, np.ones((29, 2)), {}, "one row per time"),
            (T30, -np.ones((30, 2)), {}, "`X` must be positive"),
            (T30, np.full((30, 2), np.nan), {}, "`X` must be finite"),
            (np.arange(3.0), np.ones((3, 3)), {}, "too few"),
            (T30, np.ones((30, 2)), {"weights": "sd"}, "`weights` must be one of"),
            (T30, np.ones((30, 2)), {"mask": np.ones((3, 3))}, r"`mask` must have shape \(2, 2\)"),
            (T30[::-1], np.ones((30, 2)), {}, "`t` must be strictly increasing"),
            (T30, np.ones((30, 2)), {"mask": [["no", "yes"], ["yes", "no"]]}, "`mask` must hold"),
        ],
    )
    def test_validation(self, t, X, kwargs, match):
        with pytest.raises(ValueError, match=match):
            fit_logistic(t, X, **kwargs)

    def test_scalar_time_refused(self):
        with pytest.raises(ValueError, match="`t` must be an array of observation times"):
            fit_logistic(30.0, np.ones((201, 2)))

"""Benchmark: fitting a 3-unit Logistic symbiosis system on 30 periods.

Ours (least squares on the ODE solution with the Jacobian from the forward sensitivity
equations) against what people would otherwise write: ``least_squares`` with a finite-difference
Jacobian around ``solve_ivp``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares

from gongsheng.analytics.dynamics import LogisticSystem, fit_logistic

TRUE = LogisticSystem(
    [0.5, 0.4, 0.3], [100, 80, 60], [[0, 0.3, 0.1], [0.4, 0, -0.2], [0.2, 0.3, 0]]
)
T = np.arange(30.0)
X = TRUE.simulate([5, 6, 4], T).x * (1 + 0.005 * np.random.default_rng(1).standard_normal((30, 3)))


def naive_fit(t, X):
    n = X.shape[1]
    off = ~np.eye(n, dtype=bool)

    def model(th):
        r, N = th[:n], th[n : 2 * n]
        A = np.zeros((n, n))
        A[off] = th[2 * n : 2 * n + n * (n - 1)]
        x0 = th[-n:]

        def f(_t, x):
            return r * x * (1 - x / N + A @ (x / N))

        sol = solve_ivp(f, (t[0], t[-1]), x0, t_eval=t, method="LSODA", rtol=1e-9, atol=1e-10)
        if sol.y.shape[1] != t.size:
            return np.full_like(X, 1e3)
        return sol.y.T

    th0 = np.concatenate([np.full(n, 0.3), 1.2 * X.max(axis=0), np.zeros(n * (n - 1)), X[0]])
    lo = np.concatenate([np.full(2 * n, 1e-9), np.full(n * (n - 1), -np.inf), np.full(n, 1e-9)])
    w = X.mean(axis=0)
    return least_squares(lambda th: ((model(th) - X) / w).ravel(), th0, bounds=(lo, np.inf))


@pytest.mark.benchmark(group="fit_logistic 3 units x 30 periods")
def test_fit_logistic_gongsheng(benchmark):
    fit = benchmark(fit_logistic, T, X)
    assert fit.success and fit.r2 > 0.99
    assert np.allclose(fit.r, TRUE.r, rtol=0.05)


@pytest.mark.benchmark(group="fit_logistic 3 units x 30 periods")
def test_fit_naive_finite_difference_jacobian(benchmark):
    sol = benchmark.pedantic(naive_fit, args=(T, X), rounds=3, iterations=1)
    assert sol.cost < 1

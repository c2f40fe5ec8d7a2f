"""Fitting a Logistic symbiosis system by least squares on the ODE solution."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from gongsheng.analytics._numbers import as_flags
from gongsheng.analytics._ode import integrate, time_points
from gongsheng.analytics.dynamics._system import LogisticSystem
from gongsheng.analytics.dynamics._uncertainty import covariance, unidentified_mask
from gongsheng.analytics.reasons import Reason


# ---------------------------------------------------------------------------------------
# fitting
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogisticFit:
    """Result of :func:`fit_logistic`.

    Attributes
    ----------
    r, N : ndarray, shape (n,)
        Fitted growth rates and capacities.
    A : ndarray, shape (n, n)
        Fitted interaction coefficients (0 where not estimated).
    x0 : ndarray, shape (n,)
        Fitted (or fixed) initial state.
    se_r, se_N, se_A, se_x0 : ndarray
        Standard errors from the Jacobian at the solution, s²(JᵀJ)⁻¹ (NaN where not
        estimated or not identifiable).
    system : LogisticSystem
        The fitted system.
    fitted, residuals : ndarray, shape (T, n)
        Model values at the observation times and observed − fitted.
    r2 : float
        1 − SSR/SST over all units (on the original scale).
    r2_units, rmse : ndarray, shape (n,)
        Per-unit R² and root-mean-square error.
    aic : float
        m·ln(SSR_w/m) + 2p on the weighted residuals (m observations, p parameters).
    seed : LogisticSystem or None
        The discrete-regression estimate used as the starting point (None if unusable).
    success : bool
    message : str
    nfev : int
    covariance : ndarray, shape (p, p)
        Cov(θ) in the order r, N, the estimated a_ij (row by row), x0; NaN for unidentified
        parameters.
    unidentified : tuple of str
        Names (``"r[0]"``, ``"A[0,1]"`` …) of the parameters the data cannot identify.
    """

    r: np.ndarray
    N: np.ndarray
    A: np.ndarray
    x0: np.ndarray
    se_r: np.ndarray
    se_N: np.ndarray
    se_A: np.ndarray
    se_x0: np.ndarray
    system: LogisticSystem
    fitted: np.ndarray = field(repr=False)
    residuals: np.ndarray = field(repr=False)
    r2: float = float("nan")
    r2_units: np.ndarray | None = field(default=None, repr=False)
    rmse: np.ndarray | None = field(default=None, repr=False)
    aic: float = float("nan")
    seed: LogisticSystem | None = field(default=None, repr=False)
    success: bool = False
    message: str = ""
    nfev: int = 0
    covariance: np.ndarray | None = field(default=None, repr=False)
    unidentified: tuple[str, ...] = ()


def _discrete_seed(t, X, mask):
    """Regress Δln x_i/Δt on [1, x(mid)] per unit: r_i, −r_i/N_i, r_i a_ij/N_j."""
    T, n = X.shape
    y = np.diff(np.log(X), axis=0) / np.diff(t)[:, None]
    xm = np.sqrt(X[1:] * X[:-1])
    r = np.empty(n)
    N = np.empty(n)
    coef = np.zeros((n, n))
    for i in range(n):
        cols = [j for j in range(n) if j == i or mask[i, j]]
        D = np.column_stack([np.ones(T - 1), xm[:, cols]])
        c, *_ = np.linalg.lstsq(D, y[:, i], rcond=None)
        r[i] = c[0]
        for k, j in enumerate(cols):
            coef[i, j] = c[k + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        N = -r / np.diag(coef)
    return r, N, coef


def _seed(t, X, mask):
    n = X.shape[1]
    top = X.max(axis=0)
    fallback = (np.full(n, 1.0 / (t[-1] - t[0]) * 3), 1.2 * top, np.zeros((n, n)))
    try:
        r, N, coef = _discrete_seed(t, X, mask)
    except np.linalg.LinAlgError:
        return fallback, None
    if not (np.all(np.isfinite(r)) and np.all(r > 0) and np.all(np.isfinite(N)) and np.all(N > 0)):
        return fallback, None
    A = np.where(mask, coef * N[None, :] / r[:, None], 0.0)
    A = np.clip(A, -2, 2)
    np.fill_diagonal(A, 0.0)
    seed = LogisticSystem(r, N, A)
    return (r, N, A), seed


def fit_logistic(
    t,
    X,
    *,
    mask=None,
    fit_x0: bool = True,
    weights: str = "mean",
    max_nfev: int = 200,
    ode_rtol: float = 1e-9,
    ode_max_nfev: int = 5_000,
) -> LogisticFit:
    r"""Fit a Logistic symbiosis system to observed series by least squares on the ODE solution.

    Minimises Σ_i Σ_t ((x_i(t; θ) − X_ti)/w_i)² over θ = (r, N, a_ij, x0) with
    ``scipy.optimize.least_squares`` (trust-region reflective, r, N, x0 > 0), where x(t; θ)
    solves dx_i/dt = r_i x_i (1 − x_i/N_i + Σ a_ij x_j/N_j). The Jacobian comes from the
    forward sensitivity equations dS/dt = J_x S + ∂f/∂θ integrated with the state. The fit is
    started from the discrete regression of Δln x_i/Δt on (1, x), which is biased and only
    seeds the fit.

    Parameters
    ----------
    t : array_like, shape (T,)
        Observation times (periods), strictly increasing.
    X : array_like, shape (T, n)
        Observed positive series, one column per unit.
    mask : array_like of bool, shape (n, n), optional
        Which a_ij to estimate (others fixed at 0); default all off-diagonal.
    fit_x0 : bool, optional
        Estimate the initial state (default) or fix it at X[0].
    weights : {"mean", "none"}, optional
        Scale residuals of unit i by the mean of X[:, i] (default; units in different
        measures count alike) or not at all.
    max_nfev : int, optional
        Cap on least-squares iterations' function evaluations.
    ode_rtol : float, optional
        Relative tolerance of the ODE solver.
    ode_max_nfev : int, optional
        Cap on right-hand-side evaluations per ODE solve; a trial point whose solution is too
        stiff or blows up gets a large residual, so the optimiser steps back.

    Returns
    -------
    LogisticFit
        Fitted r, N, A, x0 with standard errors, the fitted system, R², RMSE, AIC, success.

    Raises
    ------
    ValueError
        For non-increasing t, X not 2-D, lengths that disagree, non-positive or missing
        observations, too few observations for the parameters, an unknown ``weights``.

    Notes
    -----
    Standard errors: Cov(θ) = s²(JᵀJ)⁺ with s² = SSR_w/(m − p), reported on the original
    parameter scale. A parameter the data cannot identify gets a NaN standard error (and NaN
    rows and columns in ``covariance``) and a :class:`RuntimeWarning` names it: one held at its
    lower bound (r of a unit held at capacity, whose series says nothing about its rate) or one
    with a share above 1 % in a direction the residuals do not change along (σ ≤ 10⁻⁶·σ_max of
    the Jacobian with columns scaled by max(|θ_k|, typical size): a flat series leaves r, and N
    against a_ij, free). Such a parameter is never "significant" (|θ| > z·se is False for NaN).
    R² = 1 − Σ(X − x̂)²/Σ(X − X̄_i)² over all units; AIC = m ln(SSR_w/m) + 2p.

    References
    ----------
    .. [1] Bates, D. M., Watts, D. G. Nonlinear Regression Analysis and Its Applications,
           Wiley, 1988, doi:10.1002/9780470316757.
    .. [2] 王子龙, 谭清美, 许箫迪. 企业集群共生演化模型及实证研究. 《中国管理科学》, 2006,
           14(2): 141-148.

    Examples
    --------
    >>> import numpy as np
    >>> from gongsheng.analytics.dynamics import LogisticSystem, fit_logistic
    >>> true = LogisticSystem([0.6, 0.4], [100, 80], [[0, 0.3], [0.5, 0]])
    >>> t = np.arange(20.0)
    >>> X = true.simulate([10, 8], t).x
    >>> fit = fit_logistic(t, X)
    >>> np.allclose(fit.A, true.A, atol=1e-3), fit.r2 > 0.9999
    (True, True)
    """
    tt = time_points(t)
    if np.asarray(t).ndim == 0:
        raise ValueError(f"`t` must be an array of observation times; got {t!r}")
    Xa = np.asarray(X, dtype=float)
    if Xa.ndim != 2:
        raise ValueError(f"`X` must be 2-D (periods × units); got shape {Xa.shape}")
    T, n = Xa.shape
    if tt.size != T:
        raise ValueError(f"`X` must have one row per time in `t` ({tt.size}); got {T} rows")
    if not np.all(np.isfinite(Xa)):
        raise ValueError(Reason("fit.not_finite"))
    if np.any(Xa <= 0):
        raise ValueError(Reason("fit.not_positive", min=repr(float(Xa.min()))))
    if weights not in ("mean", "none"):
        raise ValueError(f"`weights` must be one of ('mean', 'none'); got {weights!r}")
    if mask is None:
        m_ = ~np.eye(n, dtype=bool)
    else:
        m_ = as_flags(mask, "mask", (n, n)) & ~np.eye(n, dtype=bool)
    pairs = np.argwhere(m_)
    pi, pj = pairs[:, 0], pairs[:, 1]
    na = len(pairs)
    a_cols = 2 * n + np.arange(na)
    p = 2 * n + na + (n if fit_x0 else 0)
    if T * n <= p:
        raise ValueError(Reason("fit.too_few", observations=T * n, parameters=p))
    w = Xa.mean(axis=0) if weights == "mean" else np.ones(n)
    (r0, N0, A0), seed = _seed(tt, Xa, m_)
    theta0 = np.concatenate([r0, N0, A0[m_], Xa[0] if fit_x0 else []])
    lo = np.concatenate(
        [
            np.full(n, 1e-9),
            1e-9 * Xa.max(axis=0),
            np.full(na, -np.inf),
            np.full(n if fit_x0 else 0, 1e-12),
        ]
    )
    theta0 = np.maximum(theta0, lo * 10)
    bound = 1e4 * Xa.max()
    cache: dict = {}

    def unpack(th):
        r, N = th[:n], th[n : 2 * n]
        A = np.zeros((n, n))
        A[m_] = th[2 * n : 2 * n + na]
        x0 = th[2 * n + na :] if fit_x0 else Xa[0]
        return r, N, A, x0

    def solve(th):
        key = th.tobytes()
        if key in cache:
            return cache[key]
        r, N, A, x0 = unpack(th)
        S0 = np.zeros((n, p))
        if fit_x0:
            S0[:, 2 * n + na :] = np.eye(n)

        def f(_t, y):
            x = y[:n]
            S = y[n:].reshape(n, p)
            u = x / N
            g = 1.0 - u + A @ u
            fx = r * x * g
            J = (r * x)[:, None] * A / N[None, :]
            J[np.diag_indices(n)] = r * (g - u)
            F = np.zeros((n, p))
            F[np.arange(n), np.arange(n)] = x * g
            # d f_i / d N_k = r_i x_i (δ_ik x_i/N_i² − a_ik x_k/N_k²)
            dN = -(r * x)[:, None] * A * (x / N**2)[None, :]
            dN[np.diag_indices(n)] = r * x * x / N**2
            F[:, n : 2 * n] = dN
            F[pi, a_cols] = r[pi] * x[pi] * x[pj] / N[pj]
            return np.concatenate([fx, (J @ S + F).ravel()])

        run = integrate(
            f,
            tt,
            np.concatenate([x0, S0.ravel()]),
            bound=bound,
            max_nfev=ode_max_nfev,
            method="LSODA",
            rtol=ode_rtol,
            atol=1e-12 * max(1.0, Xa.max()),
        )
        cache.clear()
        cache[key] = run
        return run

    def resid(th):
        run = solve(th)
        out = np.full((T, n), 1e3)
        if run.t.size:
            k = run.t.size
            out[:k] = (run.y[:n].T - Xa[:k]) / w
        return out.ravel()

    def jac(th):
        run = solve(th)
        Jm = np.zeros((T, n, p))
        if run.success:
            Jm[:] = run.y[n:].T.reshape(T, n, p) / w[None, :, None]
        return Jm.reshape(T * n, p)

    ub = np.full(p, np.inf)
    sol = least_squares(
        resid,
        theta0,
        jac=jac,
        bounds=(lo, ub),
        method="trf",
        x_scale="jac",
        max_nfev=max_nfev,
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
    )
    th = sol.x
    r, N, A, x0 = unpack(th)
    system = LogisticSystem(r, N, A)
    run = solve(th)
    ok = run.success and sol.success
    fitted = run.y[:n].T if run.success else np.full((T, n), np.nan)
    res = Xa - fitted
    m = T * n
    ssr_w = float(np.sum((res / w) ** 2))
    dof = max(m - p, 1)
    span = float(tt[-1] - tt[0])
    typical = np.concatenate(
        [np.full(n, 1.0 / span), Xa.max(axis=0), np.ones(na), Xa.max(axis=0)[: p - 2 * n - na]]
    )
    try:
        cov = covariance(sol.jac, ssr_w / dof)
        se = np.sqrt(np.clip(np.diag(cov), 0, None))
        free = unidentified_mask(sol.jac, np.maximum(np.abs(th), typical), sol.active_mask != 0)
    except np.linalg.LinAlgError:
        cov = np.full((p, p), np.nan)
        se = np.full(p, np.nan)
        free = np.ones(p, dtype=bool)
    se[free] = np.nan
    cov[free, :] = np.nan
    cov[:, free] = np.nan
    names = [f"r[{i}]" for i in range(n)] + [f"N[{i}]" for i in range(n)]
    names += [f"A[{i},{j}]" for i, j in pairs] + [f"x0[{i}]" for i in range(p - 2 * n - na)]
    unidentified = tuple(names[k] for k in np.flatnonzero(free))
    if unidentified:
        warnings.warn(
            f"The data cannot identify {', '.join(unidentified)}: their standard errors are NaN.",
            RuntimeWarning,
            stacklevel=2,
        )
    se_A = np.full((n, n), np.nan)
    se_A[m_] = se[2 * n : 2 * n + na]
    se_x0 = se[2 * n + na :] if fit_x0 else np.full(n, np.nan)
    sst = np.sum((Xa - Xa.mean(axis=0)) ** 2, axis=0)
    ssr_u = np.sum(res**2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2u = np.where(sst > 0, 1 - ssr_u / sst, np.nan)
    r2 = float(1 - ssr_u.sum() / sst.sum()) if sst.sum() > 0 else float("nan")
    aic = float(m * np.log(max(ssr_w, 1e-300) / m) + 2 * p)
    msg = sol.message if run.success else run.message
    return LogisticFit(
        r=r,
        N=N,
        A=A,
        x0=np.asarray(x0, dtype=float),
        se_r=se[:n],
        se_N=se[n : 2 * n],
        se_A=se_A,
        se_x0=se_x0,
        system=system,
        fitted=fitted,
        residuals=res,
        r2=r2,
        r2_units=r2u,
        rmse=np.sqrt(ssr_u / T),
        aic=aic,
        seed=seed,
        success=bool(ok),
        message=str(msg),
        nfev=int(sol.nfev),
        covariance=cov,
        unidentified=unidentified,
    )

r"""Logistic (Lotka–Volterra) symbiosis dynamics of n units, and fitting them to data.

Gongsheng's convention (``../shared/docs/MODELS.md``)::

    dx_i/dt = r_i x_i (1 − x_i/N_i + Σ_{j≠i} a_ij x_j/N_j)

with a_ij the effect of unit j on unit i (positive = benefit). Other published conventions are
converted on input by name (:func:`convert_interactions`).

References
----------
.. [1] Murray, J. D. Mathematical Biology I: An Introduction, 3rd ed., Springer, 2002,
       §3.5 (mutualism), doi:10.1007/b98868.
.. [2] 王子龙, 谭清美, 许箫迪. 企业集群共生演化模型及实证研究. 《中国管理科学》, 2006,
       14(2): 141-148.
.. [3] Virtanen, P. et al. SciPy 1.0. Nature Methods 17, 261-272 (2020),
       doi:10.1038/s41592-019-0686-2 (solve_ivp, least_squares).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from gongsheng.analytics._ode import Trajectory, integrate, time_points
from gongsheng.analytics.symbiosis import classify_behaviour

__all__ = [
    "CONVENTIONS",
    "EquilibriumResult",
    "LogisticFit",
    "LogisticSystem",
    "StabilityResult",
    "Trajectory",
    "convert_interactions",
    "fit_logistic",
]

CONVENTIONS = ("standard", "competition", "unscaled")


def _vector(v, name: str, n: int | None = None, *, positive: bool = False) -> np.ndarray:
    try:
        arr = np.asarray(v, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be an array of numbers; got {v!r}") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D array; got shape {arr.shape}")
    if n is not None and arr.size != n:
        raise ValueError(f"`{name}` must have {n} entries (one per unit); got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite; got {arr.tolist()!r}")
    if positive and np.any(arr <= 0):
        raise ValueError(f"`{name}` must be positive; got {arr.tolist()!r}")
    return arr


def _matrix(a, name: str, n: int) -> np.ndarray:
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be a square array of numbers; got {a!r}") from exc
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"`{name}` must be a square matrix; got shape {arr.shape}")
    if arr.shape != (n, n):
        raise ValueError(f"`{name}` must have shape ({n}, {n}) to match `r`; got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite; got NaN or inf")
    return arr


def convert_interactions(coefficients, *, convention: str = "standard", N=None) -> np.ndarray:
    r"""Convert interaction coefficients from a published convention to Gongsheng's a_ij.

    * ``standard``: dx_i/dt = r_i x_i (1 − x_i/N_i + Σ a_ij x_j/N_j); returned as given.
    * ``competition``: dx_i/dt = r_i x_i (1 − x_i/N_i − Σ σ_ij x_j/N_j) (Gause form); a = −σ.
    * ``unscaled``: dx_i/dt = r_i x_i (1 − x_i/N_i + Σ b_ij x_j/N_i), the coefficient acting
      on x_j measured against N_i; a_ij = b_ij·N_j/N_i (needs ``N``).

    The diagonal is ignored (set to 0). The obligate form (−1 instead of 1 inside the
    bracket) is the ``obligate`` option of :class:`LogisticSystem`.

    Parameters
    ----------
    coefficients : array_like, shape (n, n)
    convention : {"standard", "competition", "unscaled"}
    N : array_like, shape (n,), optional
        Capacities, required for ``unscaled``.

    Returns
    -------
    ndarray, shape (n, n)

    Examples
    --------
    >>> from gongsheng.analytics.dynamics import convert_interactions
    >>> convert_interactions([[0, 0.5], [0.2, 0]], convention="unscaled", N=[100, 50])
    array([[0.  , 0.25],
           [0.4 , 0.  ]])
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"`convention` must be one of {CONVENTIONS}; got {convention!r}")
    c = np.asarray(coefficients, dtype=float)
    n = c.shape[0] if c.ndim == 2 else -1
    c = _matrix(c, "coefficients", n)
    out = c.copy()
    if convention == "competition":
        out = -out
    elif convention == "unscaled":
        if N is None:
            raise ValueError("`N` is required for convention 'unscaled'")
        cap = _vector(N, "N", n, positive=True)
        out = out * cap[None, :] / cap[:, None]
    np.fill_diagonal(out, 0.0)
    return out + 0.0


@dataclass(frozen=True)
class EquilibriumResult:
    """Result of :meth:`LogisticSystem.equilibrium`.

    Attributes
    ----------
    x : ndarray, shape (n,)
        x* = N·u* with u* = (I − A)⁻¹·s (s = 1, or −1 for obligate units); NaN if singular.
    u : ndarray
        u* = x*/N.
    status : str
        ``"feasible"`` (all x* > 0), ``"infeasible"`` (some x* ≤ 0: no interior equilibrium,
        some unit is pushed out), ``"unbounded"`` (A ≥ 0 with ρ(A) ≥ 1: mutualism so strong
        that growth has no bound) or ``"singular"`` (I − A singular).
    feasible : bool
    stable : bool
        Feasible and all Jacobian eigenvalues at x* have negative real parts.
    eigenvalues : ndarray
        Eigenvalues of the Jacobian at x* (NaN unless feasible).
    spectral_radius : float
        ρ(A).
    message : str
    """

    x: np.ndarray
    u: np.ndarray
    status: str
    feasible: bool
    stable: bool
    eigenvalues: np.ndarray
    spectral_radius: float
    message: str


@dataclass(frozen=True)
class StabilityResult:
    """Result of :meth:`LogisticSystem.stability`.

    Attributes
    ----------
    x : ndarray
        The point.
    eigenvalues : ndarray
        Eigenvalues of the Jacobian at x.
    max_real : float
        Largest real part.
    type : str
        ``"stable"`` (all Re < 0), ``"unstable"`` (all Re > 0), ``"saddle"`` (both signs) or
        ``"non_hyperbolic"`` (some |Re| ≤ tol).
    stable : bool
    """

    x: np.ndarray
    eigenvalues: np.ndarray
    max_real: float
    type: str
    stable: bool


class LogisticSystem:
    r"""Logistic (Lotka–Volterra) symbiosis system of n units.

    dx_i/dt = r_i x_i (s_i − x_i/N_i + Σ_{j≠i} a_ij x_j/N_j), s_i = 1 (s_i = −1 for an
    obligate unit that cannot live alone).

    Parameters
    ----------
    r : array_like, shape (n,)
        Intrinsic growth rates, positive.
    N : array_like, shape (n,)
        Capacities when alone (环境容量), positive.
    A : array_like, shape (n, n)
        a_ij = effect of unit j on unit i, in Gongsheng's convention; the diagonal must be 0.
    obligate : array_like of bool, shape (n,), optional
        Units with −1 in place of 1 (obligate symbionts).

    Raises
    ------
    ValueError
        For negative or zero r or N, a non-square A, a non-zero diagonal, NaN, or shapes
        that disagree.

    Notes
    -----
    With u = x/N the interior equilibrium solves (I − A)u = s. For n = 2 and s = 1:
    x* = N1(1 + a12)/(1 − a12·a21), y* = N2(1 + a21)/(1 − a12·a21). For A ≥ 0 a stable positive
    equilibrium exists iff ρ(A) < 1 (n = 2: a12·a21 < 1); otherwise growth is unbounded.

    References
    ----------
    .. [1] Murray, J. D. Mathematical Biology I, 3rd ed., Springer, 2002, §3.5,
           doi:10.1007/b98868.
    .. [2] 王子龙, 谭清美, 许箫迪. 企业集群共生演化模型及实证研究. 《中国管理科学》, 2006,
           14(2): 141-148.

    Examples
    --------
    >>> import numpy as np
    >>> from gongsheng.analytics.dynamics import LogisticSystem
    >>> sys = LogisticSystem([0.5, 0.3], [100, 80], [[0, 0.4], [0.2, 0]])
    >>> eq = sys.equilibrium()
    >>> eq.status
    'feasible'
    >>> np.allclose(eq.x, [100 * 1.4 / 0.92, 80 * 1.2 / 0.92])
    True
    >>> round(sys.surplus(), 6)  # Σx* − ΣN
    76.521739
    >>> sys.modes()[0, 1].value
    'asymmetric_mutualism'
    """

    def __init__(self, r, N, A, *, obligate=None):
        self.r = _vector(r, "r", positive=False)
        n = self.r.size
        if np.any(self.r <= 0):
            raise ValueError(f"`r` must be positive; got {self.r.tolist()!r}")
        self.N = _vector(N, "N", n, positive=True)
        self.A = _matrix(A, "A", n)
        if np.any(np.diag(self.A) != 0):
            raise ValueError(
                f"`A` must have a zero diagonal (self-limitation is -x_i/N_i); "
                f"got diagonal {np.diag(self.A).tolist()!r}"
            )
        if obligate is None:
            self.obligate = np.zeros(n, dtype=bool)
        else:
            ob = np.asarray(obligate)
            if ob.shape != (n,):
                raise ValueError(f"`obligate` must have shape ({n},); got {ob.shape}")
            self.obligate = ob.astype(bool)
        self.s = np.where(self.obligate, -1.0, 1.0)
        for arr in (self.r, self.N, self.A, self.obligate, self.s):
            arr.setflags(write=False)

    @classmethod
    def from_convention(cls, r, N, coefficients, *, convention="standard", obligate=None):
        """Build a system from coefficients in another convention (see
        :func:`convert_interactions`)."""
        return cls(
            r, N, convert_interactions(coefficients, convention=convention, N=N), obligate=obligate
        )

    @property
    def n(self) -> int:
        """Number of units."""
        return self.r.size

    def __repr__(self) -> str:
        return f"LogisticSystem(r={self.r.tolist()}, N={self.N.tolist()}, A={self.A.tolist()})"

    # ---------------------------------------------------------------------------------
    def rhs(self, t, x):
        """dx/dt at x (shape (n,) or (n, m) for m points at once)."""
        x = np.asarray(x, dtype=float)
        u = x / (self.N[:, None] if x.ndim == 2 else self.N)
        if x.ndim == 2:
            g = self.s[:, None] - u + self.A @ u
            return self.r[:, None] * x * g
        return self.r * x * (self.s - u + self.A @ u)

    def _x(self, x, name="x") -> np.ndarray:
        return _vector(x, name, self.n)

    def jacobian(self, x) -> np.ndarray:
        r"""Jacobian at x: J_ii = r_i(s_i − 2x_i/N_i + Σ_j a_ij x_j/N_j), J_ij = r_i x_i a_ij/N_j.

        Returns
        -------
        ndarray, shape (n, n)
        """
        x = self._x(x)
        u = x / self.N
        J = (self.r * x)[:, None] * self.A / self.N[None, :]
        J[np.diag_indices(self.n)] = self.r * (self.s - 2 * u + self.A @ u)
        return J

    def stability(self, x, *, tol: float = 1e-9) -> StabilityResult:
        """Linear stability at x from the Jacobian's eigenvalues (Lyapunov's first method)."""
        x = self._x(x)
        ev = np.linalg.eigvals(self.jacobian(x))
        re = ev.real
        if np.any(np.abs(re) <= tol):
            kind = "non_hyperbolic"
        elif np.all(re < 0):
            kind = "stable"
        elif np.all(re > 0):
            kind = "unstable"
        else:
            kind = "saddle"
        return StabilityResult(x, ev, float(re.max()), kind, kind == "stable")

    def equilibrium(self) -> EquilibriumResult:
        """Interior equilibrium x* = N·(I − A)⁻¹·s, or a statement why there is none."""
        n = self.n
        rho = float(np.max(np.abs(np.linalg.eigvals(self.A))))
        nan = np.full(n, np.nan)
        if np.all(self.A >= 0) and rho >= 1 and not np.any(self.obligate):
            return EquilibriumResult(
                nan,
                nan,
                "unbounded",
                False,
                False,
                np.full(n, np.nan + 0j),
                rho,
                f"Mutualism too strong: A >= 0 with spectral radius {rho:.4g} >= 1, so there is "
                "no stable positive equilibrium and the units grow without bound.",
            )
        M = np.eye(n) - self.A
        if abs(np.linalg.det(M)) < 1e-12 or np.linalg.cond(M) > 1e12:
            return EquilibriumResult(
                nan,
                nan,
                "singular",
                False,
                False,
                np.full(n, np.nan + 0j),
                rho,
                "I - A is singular: there is no isolated interior equilibrium.",
            )
        u = np.linalg.solve(M, self.s)
        x = u * self.N
        if np.all(u > 0):
            st = self.stability(x)
            msg = "Interior equilibrium x* > 0 " + (
                "is stable." if st.stable else f"exists but is {st.type.replace('_', '-')}."
            )
            return EquilibriumResult(x, u, "feasible", True, st.stable, st.eigenvalues, rho, msg)
        out = np.flatnonzero(u <= 0).tolist()
        return EquilibriumResult(
            x,
            u,
            "infeasible",
            False,
            False,
            np.full(n, np.nan + 0j),
            rho,
            f"No feasible interior equilibrium: x* <= 0 for units {out} (they are driven out).",
        )

    def surplus(self) -> float:
        """Symbiotic surplus at equilibrium Σx_i* − ΣN_i (NaN without a feasible equilibrium)."""
        eq = self.equilibrium()
        return float(eq.x.sum() - self.N.sum()) if eq.feasible else float("nan")

    def modes(self, *, tol: float = 1e-8) -> np.ndarray:
        """Behavioural mode of every pair: entry (i, j) = classify_behaviour(a_ij, a_ji).

        Returns an (n, n) object array of :class:`~gongsheng.analytics.symbiosis.BehaviourMode`
        with None on the diagonal; entry (i, j) names unit i as the first unit.
        """
        out = classify_behaviour(self.A, self.A.T, tol=tol)
        out[np.diag_indices(self.n)] = None
        return out

    def simulate(
        self,
        x0,
        t,
        *,
        bound: float | None = None,
        max_nfev: int = 200_000,
        method: str = "LSODA",
        rtol: float = 1e-8,
        atol: float = 1e-10,
    ) -> Trajectory:
        """Integrate from x0 with ``scipy.integrate.solve_ivp``.

        Parameters
        ----------
        x0 : array_like, shape (n,)
            Initial state, non-negative.
        t : float or array_like
            End time (201 points on [0, t]) or increasing output times.
        bound : float, optional
            Stop (status 1, blow-up) when some |x_i| exceeds it; default 1e6·max(N).
        max_nfev : int, optional
            Cap on right-hand-side evaluations (status -2 when reached).
        method, rtol, atol
            Passed to ``solve_ivp``.

        Returns
        -------
        Trajectory
        """
        x0 = self._x(x0, "x0")
        if np.any(x0 < 0):
            raise ValueError(f"`x0` must be non-negative; got {x0.tolist()!r}")
        tt = time_points(t)
        b = 1e6 * float(self.N.max()) if bound is None else float(bound)
        run = integrate(
            self.rhs, tt, x0, bound=b, max_nfev=max_nfev, method=method, rtol=rtol, atol=atol
        )
        return Trajectory(run.t, run.y.T, run.success, run.status, run.message, run.nfev)


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
    r2_units: np.ndarray = field(default=None, repr=False)
    rmse: np.ndarray = field(default=None, repr=False)
    aic: float = float("nan")
    seed: LogisticSystem | None = field(default=None, repr=False)
    success: bool = False
    message: str = ""
    nfev: int = 0
    covariance: np.ndarray = field(default=None, repr=False)


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
    parameter scale. R² = 1 − Σ(X − x̂)²/Σ(X − X̄_i)² over all units; AIC = m ln(SSR_w/m) + 2p.

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
        raise ValueError("`X` must be finite; got NaN or inf (missing observations)")
    if np.any(Xa <= 0):
        raise ValueError(f"`X` must be positive; got min {Xa.min()!r}")
    if weights not in ("mean", "none"):
        raise ValueError(f"`weights` must be one of ('mean', 'none'); got {weights!r}")
    if mask is None:
        m_ = ~np.eye(n, dtype=bool)
    else:
        m_ = np.asarray(mask, dtype=bool)
        if m_.shape != (n, n):
            raise ValueError(f"`mask` must have shape ({n}, {n}); got {m_.shape}")
        m_ = m_ & ~np.eye(n, dtype=bool)
    pairs = np.argwhere(m_)
    na = len(pairs)
    p = 2 * n + na + (n if fit_x0 else 0)
    if T * n <= p:
        raise ValueError(
            f"`X` has {T * n} observations, too few for {p} parameters; need more than {p}"
        )
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
            for k, (i, j) in enumerate(pairs):
                F[i, 2 * n + k] = r[i] * x[i] * x[j] / N[j]
            return np.concatenate([fx, (J @ S + F).ravel()])

        run = integrate(
            f,
            tt,
            np.concatenate([x0, S0.ravel()]),
            bound=bound,
            max_nfev=20_000,
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
    Jm = sol.jac
    try:
        cov = np.linalg.pinv(Jm.T @ Jm) * ssr_w / dof
        se = np.sqrt(np.clip(np.diag(cov), 0, None))
    except np.linalg.LinAlgError:
        cov = np.full((p, p), np.nan)
        se = np.full(p, np.nan)
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
    )

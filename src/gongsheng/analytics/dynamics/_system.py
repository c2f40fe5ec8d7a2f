"""The Logistic symbiosis system and the conventions converter."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gongsheng.analytics._numbers import as_flags
from gongsheng.analytics._ode import Trajectory, integrate, time_points
from gongsheng.analytics.dynamics._growth import unbounded_growth
from gongsheng.analytics.reasons import Reason
from gongsheng.analytics.symbiosis import classify_behaviour

CONVENTIONS = ("standard", "competition", "unscaled")


def _vector(v, name: str, n: int | None = None, *, positive: bool = False) -> np.ndarray:
    try:
        arr = np.array(v, dtype=float)
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
        arr = np.array(a, dtype=float)
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
        some unit is pushed out), ``"unbounded"`` (A ≥ 0 with ρ(A) ≥ 1, or ρ(A) > 1 with
        obligate units: mutualism so strong that growth has no bound; the message says when
        some starts die out while others blow up) or ``"singular"`` (I − A singular).
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
        Units with −1 in place of 1 (obligate symbionts): booleans or 0/1; anything else
        (``"no"``, None) is refused.

    Raises
    ------
    ValueError
        For negative or zero r or N, a non-square A, a non-zero diagonal, NaN, flags that are
        not booleans or 0/1, or shapes that disagree.

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
            self.obligate = as_flags(obligate, "obligate", (n,))
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
        why = unbounded_growth(self.A, self.obligate, rho)
        if why is not None:
            return EquilibriumResult(
                nan, nan, "unbounded", False, False, np.full(n, np.nan + 0j), rho, why
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
                Reason("dynamics.singular"),
            )
        u = np.linalg.solve(M, self.s)
        x = u * self.N
        if np.all(u > 0):
            st = self.stability(x)
            msg = (
                Reason("dynamics.stable")
                if st.stable
                else Reason("dynamics.not_stable", type=Reason(f"stability.{st.type}"))
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
            Reason("dynamics.infeasible", units=str(out)),
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

r"""Evolutionary games: replicator dynamics of k populations with two strategies each.

x_p is the share of population p choosing its first strategy (index 0: cooperate / active)::

    dx_p/dt = x_p (1 − x_p) Δ_p(x),   Δ_p = E[U_p | first] − E[U_p | second]

with expectations over the other populations' mixed states. Conventions and the two standard
models: ``../shared/docs/MODELS.md``.

References
----------
.. [1] Taylor, P. D., Jonker, L. B. Evolutionary stable strategies and game dynamics.
       Mathematical Biosciences 40 (1978) 145-156, doi:10.1016/0025-5564(78)90077-9.
.. [2] Friedman, D. Evolutionary games in economics. Econometrica 59(3) (1991) 637-666,
       doi:10.2307/2938222.
.. [3] Selten, R. A note on evolutionarily stable strategies in asymmetric animal conflicts.
       Journal of Theoretical Biology 84(1) (1980) 93-101, doi:10.1016/S0022-5193(80)81038-1.
.. [4] Hofbauer, J., Sigmund, K. Evolutionary Games and Population Dynamics. Cambridge
       University Press, 1998, doi:10.1017/CBO9781139173179.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import root

from gongsheng.analytics._ode import Trajectory, integrate, time_points

__all__ = [
    "DEFAULT_PARAMETERS",
    "MODELS",
    "BasinResult",
    "Equilibrium",
    "ReplicatorGame",
    "SweepResult",
    "government_school_enterprise",
    "school_enterprise",
    "sweep",
]

EQUILIBRIUM_TYPES = ("ess", "unstable", "saddle", "centre", "non_hyperbolic")


# ---------------------------------------------------------------------------------------
# batched kernels: payoffs P of shape (B,) + (2,)*k + (k,), points X of shape (B, m, k)
# ---------------------------------------------------------------------------------------
def _delta(P: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Δ_p(x) = E[U_p | s_p = 0] − E[U_p | s_p = 1] for every batch and point: (B, m, k)."""
    B, m, k = X.shape
    out = np.empty((B, m, k))
    for p in range(k):
        Pp = P[..., p]
        T = (np.take(Pp, 0, axis=1 + p) - np.take(Pp, 1, axis=1 + p))[:, None]
        for q in range(k):
            if q == p:
                continue
            rest = T.ndim - 3
            xq = X[:, :, q].reshape((B, X.shape[1]) + (1,) * rest)
            T = T[:, :, 0] * xq + T[:, :, 1] * (1.0 - xq)
        out[:, :, p] = T
    return out


def _corners(k: int) -> np.ndarray:
    """All 2^k corner states x ∈ {0,1}^k, in itertools.product order."""
    return np.array(list(itertools.product((0, 1), repeat=k)), dtype=float)


def _corner_eigenvalues(P: np.ndarray) -> np.ndarray:
    """Eigenvalues at every corner, closed form: λ_p = U_p(p deviates) − U_p(corner).

    At a corner the Jacobian is diagonal with J_pp = (1 − 2x_p)Δ_p. Returns (B, 2^k, k).
    """
    B = P.shape[0]
    k = P.ndim - 2
    corners = _corners(k).astype(int)
    out = np.empty((B, len(corners), k))
    for c, x in enumerate(corners):
        s = tuple(1 - x)
        for p in range(k):
            dev = list(s)
            dev[p] = 1 - dev[p]
            out[:, c, p] = P[(slice(None), *dev, p)] - P[(slice(None), *s, p)]
    return out


def _classify(ev: np.ndarray, tol: float) -> str:
    re, im = ev.real, ev.imag
    if np.all(re < -tol):
        return "ess"
    if np.any(np.abs(re) <= tol):
        if np.all(np.abs(re) <= tol) and np.all(np.abs(im) > tol):
            return "centre"
        return "non_hyperbolic"
    if np.all(re > tol):
        return "unstable"
    return "saddle"


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Equilibrium:
    """One rest point of a :class:`ReplicatorGame`.

    Attributes
    ----------
    x : ndarray, shape (k,)
        The point (share choosing the first strategy in each population).
    kind : str
        ``"corner"``, ``"edge"`` (one population mixed), ``"face"`` (two of three mixed) or
        ``"interior"`` (all mixed).
    eigenvalues : ndarray, shape (k,)
        Eigenvalues of the Jacobian at x.
    det, trace : float
        Determinant and trace of the Jacobian (Friedman's test for k = 2: ESS iff det > 0 and
        trace < 0).
    type : str
        ``"ess"`` (all Re λ < 0: asymptotically stable; only corners can be, Selten 1980),
        ``"unstable"`` (all Re λ > 0), ``"saddle"`` (both signs), ``"centre"`` (all λ
        imaginary) or ``"non_hyperbolic"`` (some Re λ = 0 otherwise).
    """

    x: np.ndarray
    kind: str
    eigenvalues: np.ndarray
    det: float
    trace: float
    type: str


@dataclass(frozen=True)
class BasinResult:
    """Result of :meth:`ReplicatorGame.basins`.

    Attributes
    ----------
    starts : ndarray, shape (m, k)
        Starting points.
    final : ndarray, shape (m, k)
        States at ``t_max``.
    labels : ndarray of int, shape (m,)
        Index into ``ess`` of the ESS reached (within ``tol``), −1 if none.
    ess : ndarray, shape (e, k)
        The ESS.
    shares : ndarray, shape (e,)
        Share of starting points reaching each ESS.
    unassigned : float
        Share reaching no ESS (cycling, slow or non-hyperbolic).
    t_max : float
    success : bool
    message : str
    """

    starts: np.ndarray
    final: np.ndarray
    labels: np.ndarray
    ess: np.ndarray
    shares: np.ndarray
    unassigned: float
    t_max: float
    success: bool
    message: str


def _grid_points(grid, k: int) -> np.ndarray:
    if np.ndim(grid) == 0:
        g = int(grid)
        if g != grid or g < 1:
            raise ValueError(
                f"`grid` must be a positive integer or an (m, {k}) array; got {grid!r}"
            )
        ax = (np.arange(g) + 0.5) / g
        return np.array(list(itertools.product(ax, repeat=k)))
    pts = np.asarray(grid, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != k:
        raise ValueError(f"`grid` must have shape (m, {k}); got {pts.shape}")
    if not np.all(np.isfinite(pts)) or np.any(pts < 0) or np.any(pts > 1):
        raise ValueError("`grid` points must lie in [0, 1]")
    return pts


def _run_basins(P, starts, *, t_max, tol, max_nfev, rtol=1e-6):
    """Integrate all starting points of all batches as one vectorised ODE system."""
    B = P.shape[0]
    m, k = starts.shape
    eig = _corner_eigenvalues(P)  # (B, C, k)
    corners = _corners(k)
    is_ess = np.all(eig < -1e-12, axis=2)  # (B, C)
    if t_max is None:
        rates = np.abs(eig[is_ess]) if is_ess.any() else np.abs(eig[eig != 0])
        slow = float(rates.min()) if rates.size else 1.0
        t_max = float(min(40.0 / max(slow, 1e-6), 1e4))
    y0 = np.broadcast_to(starts, (B, m, k)).ravel().copy()

    def f(_t, y):
        X = y.reshape(B, m, k)
        return (X * (1 - X) * _delta(P, X)).ravel()

    run = integrate(
        f, np.array([0.0, t_max]), y0, max_nfev=max_nfev * 1, method="RK45", rtol=rtol, atol=1e-9
    )
    final = run.y[:, -1].reshape(B, m, k) if run.t.size == 2 else np.full((B, m, k), np.nan)
    # distance of every final state to every corner: (B, m, C)
    dist = np.max(np.abs(final[:, :, None, :] - corners[None, None]), axis=3)
    near = (dist <= tol) & is_ess[:, None, :]
    labels = np.where(near.any(axis=2), np.argmax(near, axis=2), -1)
    return final, labels, is_ess, float(t_max), run


# ---------------------------------------------------------------------------------------
# the game
# ---------------------------------------------------------------------------------------
class ReplicatorGame:
    r"""k populations with two strategies each under replicator dynamics.

    dx_p/dt = x_p(1 − x_p)·Δ_p(x), where Δ_p(x) is the expected payoff of the first strategy
    minus that of the second for population p, given the others' shares.

    Parameters
    ----------
    payoffs : array_like, shape (2,)*k + (k,)
        ``payoffs[s_1, ..., s_k, p]`` = payoff to population p when population q plays strategy
        s_q (0 = cooperate / active, 1 = defect / passive). k ≥ 2.
    names : sequence of str, optional
        Population names, default ``("population 1", ...)``.
    tol : float, optional
        Real parts with |Re λ| ≤ tol count as zero when typing equilibria (default 1e-9).

    Raises
    ------
    ValueError
        If the payoff array has the wrong shape or is not finite.

    Notes
    -----
    At a corner the Jacobian is diagonal and its eigenvalues are λ_p = (1 − 2x_p)Δ_p: the
    payoff gain of a deviating member of population p. A corner with all λ_p < 0 is a strict
    Nash equilibrium and the only kind of ESS in multi-population games (Selten 1980); interior
    rest points are saddles or centres. Stability follows Friedman (1991) for k = 2 and
    Lyapunov's first method for k ≥ 3.

    References
    ----------
    .. [1] Friedman, D. Econometrica 59(3) (1991) 637-666, doi:10.2307/2938222.
    .. [2] Selten, R. J. Theor. Biol. 84(1) (1980) 93-101, doi:10.1016/S0022-5193(80)81038-1.

    Examples
    --------
    A stag hunt in two populations (cooperate pays 4 against a cooperator, 0 against a
    defector; defect pays 3 either way):

    >>> import numpy as np
    >>> from gongsheng.analytics.games import ReplicatorGame
    >>> P = np.zeros((2, 2, 2))
    >>> P[0, 0] = 4, 4; P[0, 1] = 0, 3; P[1, 0] = 3, 0; P[1, 1] = 3, 3
    >>> game = ReplicatorGame(P)
    >>> game.ess()
    array([[0., 0.],
           [1., 1.]])
    >>> interior = [e for e in game.equilibria() if e.kind == "interior"][0]
    >>> interior.x, interior.type   # cooperate pays off once 3/4 of the others cooperate
    (array([0.75, 0.75]), 'saddle')
    """

    def __init__(self, payoffs, *, names=None, tol: float = 1e-9):
        try:
            P = np.asarray(payoffs, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"`payoffs` must be an array of numbers; got {payoffs!r}") from exc
        k = P.ndim - 1
        if k < 2 or P.shape != (2,) * k + (k,):
            raise ValueError(
                "`payoffs` must have shape (2,)*k + (k,) for k >= 2 populations, e.g. (2, 2, 2) "
                f"or (2, 2, 2, 3); got {P.shape}"
            )
        if not np.all(np.isfinite(P)):
            raise ValueError("`payoffs` must be finite; got NaN or inf")
        self.payoffs = P
        P.setflags(write=False)
        self.k = k
        if names is None:
            names = tuple(f"population {p + 1}" for p in range(k))
        if len(names) != k:
            raise ValueError(f"`names` must have {k} entries; got {len(names)}")
        self.names = tuple(str(n) for n in names)
        self.tol = float(tol)

    def __repr__(self) -> str:
        return f"ReplicatorGame(k={self.k}, names={self.names})"

    def _point(self, x, name="x") -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        if arr.shape != (self.k,):
            raise ValueError(f"`{name}` must have shape ({self.k},); got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"`{name}` must be finite; got {arr.tolist()!r}")
        return arr

    def delta(self, x) -> np.ndarray:
        """Payoff differences Δ_p(x) (first − second strategy), shape (k,) or (m, k)."""
        X = np.asarray(x, dtype=float)
        single = X.ndim == 1
        X2 = np.atleast_2d(X)
        if X2.ndim != 2 or X2.shape[1] != self.k:
            raise ValueError(f"`x` must have shape ({self.k},) or (m, {self.k}); got {X.shape}")
        d = _delta(self.payoffs[None], X2[None])[0]
        return d[0] if single else d

    def rhs(self, x) -> np.ndarray:
        """dx/dt = x(1 − x)Δ(x); x of shape (k,) or (m, k)."""
        X = np.asarray(x, dtype=float)
        return X * (1 - X) * self.delta(X)

    def jacobian(self, x) -> np.ndarray:
        """J_pp = (1 − 2x_p)Δ_p, J_pq = x_p(1 − x_p)∂Δ_p/∂x_q (exact: Δ_p is affine in x_q)."""
        x = self._point(x)
        k = self.k
        rows = [x]
        for q in range(k):
            hi, lo = x.copy(), x.copy()
            hi[q], lo[q] = 1.0, 0.0
            rows += [hi, lo]
        d = self.delta(np.array(rows))
        J = np.empty((k, k))
        for q in range(k):
            J[:, q] = x * (1 - x) * (d[1 + 2 * q] - d[2 + 2 * q])
        J[np.diag_indices(k)] = (1 - 2 * x) * d[0]
        return J

    def _equilibrium(self, x, kind) -> Equilibrium:
        J = self.jacobian(x)
        ev = np.linalg.eigvals(J)
        if np.all(np.abs(ev.imag) <= 1e-14):
            ev = ev.real.astype(complex)
        return Equilibrium(
            np.asarray(x, dtype=float),
            kind,
            ev,
            float(np.linalg.det(J)),
            float(np.trace(J)),
            _classify(ev, self.tol),
        )

    def equilibria(self) -> list[Equilibrium]:
        """All isolated rest points: the 2^k corners, then rest points with some populations
        mixed (faces, interior) where they exist, each with eigenvalues and type.

        Rest points on a face with one mixed population exist only when Δ_p vanishes along the
        whole edge (a continuum, not isolated): they are not listed.
        """
        k = self.k
        out = [self._equilibrium(c, "corner") for c in _corners(k)]
        for size in range(2, k + 1):
            kind = "interior" if size == k else "face"
            for F in itertools.combinations(range(k), size):
                fixed = [q for q in range(k) if q not in F]
                for vals in itertools.product((0.0, 1.0), repeat=len(fixed)):
                    for xF in self._face_roots(F, fixed, vals):
                        x = np.empty(k)
                        x[list(F)] = xF
                        x[fixed] = vals
                        out.append(self._equilibrium(x, kind))
        return out

    def _face_roots(self, F, fixed, vals) -> list[np.ndarray]:
        k = self.k
        F = list(F)

        def full(xF):
            x = np.empty(k)
            x[F] = xF
            x[fixed] = vals
            return x

        if len(F) == 2:
            p, q = F
            # Δ_p affine in x_q, Δ_q affine in x_p (others fixed)
            d0 = self.delta(full([0.0, 0.0]))
            d1 = self.delta(full([1.0, 1.0]))
            a_p, b_p = d0[p], d1[p] - d0[p]
            a_q, b_q = d0[q], d1[q] - d0[q]
            if abs(b_p) <= 1e-14 or abs(b_q) <= 1e-14:
                return []
            xq, xp = -a_p / b_p, -a_q / b_q
            if 0 < xp < 1 and 0 < xq < 1:
                return [np.array([xp, xq])]
            return []
        if len(F) == 3:
            exact = self._face_roots3(F, full)
            if exact is not None:
                return exact
        roots: list[np.ndarray] = []
        starts = itertools.product((0.2, 0.5, 0.8), repeat=len(F))

        def fun(xF):
            return self.delta(full(xF))[F]

        def jac(xF):
            x = full(xF)
            cols = []
            for q in F:
                hi, lo = x.copy(), x.copy()
                hi[q], lo[q] = 1.0, 0.0
                cols.append(self.delta(hi)[F] - self.delta(lo)[F])
            return np.column_stack(cols)

        for s in starts:
            sol = root(fun, np.array(s), jac=jac, method="hybr", tol=1e-13)
            z = sol.x
            if not (sol.success and np.all(z > 1e-9) and np.all(z < 1 - 1e-9)):
                continue
            if np.max(np.abs(fun(z))) > 1e-9 * max(1.0, np.abs(self.payoffs).max()):
                continue
            if any(np.max(np.abs(z - r_)) < 1e-7 for r_ in roots):
                continue
            roots.append(z)
        return roots

    def _face_roots3(self, F, full) -> list[np.ndarray] | None:
        """Exact rest points with three mixed populations: eliminate two unknowns, solve the
        remaining quadratic in x_r (Δ_p is bilinear in the other two shares). None when the
        elimination degenerates."""
        p, q, r = F

        def coeffs(pop, a, b):
            # Δ_pop = c0 + ca·x_a + cb·x_b + cab·x_a·x_b (others fixed)
            vals = {}
            for va, vb in itertools.product((0.0, 1.0), repeat=2):
                x = full(np.full(3, 0.5))
                x[a], x[b] = va, vb
                vals[va, vb] = self.delta(x)[pop]
            c0 = vals[0, 0]
            return c0, vals[1, 0] - c0, vals[0, 1] - c0, vals[1, 1] - vals[1, 0] - vals[0, 1] + c0

        a0, aq, ar, aqr = coeffs(p, q, r)  # Δ_p(x_q, x_r)
        b0, bp, br, bpr = coeffs(q, p, r)  # Δ_q(x_p, x_r)
        g0, gp, gq, gpq = coeffs(r, p, q)  # Δ_r(x_p, x_q)
        pm, pa = np.polynomial.polynomial.polymul, np.polynomial.polynomial.polyadd
        Np, Dp = np.array([-b0, -br]), np.array([bp, bpr])  # x_p = Np/Dp in x_r
        Nq, Dq = np.array([-a0, -ar]), np.array([aq, aqr])  # x_q = Nq/Dq in x_r
        if np.all(Dp == 0) or np.all(Dq == 0):
            return None  # degenerate elimination: the caller falls back to root finding
        poly = pa(pa(g0 * pm(Dp, Dq), gp * pm(Np, Dq)), pa(gq * pm(Nq, Dp), gpq * pm(Np, Nq)))
        scale = max(1.0, float(np.abs(self.payoffs).max()))
        if np.all(np.abs(poly) <= 1e-12 * scale**3):
            return []  # a continuum of rest points, not isolated
        poly = np.trim_zeros(np.where(np.abs(poly) <= 1e-14 * scale**3, 0.0, poly), "b")
        roots: list[np.ndarray] = []
        for t in np.polynomial.polynomial.polyroots(poly) if poly.size > 1 else []:
            if abs(t.imag) > 1e-9 or not (0 < t.real < 1):
                continue
            xr = t.real
            dp, dq = np.polyval(Dp[::-1], xr), np.polyval(Dq[::-1], xr)
            if abs(dp) <= 1e-12 or abs(dq) <= 1e-12:
                continue
            z = np.array([np.polyval(Np[::-1], xr) / dp, np.polyval(Nq[::-1], xr) / dq, xr])
            inside = np.all(z > 0) and np.all(z < 1)
            if inside and np.max(np.abs(self.delta(full(z))[list(F)])) <= 1e-8 * scale:
                roots.append(z)
        return roots

    def ess(self) -> np.ndarray:
        """The evolutionarily stable strategies: corners with all eigenvalues < 0, shape (e, k)."""
        eig = _corner_eigenvalues(self.payoffs[None])[0]
        return _corners(self.k)[np.all(eig < -self.tol, axis=1)]

    def simulate(
        self,
        x0,
        t,
        *,
        max_nfev: int = 100_000,
        rtol: float = 1e-8,
        atol: float = 1e-10,
        method: str = "LSODA",
    ) -> Trajectory:
        """Integrate the replicator dynamics from x0 ∈ [0, 1]^k (``solve_ivp``).

        ``t`` is an end time (201 points) or increasing output times. Returns a
        :class:`~gongsheng.analytics._ode.Trajectory` with ``x`` of shape (len(t), k).
        """
        x0 = self._point(x0, "x0")
        if np.any(x0 < 0) or np.any(x0 > 1):
            raise ValueError(f"`x0` must lie in [0, 1]; got {x0.tolist()!r}")
        tt = time_points(t)
        run = integrate(
            lambda _t, y: self.rhs(y),
            tt,
            x0,
            bound=10.0,
            max_nfev=max_nfev,
            method=method,
            rtol=rtol,
            atol=atol,
        )
        return Trajectory(run.t, run.y.T, run.success, run.status, run.message, run.nfev)

    def basins(
        self, grid=11, *, t_max: float | None = None, tol: float = 0.02, max_nfev: int = 20_000
    ) -> BasinResult:
        """Which ESS each starting point reaches.

        All starting points are integrated together as one vectorised ODE system (one
        ``solve_ivp`` call).

        Parameters
        ----------
        grid : int or array_like, shape (m, k)
            Points per axis (cell centres (i + 0.5)/grid, so no start lies on a face), or the
            starting points themselves.
        t_max : float, optional
            Integration time; default 40 / (slowest rate of approach to an ESS), at most 1e4.
        tol : float, optional
            A final state within ``tol`` (max-norm) of an ESS counts as reaching it.
        max_nfev : int, optional
            Cap on right-hand-side evaluations of the whole system.
        """
        starts = _grid_points(grid, self.k)
        final, labels, is_ess, tm, run = _run_basins(
            self.payoffs[None], starts, t_max=t_max, tol=tol, max_nfev=max_nfev
        )
        corners = _corners(self.k)
        idx = np.flatnonzero(is_ess[0])
        lab = labels[0]
        relabel = np.full(len(corners), -1)
        relabel[idx] = np.arange(len(idx))
        lab = np.where(lab >= 0, relabel[np.maximum(lab, 0)], -1)
        shares = np.array([np.mean(lab == i) for i in range(len(idx))])
        return BasinResult(
            starts,
            final[0],
            lab,
            corners[idx],
            shares,
            float(np.mean(lab < 0)),
            tm,
            run.success,
            run.message,
        )


# ---------------------------------------------------------------------------------------
# the two standard models
# ---------------------------------------------------------------------------------------
def _se_payoffs(*, delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, f):
    """School–enterprise payoff table, broadcast over array parameters: (...,2,2,2)."""
    a = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, f))
    )
    dr, al, cs, ce, ss, se, gs, ge, tt, ff = a
    P = np.zeros((*dr.shape, 2, 2, 2))
    P[..., 0, 0, 0] = al * dr - cs + gs
    P[..., 0, 0, 1] = (1 - al) * dr - ce + ge + tt
    P[..., 0, 1, 0] = -cs + gs + ff
    P[..., 0, 1, 1] = se - ff
    P[..., 1, 0, 0] = ss - ff
    P[..., 1, 0, 1] = -ce + ge + tt + ff
    return P


def _gse_payoffs(*, delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, p_s, p_e, c_g, l):  # noqa: E741
    """Government–school–enterprise payoff table, broadcast: (...,2,2,2,3)."""
    a = np.broadcast_arrays(
        *(
            np.asarray(v, dtype=float)
            for v in (delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, p_s, p_e, c_g, l)
        )
    )
    dr, al, cs, ce, ss, se, gs, ge, tt, ps, pe, cg, ll = a
    P = np.zeros((*dr.shape, 2, 2, 2, 3))
    for s_, e_, g_ in itertools.product((0, 1), repeat=3):
        sc, ec, ga = s_ == 0, e_ == 0, g_ == 0  # cooperating / active
        # school: cooperate earns αΔR if the enterprise cooperates, pays C_s, gets G_s from an
        # active government; defect gets the spill-over S_s and the penalty P_s.
        P[..., s_, e_, g_, 0] = (al * dr * ec - cs + gs * ga) if sc else (ss * ec - ps * ga)
        P[..., s_, e_, g_, 1] = (
            ((1 - al) * dr * sc - ce + (ge + tt) * ga) if ec else (se * sc - pe * ga)
        )
        P[..., s_, e_, g_, 2] = (
            (ll - cg - gs * sc - (ge + tt) * ec + ps * (not sc) + pe * (not ec)) if ga else 0.0
        )
    return P


_SE_PARAMS = ("delta_r", "alpha", "c_s", "c_e", "s_s", "s_e", "g_s", "g_e", "t", "f")
_GSE_PARAMS = (
    "delta_r",
    "alpha",
    "c_s",
    "c_e",
    "s_s",
    "s_e",
    "g_s",
    "g_e",
    "t",
    "p_s",
    "p_e",
    "c_g",
    "l",
)

#: model name -> (payoff builder, parameter names, population names, Chinese names)
MODELS: dict[str, tuple[Callable, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "school_enterprise": (_se_payoffs, _SE_PARAMS, ("school", "enterprise"), ("学校", "企业")),
    "government_school_enterprise": (
        _gse_payoffs,
        _GSE_PARAMS,
        ("school", "enterprise", "government"),
        ("学校", "企业", "政府"),
    ),
}

#: Illustrative parameter sets (used by the command line and the demo; not estimates).
DEFAULT_PARAMETERS: dict[str, dict[str, float]] = {
    "school_enterprise": {
        "delta_r": 10.0,
        "alpha": 0.4,
        "c_s": 3.0,
        "c_e": 4.0,
        "s_s": 1.0,
        "s_e": 1.5,
        "g_s": 1.0,
        "g_e": 1.0,
        "t": 0.5,
        "f": 1.0,
    },
    "government_school_enterprise": {
        "delta_r": 10.0,
        "alpha": 0.4,
        "c_s": 3.0,
        "c_e": 4.0,
        "s_s": 1.0,
        "s_e": 1.5,
        "g_s": 1.0,
        "g_e": 1.0,
        "t": 0.5,
        "p_s": 1.0,
        "p_e": 1.0,
        "c_g": 2.0,
        "l": 6.0,
    },
}


def _check_params(model: str, params: Mapping, *, scalar: bool = True) -> dict:
    names = MODELS[model][1]
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise ValueError(f"unknown parameters {unknown} for model {model!r}; allowed: {names}")
    missing = [n for n in names if n not in params]
    if missing:
        raise ValueError(f"missing parameters {missing} for model {model!r}")
    out = {}
    for n in names:
        v = np.asarray(params[n], dtype=float)
        if scalar and v.ndim != 0:
            raise ValueError(f"`{n}` must be a number; got {params[n]!r}")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"`{n}` must be finite; got {params[n]!r}")
        out[n] = v
    if np.any((out["alpha"] < 0) | (out["alpha"] > 1)):
        raise ValueError(f"`alpha` must be in [0, 1]; got {params['alpha']!r}")
    return out


def school_enterprise(*, delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t, f) -> ReplicatorGame:
    r"""The school–enterprise cooperation game as a :class:`ReplicatorGame` (k = 2).

    Payoffs (school ; enterprise), index 0 = cooperate:

    ===================  ==================================  ====================
    \                    enterprise cooperates               enterprise defects
    ===================  ==================================  ====================
    school cooperates    αΔR − C_s + G_s ; (1−α)ΔR − C_e     −C_s + G_s + F ;
                         + G_e + T                           S_e − F
    school defects       S_s − F ; −C_e + G_e + T + F        0 ; 0
    ===================  ==================================  ====================

    so that dx/dt = x(1−x)(G_s + F − C_s + (αΔR − S_s)y) and
    dy/dt = y(1−y)(G_e + T + F − C_e + ((1−α)ΔR − S_e)x).

    Parameters
    ----------
    delta_r : float
        Synergy gain ΔR of joint cooperation.
    alpha : float
        School's share α of ΔR, in [0, 1].
    c_s, c_e : float
        Costs of cooperating.
    s_s, s_e : float
        Spill-overs to a free rider.
    g_s, g_e : float
        Government subsidies to cooperators.
    t : float
        Tax incentive for a cooperating enterprise.
    f : float
        Default compensation paid by a defector to a cooperating partner.

    Returns
    -------
    ReplicatorGame
        Populations (school, enterprise).

    References
    ----------
    .. [1] Friedman, D. Econometrica 59(3) (1991) 637-666, doi:10.2307/2938222.
    .. [2] ``../shared/docs/MODELS.md``, school–enterprise model.

    Examples
    --------
    >>> from gongsheng.analytics.games import school_enterprise
    >>> g = school_enterprise(delta_r=10, alpha=0.4, c_s=3, c_e=4, s_s=1, s_e=1.5,
    ...                       g_s=1, g_e=1, t=0.5, f=1)
    >>> g.rhs([0.5, 0.5])   # 0.25·(1 + 1 − 3 + 3·0.5), 0.25·(1 + 0.5 + 1 − 4 + 4.5·0.5)
    array([0.125 , 0.1875])
    """
    p = _check_params(
        "school_enterprise",
        {
            "delta_r": delta_r,
            "alpha": alpha,
            "c_s": c_s,
            "c_e": c_e,
            "s_s": s_s,
            "s_e": s_e,
            "g_s": g_s,
            "g_e": g_e,
            "t": t,
            "f": f,
        },
    )
    return ReplicatorGame(_se_payoffs(**p), names=MODELS["school_enterprise"][2])


def government_school_enterprise(
    *,
    delta_r,
    alpha,
    c_s,
    c_e,
    s_s,
    s_e,
    g_s,
    g_e,
    t,
    p_s,
    p_e,
    c_g,
    l,  # noqa: E741
) -> ReplicatorGame:
    r"""The government–school–enterprise game as a :class:`ReplicatorGame` (k = 3).

    Only an active government pays the subsidies and tax incentive and fines defectors. Payoffs
    (index 0 = cooperate / active): a cooperating school gets αΔR·[enterprise cooperates] − C_s
    + G_s·[government active], a defecting one S_s·[enterprise cooperates] − P_s·[active]; the
    enterprise likewise with (1−α)ΔR, C_e, G_e + T, S_e, P_e; an active government gets
    L − C_g − G_s·[school cooperates] − (G_e + T)·[enterprise cooperates] + P_s·[school defects]
    + P_e·[enterprise defects], a passive one 0. Hence

    Δ_s = −C_s + z(G_s + P_s) + y(αΔR − S_s),
    Δ_e = −C_e + z(G_e + T + P_e) + x((1−α)ΔR − S_e),
    Δ_g = L − C_g − xG_s − y(G_e + T) + (1−x)P_s + (1−y)P_e,

    and dx/dt = x(1−x)Δ_s, dy/dt = y(1−y)Δ_e, dz/dt = z(1−z)Δ_g.

    Parameters
    ----------
    delta_r, alpha, c_s, c_e, s_s, s_e, g_s, g_e, t : float
        As in :func:`school_enterprise`.
    p_s, p_e : float
        Penalties on a defecting school / enterprise levied by an active government.
    c_g : float
        The government's cost of being active (supervision).
    l : float
        Credibility benefit L of an active government.

    Returns
    -------
    ReplicatorGame
        Populations (school, enterprise, government); corners in that order.

    References
    ----------
    .. [1] Selten, R. J. Theor. Biol. 84(1) (1980) 93-101, doi:10.1016/S0022-5193(80)81038-1.
    .. [2] ``../shared/docs/MODELS.md``, government–school–enterprise model.

    Examples
    --------
    >>> from gongsheng.analytics.games import government_school_enterprise
    >>> g = government_school_enterprise(delta_r=10, alpha=0.4, c_s=3, c_e=4, s_s=1, s_e=1.5,
    ...     g_s=1, g_e=1, t=0.5, p_s=1, p_e=1, c_g=2, l=6)
    >>> g.delta([1.0, 1.0, 1.0])   # −3 + 2 + 3, −4 + 2.5 + 4.5, 6 − 2 − 1 − 1.5
    array([2. , 3. , 1.5])
    >>> g.ess()   # an active government alone does not lift (0, 0): its incentives are too small
    array([[0., 0., 1.],
           [1., 1., 1.]])
    """
    p = _check_params(
        "government_school_enterprise",
        {
            "delta_r": delta_r,
            "alpha": alpha,
            "c_s": c_s,
            "c_e": c_e,
            "s_s": s_s,
            "s_e": s_e,
            "g_s": g_s,
            "g_e": g_e,
            "t": t,
            "p_s": p_s,
            "p_e": p_e,
            "c_g": c_g,
            "l": l,
        },
    )
    return ReplicatorGame(_gse_payoffs(**p), names=MODELS["government_school_enterprise"][2])


# ---------------------------------------------------------------------------------------
# sweeps
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepChange:
    """The set of ESS from ``value`` on (until the next change)."""

    value: float
    ess: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class SweepResult:
    """Result of :func:`sweep`.

    Attributes
    ----------
    model, param : str
        Echo of the inputs.
    values : ndarray, shape (V,)
        Parameter values swept.
    params : dict
        The other parameters, held fixed.
    corners : ndarray, shape (2^k, k)
        Corner states (1 = cooperate / active), in ``itertools.product`` order.
    eigenvalues : ndarray, shape (V, 2^k, k)
        Corner eigenvalues for every value (closed form).
    ess : ndarray of bool, shape (V, 2^k)
        Which corners are ESS at each value.
    n_ess : ndarray of int, shape (V,)
    target : ndarray, shape (k,)
        The cooperative corner asked about.
    target_only : ndarray of bool, shape (V,)
        Whether ``target`` is the only ESS.
    threshold : float
        Smallest parameter value at which ``target`` is the only ESS (refined by bisection
        between the last value where it is not and the first where it is); NaN if never.
    threshold_message : str
    basin_shares : ndarray, shape (V, 2^k), or None
        Share of a coarse grid of starts reaching each corner (with ``basins=True``).
    basin_unassigned : ndarray, shape (V,), or None
    """

    model: str
    param: str
    values: np.ndarray
    params: dict
    corners: np.ndarray
    eigenvalues: np.ndarray = field(repr=False)
    ess: np.ndarray = field(repr=False)
    n_ess: np.ndarray = field(repr=False)
    target: np.ndarray = field(repr=False)
    target_only: np.ndarray = field(repr=False)
    threshold: float = float("nan")
    threshold_message: str = ""
    basin_shares: np.ndarray | None = field(default=None, repr=False)
    basin_unassigned: np.ndarray | None = field(default=None, repr=False)

    def changes(self) -> list[SweepChange]:
        """The values (in increasing order) at which the set of ESS changes, with the new set."""
        order = np.argsort(self.values, kind="stable")
        out: list[SweepChange] = []
        prev = None
        for i in order:
            cur = tuple(tuple(int(v) for v in c) for c in self.corners[self.ess[i]])
            if cur != prev:
                out.append(SweepChange(float(self.values[i]), cur))
                prev = cur
        return out


def _target_only(builder, params, param, values, target_idx, tol):
    p = dict(params)
    p[param] = values
    P = builder(**p)
    eig = _corner_eigenvalues(P)
    ess = np.all(eig < -tol, axis=2)
    only = ess[:, target_idx] & (ess.sum(axis=1) == 1)
    return eig, ess, only


def sweep(
    model: str,
    param: str,
    values,
    *,
    params: Mapping[str, float],
    target=None,
    basins: bool = False,
    grid: int = 5,
    t_max: float | None = None,
    tol: float = 1e-12,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    r"""How the ESS and their basins change as one parameter of a standard model varies.

    The corner eigenvalues λ_p = U_p(p deviates) − U_p(corner) are computed in closed form for
    all values at once (vectorised); a corner is an ESS where all λ_p < 0. The policy question
    "how large must the subsidy be?" is answered by ``threshold``: the smallest value at which
    the cooperative corner (all cooperate[, government active]) is the only ESS, refined by
    bisection on the closed form between the bracketing values swept.

    Parameters
    ----------
    model : {"school_enterprise", "government_school_enterprise"}
    param : str
        The parameter varied (one of the model's keyword arguments).
    values : array_like, shape (V,)
        Its values.
    params : mapping
        All the other parameters of the model (fixed).
    target : sequence of {0, 1}, optional
        The corner asked about in the threshold; default all ones (cooperate[, active]).
    basins : bool, optional
        Also simulate a ``grid``^k grid of starting points for every value (one vectorised ODE
        system per chunk) and report basin shares. Costs far more than the closed form.
    grid : int, optional
        Points per axis for ``basins`` (default 5).
    t_max : float, optional
        Integration time for ``basins`` (default: from the slowest ESS rate).
    tol : float, optional
        λ < −tol counts as negative.
    chunk_size : int, optional
        Process values in chunks of this size (for progress reports); default all at once
        (basins: 200).
    progress : callable, optional
        ``progress(done, total)`` called after each chunk.

    Returns
    -------
    SweepResult

    Raises
    ------
    ValueError
        For an unknown model (listing the allowed ones), an unknown or missing parameter, a
        ``param`` also given in ``params``, values that are not finite or not 1-D, a bad
        ``target``.

    References
    ----------
    .. [1] Friedman, D. Econometrica 59(3) (1991) 637-666, doi:10.2307/2938222.

    Examples
    --------
    >>> import numpy as np
    >>> from gongsheng.analytics.games import DEFAULT_PARAMETERS, sweep
    >>> base = dict(DEFAULT_PARAMETERS["school_enterprise"])
    >>> del base["g_e"]
    >>> res = sweep("school_enterprise", "g_e", np.arange(0, 3.1, 0.2), params=base)
    >>> round(res.threshold, 6)   # (0, 0) stops being an ESS once G_e + T + F > C_e
    2.5
    >>> [(c.value, c.ess) for c in res.changes()]
    [(0.0, ((0, 0), (1, 1))), (2.6, ((1, 1),))]
    """
    if model not in MODELS:
        raise ValueError(f"`model` must be one of {tuple(MODELS)}; got {model!r}")
    builder, names, _, _ = MODELS[model]
    k = len(MODELS[model][2])
    if param not in names:
        raise ValueError(f"`param` must be one of {names}; got {param!r}")
    if param in params:
        raise ValueError(f"`params` must not contain the swept parameter {param!r}")
    fixed = _check_params(model, {**params, param: 0.5 if param == "alpha" else 0.0})
    fixed.pop(param)
    vals = np.asarray(values, dtype=float)
    if vals.ndim != 1 or vals.size == 0:
        raise ValueError(f"`values` must be a non-empty 1-D array; got shape {vals.shape}")
    if not np.all(np.isfinite(vals)):
        raise ValueError("`values` must be finite; got NaN or inf")
    if param == "alpha" and (vals.min() < 0 or vals.max() > 1):
        raise ValueError("`values` of `alpha` must be in [0, 1]")
    corners = _corners(k)
    tgt = np.ones(k) if target is None else np.asarray(target, dtype=float)
    if tgt.shape != (k,) or not np.all(np.isin(tgt, (0, 1))):
        raise ValueError(f"`target` must be {k} values in {{0, 1}}; got {target!r}")
    t_idx = int(np.flatnonzero(np.all(corners == tgt, axis=1))[0])
    V = vals.size
    step = chunk_size or (200 if basins else V)
    if step < 1:
        raise ValueError(f"`chunk_size` must be >= 1; got {chunk_size!r}")
    eig = np.empty((V, len(corners), k))
    shares = np.empty((V, len(corners))) if basins else None
    unassigned = np.empty(V) if basins else None
    starts = _grid_points(grid, k) if basins else None
    for lo in range(0, V, step):
        hi = min(lo + step, V)
        p = dict(fixed)
        p[param] = vals[lo:hi]
        P = builder(**p)
        eig[lo:hi] = _corner_eigenvalues(P)
        if basins:
            _, labels, _, _, _ = _run_basins(P, starts, t_max=t_max, tol=0.02, max_nfev=50_000)
            for c in range(len(corners)):
                shares[lo:hi, c] = np.mean(labels == c, axis=1)
            unassigned[lo:hi] = np.mean(labels < 0, axis=1)
        if progress is not None:
            progress(hi, V)
    ess = np.all(eig < -tol, axis=2)
    only = ess[:, t_idx] & (ess.sum(axis=1) == 1)
    threshold, msg = _threshold(builder, fixed, param, vals, only, t_idx, tol)
    return SweepResult(
        model,
        param,
        vals,
        {n: float(v) for n, v in fixed.items()},
        corners,
        eig,
        ess,
        ess.sum(axis=1),
        tgt,
        only,
        threshold,
        msg,
        shares,
        unassigned,
    )


def _threshold(builder, fixed, param, vals, only, t_idx, tol):
    order = np.argsort(vals, kind="stable")
    sv, so = vals[order], only[order]
    hits = np.flatnonzero(so)
    if hits.size == 0:
        return float("nan"), (
            f"The cooperative corner is not the only ESS for any {param} in "
            f"[{sv[0]:g}, {sv[-1]:g}]."
        )
    i = int(hits[0])
    if i == 0:
        return float(sv[0]), (
            f"The cooperative corner is already the only ESS at the smallest {param} swept "
            f"({sv[0]:g}); the threshold may be lower."
        )
    a, b = float(sv[i - 1]), float(sv[i])
    for _ in range(200):
        mid = 0.5 * (a + b)
        if mid in (a, b):
            break
        if _target_only(builder, fixed, param, np.array([mid]), t_idx, tol)[2][0]:
            b = mid
        else:
            a = mid
    note = "" if np.all(so[i:]) else " (it stops being the only ESS again at a larger value)"
    return b, f"The cooperative corner is the only ESS from {param} = {b:.6g} on{note}."

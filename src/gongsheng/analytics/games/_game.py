"""The replicator game of k two-strategy populations."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import root

from gongsheng.analytics._ode import Trajectory, integrate, time_points
from gongsheng.analytics.games._kernels import (
    BasinResult,
    Equilibrium,
    _classify,
    _corner_eigenvalues,
    _corners,
    _delta,
    _grid_points,
    _run_basins,
)


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
            P = np.array(payoffs, dtype=float)
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
        return J + 0.0  # (1 − 2·1)·0 is −0.0: no signed zeros in J, its eigenvalues or its trace

    def _equilibrium(self, x, kind) -> Equilibrium:
        J = self.jacobian(x)
        # at a rest point Δ_p = 0 for every mixed population, so J_pp = (1 − 2x_p)Δ_p is 0
        # exactly: keep the solver's last-bit residue of Δ_p out of the trace and eigenvalues
        mixed = np.flatnonzero((np.asarray(x) > 0) & (np.asarray(x) < 1))
        J[mixed, mixed] = 0.0
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
            Integration time; default 40 / (slowest rate of approach to an ESS), at most
            1e4 (the integration runs in logit coordinates, so long times are cheap).
        tol : float, optional
            A final state within ``tol`` (max-norm) of an ESS counts as reaching it.
        max_nfev : int, optional
            Cap on right-hand-side evaluations of the whole system.

        Returns
        -------
        BasinResult

        Examples
        --------
        >>> from gongsheng.analytics.games import DEFAULT_PARAMETERS, school_enterprise
        >>> game = school_enterprise(**DEFAULT_PARAMETERS["school_enterprise"])
        >>> b = game.basins(20)
        >>> b.ess
        array([[0., 0.],
               [1., 1.]])
        >>> bool(b.shares[1] > b.shares[0]), b.unassigned
        (True, 0.0)
        """
        starts = _grid_points(grid, self.k)
        final, labels, is_ess, tm, run = _run_basins(
            self.payoffs[None], starts, t_max=t_max, tol=tol, max_nfev=max_nfev, ess_tol=self.tol
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

"""Batched kernels, result types and the vectorised basin integration."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from gongsheng.analytics._ode import integrate

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


def _run_basins(P, starts, *, t_max, tol, max_nfev, ess_tol=1e-12, rtol=1e-6):
    """Integrate all starting points of all batches as one vectorised ODE system.

    The integration runs in logit coordinates u = ln(x/(1 − x)), where the replicator
    equation becomes du_p/dt = Δ_p(x): near a corner u moves at a constant speed instead of
    the stiff exponential approach in x, so an explicit solver takes long steps. Starting
    points on a face (x = 0 or 1) are moved 1e-9 inside.
    """
    B = P.shape[0]
    m, k = starts.shape
    eig = _corner_eigenvalues(P)  # (B, C, k)
    corners = _corners(k)
    is_ess = np.all(eig < -ess_tol, axis=2)  # (B, C)
    if t_max is None:
        rates = np.abs(eig[is_ess]) if is_ess.any() else np.abs(eig[eig != 0])
        slow = float(rates.min()) if rates.size else 1.0
        t_max = float(min(40.0 / max(slow, 1e-6), 1e4))
    x0 = np.clip(np.broadcast_to(starts, (B, m, k)), 1e-9, 1 - 1e-9)
    y0 = np.log(x0 / (1 - x0)).ravel()

    def f(_t, y):
        X = 0.5 * (1 + np.tanh(0.5 * y.reshape(B, m, k)))  # logistic, without overflow
        return _delta(P, X).ravel()

    run = integrate(
        f, np.array([0.0, t_max]), y0, max_nfev=max_nfev, method="RK45", rtol=rtol, atol=1e-8
    )
    if run.t.size == 2:
        run_y = 0.5 * (1 + np.tanh(0.5 * run.y[:, -1]))
        run = type(run)(run.t, run_y[:, None], run.success, run.status, run.message, run.nfev)
    final = run.y[:, -1].reshape(B, m, k) if run.t.size == 2 else np.full((B, m, k), np.nan)
    # distance of every final state to every corner: (B, m, C)
    dist = np.max(np.abs(final[:, :, None, :] - corners[None, None]), axis=3)
    near = (dist <= tol) & is_ess[:, None, :]
    labels = np.where(near.any(axis=2), np.argmax(near, axis=2), -1)
    return final, labels, is_ess, float(t_max), run

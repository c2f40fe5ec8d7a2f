"""Private helpers for the ODE-based analytics (dynamics, games): capped ``solve_ivp`` runs.

Every integration has a bound on the state (a terminal event) and a cap on the number of
right-hand-side evaluations, so a stiff or blowing-up system is reported with
``success=False`` and a message instead of hanging.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

__all__ = ["OdeRun", "Trajectory", "integrate", "time_points"]

STATUS_MESSAGES = {
    0: "The integration reached the end of the time span.",
    1: "The state exceeded the bound {bound:g}: growth is unbounded (blow-up) at t = {t:g}.",
    -1: "The solver failed: {detail}",
    -2: "Integration effort exceeded max_nfev = {max_nfev} evaluations (stiff system?) "
    "at t = {t:g}.",
}


@dataclass(frozen=True)
class OdeRun:
    t: np.ndarray
    y: np.ndarray
    success: bool
    status: int
    message: str
    nfev: int


@dataclass(frozen=True)
class Trajectory:
    """Result of a simulation.

    Attributes
    ----------
    t : ndarray, shape (m,)
        Times reached (fewer than requested if the integration stopped).
    x : ndarray, shape (m, n)
        States, one row per time.
    success : bool
    status : int
        0 end reached, 1 blow-up (bound exceeded), -1 solver failure, -2 effort cap reached.
    message : str
    nfev : int
    """

    t: np.ndarray
    x: np.ndarray
    success: bool
    status: int
    message: str
    nfev: int


class _Budget(Exception):
    pass


class _Blowup:
    """The terminal event of :func:`integrate`: zero where the largest state hits ``bound``."""

    terminal = True

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def __call__(self, t: float, y: np.ndarray) -> float:
        return float(self.bound - np.max(np.abs(y)))


def time_points(t, name: str = "t") -> np.ndarray:
    """Validate output times: a positive end time T (→ 201 points on [0, T]) or an increasing
    1-D array with at least 2 points."""
    arr = np.asarray(t, dtype=float)
    if arr.ndim == 0:
        if not (np.isfinite(arr) and arr > 0):
            raise ValueError(f"`{name}` must be a positive end time or an array; got {t!r}")
        return np.linspace(0.0, float(arr), 201)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"`{name}` must be 1-D with at least 2 time points; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite; got NaN or inf")
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"`{name}` must be strictly increasing")
    return arr


def integrate(
    fun,
    t_eval: np.ndarray,
    y0: np.ndarray,
    *,
    bound: float = np.inf,
    max_nfev: int = 200_000,
    method: str = "LSODA",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    vectorized: bool = False,
) -> OdeRun:
    """Run ``solve_ivp`` with a blow-up event at ``|y| > bound`` and an evaluation cap."""
    count = [0]

    def f(t, y):
        count[0] += 1 if y.ndim == 1 else y.shape[1]
        if count[0] > max_nfev:
            raise _Budget(t)
        return fun(t, y)

    events = [_Blowup(bound)] if np.isfinite(bound) else None
    try:
        sol = solve_ivp(
            f,
            (float(t_eval[0]), float(t_eval[-1])),
            y0,
            method=method,
            t_eval=t_eval,
            events=events,
            rtol=rtol,
            atol=atol,
            vectorized=vectorized,
        )
    except _Budget as exc:
        t_stop = float(exc.args[0])
        msg = STATUS_MESSAGES[-2].format(max_nfev=max_nfev, t=t_stop)
        return OdeRun(t_eval[:0], np.empty((y0.size, 0)), False, -2, msg, count[0])
    if sol.status == 1:
        t_stop = float(sol.t_events[0][0]) if len(sol.t_events[0]) else float(sol.t[-1])
        msg = STATUS_MESSAGES[1].format(bound=bound, t=t_stop)
        return OdeRun(sol.t, sol.y, False, 1, msg, count[0])
    if sol.status < 0:
        msg = STATUS_MESSAGES[-1].format(detail=sol.message)
        return OdeRun(sol.t, sol.y, False, -1, msg, count[0])
    return OdeRun(sol.t, sol.y, True, 0, STATUS_MESSAGES[0], count[0])

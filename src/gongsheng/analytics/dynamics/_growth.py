"""Unbounded growth of a cooperative Logistic system (A ≥ 0), with and without obligate units."""

from __future__ import annotations

import numpy as np

from gongsheng.analytics.reasons import Reason


def _radius(A: np.ndarray) -> float:
    return float(np.max(np.abs(np.linalg.eigvals(A)))) if A.size else 0.0


def unbounded_growth(A: np.ndarray, obligate: np.ndarray, rho: float) -> Reason | None:
    r"""Why growth is unbounded for u' = r u (s − u + A u), or None when it is not.

    Growth is unbounded when A ≥ 0 and ρ(A) ≥ 1 and no unit is obligate (s = 1). With obligate
    units (s_i = −1) it is unbounded from large starts when ρ(A) > 1: along the Perron vector w
    of A, (A − I)w = (ρ − 1)w outgrows the −1. Whether small starts also blow up depends on the
    units that can live alone (F): if they blow up among themselves (ρ(A_FF) ≥ 1), so does
    everything; otherwise they settle at u_F = (I − A_FF)⁻¹·1 (0 when F is empty), where an
    obligate unit i grows iff its invasion rate λ_i = −1 + Σ_{j∈F} a_ij u_Fj is positive. An
    obligate unit with λ_i < 0 dies out from starts near that point while large starts blow up.

    References
    ----------
    .. [1] Murray, J. D. Mathematical Biology I, 3rd ed., Springer, 2002, §3.5.
    .. [2] Hofbauer, J., Sigmund, K. Evolutionary Games and Population Dynamics, Cambridge
           University Press, 1998, §15.3 (cooperative Lotka–Volterra systems).
    """
    if not np.all(A >= 0):
        return None
    if not obligate.any():
        return Reason("dynamics.unbounded", rho=rho) if rho >= 1 else None
    if rho <= 1:
        return None
    free = ~obligate
    ob = np.flatnonzero(obligate)
    A_ff = A[np.ix_(free, free)]
    rho_f = _radius(A_ff)
    if rho_f >= 1:
        return Reason(
            "dynamics.unbounded_free", rho=rho, units=str(np.flatnonzero(free).tolist()),
            rho_free=rho_f,
        )  # fmt: skip
    u_f = np.linalg.solve(np.eye(A_ff.shape[0]) - A_ff, np.ones(A_ff.shape[0]))
    invasion = -1.0 + A[np.ix_(obligate, free)] @ u_f
    where = Reason("dynamics.near_others" if free.any() else "dynamics.near_zero")
    dying = ob[invasion < 0].tolist()
    if not dying:
        return Reason(
            "dynamics.unbounded_obligate", rho=rho, units=str(ob.tolist()), where=where,
            rates=str(np.round(invasion, 4).tolist()),
        )  # fmt: skip
    return Reason(
        "dynamics.unbounded_some", rho=rho, units=str(dying), where=where,
        rates=str(np.round(invasion[invasion < 0], 4).tolist()),
    )  # fmt: skip

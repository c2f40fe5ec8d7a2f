"""Standard errors of a least-squares fit, and the parameters the data cannot identify."""

from __future__ import annotations

import numpy as np


def covariance(jac: np.ndarray, sigma2: float) -> np.ndarray:
    """Asymptotic covariance σ²·(JᵀJ)⁻¹ of least-squares estimates, computed on the
    column-scaled Jacobian so that parameters of very different magnitude (rates ~0.5,
    capacities ~10⁶ CNY) do not make the small singular directions fall below the
    pseudo-inverse's cutoff: with D = diag(1/‖J_k‖) and J·D = U·S·Vᵀ,
    (JᵀJ)⁻¹ = D·V·S⁻²·Vᵀ·D. Directions with s ≤ eps·max(m, p)·s_max are truly unidentified
    and dropped (as ``numpy.linalg.pinv`` does)."""
    norms = np.linalg.norm(jac, axis=0)
    d = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)
    _u, sv, vt = np.linalg.svd(jac * d[None, :], full_matrices=False)
    cut = np.finfo(float).eps * max(jac.shape) * (sv[0] if sv.size else 0.0)
    inv = np.where(sv > cut, 1.0 / np.where(sv > cut, sv, 1.0) ** 2, 0.0)
    vd = vt.T * d[:, None]
    return (vd * inv[None, :]) @ vd.T * sigma2


def unidentified_mask(jac: np.ndarray, scale: np.ndarray, at_bound: np.ndarray) -> np.ndarray:
    """Parameters the data cannot identify: those held at a bound by the optimiser, and those
    with a share above 1 % in a direction of (near-)zero sensitivity. Columns are scaled by a
    typical size of their parameter (so a change of one "unit" means the same for a rate, a
    capacity and a coefficient); a direction is null when its singular value is at most
    1e-6·s_max, well above the error of the sensitivities (ODE rtol ≤ 1e-6)."""
    out = at_bound.copy()
    keep = np.flatnonzero(~at_bound)
    if keep.size:
        _u, sv, vt = np.linalg.svd(jac[:, keep] * scale[None, keep], full_matrices=True)
        sv = np.concatenate([sv, np.zeros(keep.size - sv.size)])
        null = vt[sv <= 1e-6 * (sv[0] if sv.size else 0.0)]
        out[keep] = np.sqrt(np.sum(null**2, axis=0)) > 0.01
    return out

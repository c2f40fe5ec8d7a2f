"""Symbiotic energy and relative gains."""

from __future__ import annotations

import numpy as np


# --------------------------------------------------------------------------------------
# energy
# --------------------------------------------------------------------------------------
def energy_surplus(whole, alone):
    r"""Symbiotic energy (共生能量) surplus E = V(whole) − Σ_i V_i(alone).

    Parameters
    ----------
    whole : float or array_like, shape (...)
        Value produced by the units together.
    alone : array_like, shape (..., n)
        Value each unit produces alone (last axis = units).

    Returns
    -------
    float or ndarray
        E; a symbiosis lasts only with E > 0.

    Raises
    ------
    ValueError
        If inputs are not finite or do not broadcast.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998 (共生能量).

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import energy_surplus
    >>> energy_surplus(130.0, [50.0, 60.0])
    20.0
    """
    w = np.asarray(whole, dtype=float)
    al = np.asarray(alone, dtype=float)
    if al.ndim == 0:
        raise ValueError(f"`alone` must have a last axis of units; got a scalar {alone!r}")
    for name, v in (("whole", w), ("alone", al)):
        if np.any(~np.isfinite(v)):
            raise ValueError(f"`{name}` must be finite; got NaN or inf")
    try:
        out = w - al.sum(axis=-1)
    except ValueError as exc:
        raise ValueError(
            f"`whole` of shape {w.shape} does not match `alone` of shape {al.shape}"
        ) from exc
    return float(out) if out.ndim == 0 else out


def relative_gains(gains, sizes):
    r"""Relative gains ρ_i = g_i / s_i (gain per unit of size or input).

    Symmetric distribution (对称分配) means equal relative gains.

    Parameters
    ----------
    gains, sizes : array_like, shape (n,)
        Absolute gains and sizes (inputs, values alone); sizes must be positive.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import relative_gains
    >>> relative_gains([10.0, 20.0], [50.0, 100.0])
    array([0.2, 0.2])
    """
    g = np.asarray(gains, dtype=float)
    s = np.asarray(sizes, dtype=float)
    if g.shape != s.shape:
        raise ValueError(
            f"`gains` and `sizes` must have the same shape; got {g.shape} and {s.shape}"
        )
    if np.any(~np.isfinite(g)):
        raise ValueError("`gains` must be finite; got NaN or inf")
    if np.any(~np.isfinite(s)) or np.any(s <= 0):
        raise ValueError(f"`sizes` must be positive and finite; got {s.tolist()!r}")
    return g / s


def symmetric_allocation(surplus, sizes):
    r"""Share a surplus symmetrically: e_i = E·s_i/Σ s_j (equal relative gains).

    Parameters
    ----------
    surplus : float
        The energy surplus E.
    sizes : array_like, shape (n,)
        Sizes (values alone, inputs); positive.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import symmetric_allocation
    >>> symmetric_allocation(20.0, [50.0, 150.0])
    array([ 5., 15.])
    """
    e = float(surplus)
    if not np.isfinite(e):
        raise ValueError(f"`surplus` must be finite; got {surplus!r}")
    s = np.asarray(sizes, dtype=float)
    if s.ndim != 1 or s.size == 0:
        raise ValueError(f"`sizes` must be a non-empty 1-D array; got shape {s.shape}")
    if np.any(~np.isfinite(s)) or np.any(s <= 0):
        raise ValueError(f"`sizes` must be positive and finite; got {s.tolist()!r}")
    return e * s / s.sum()

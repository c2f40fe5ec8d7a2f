"""Symbiosis degree δ and share θ."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

DEGREE_METHODS = ("growth", "log", "elasticity")
NAN_POLICIES = ("raise", "propagate", "omit")


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _as_series(z, name: str, *, allow_nan: bool = False) -> np.ndarray:
    try:
        arr = np.asarray(z, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be a 1-D array of numbers; got {z!r}") from exc
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be 1-D; got an array of shape {arr.shape}")
    if arr.size < 2:
        raise ValueError(f"`{name}` must have at least 2 periods; got {arr.size}")
    bad_mask = np.isinf(arr) if allow_nan else ~np.isfinite(arr)
    if np.any(bad_mask):
        bad = np.flatnonzero(bad_mask).tolist()
        what = "inf" if allow_nan else "NaN or inf"
        raise ValueError(f"`{name}` must be finite; got {what} at positions {bad}")
    return arr


def _safe_ratio(num: np.ndarray, den: np.ndarray, atol: float) -> tuple[np.ndarray, np.ndarray]:
    defined = np.abs(den) > atol
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=defined)
    return out, defined


# --------------------------------------------------------------------------------------
# symbiosis degree and share
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SymbiosisDegreeResult:
    """Result of :func:`symbiosis_degree`.

    Attributes
    ----------
    values : ndarray or float
        δ_sm: per period (length T−1) for ``growth`` and ``log``, one number for ``elasticity``.
        NaN where undefined.
    defined : ndarray of bool or bool
        Where ``values`` is defined (denominator not zero).
    reverse : ndarray or float
        δ_ms, the degree of m with respect to s, NaN where undefined.
    reverse_defined : ndarray of bool or bool
        Where ``reverse`` is defined.
    share : ndarray or float
        θ_s = |δ_sm|/(|δ_sm|+|δ_ms|), NaN where either is undefined.
    method : str
        The estimator used.
    growth_s, growth_m : ndarray
        The per-period changes the ratio is made of (ΔZ/Z_prev or Δln Z); empty for
        ``elasticity``.
    """

    values: np.ndarray | float
    defined: np.ndarray | bool
    reverse: np.ndarray | float
    reverse_defined: np.ndarray | bool
    share: np.ndarray | float
    method: str
    growth_s: np.ndarray = field(repr=False)
    growth_m: np.ndarray = field(repr=False)


def symbiosis_degree(
    z_s, z_m, *, method: str = "growth", atol: float = 1e-12, nan_policy: str = "raise"
):
    r"""Symbiosis degree δ_sm of unit s with respect to unit m (共生度).

    δ_sm = (dZ_s/Z_s) / (dZ_m/Z_m): the relative change of s's quality parameter per relative
    change of m's. Three estimators:

    * ``growth``: δ_sm(t) = g_s(t)/g_m(t) with g(t) = (Z(t) − Z(t−1))/Z(t−1); δ_ms = 1/δ_sm.
    * ``log``: δ_sm(t) = Δln Z_s(t)/Δln Z_m(t) (needs Z > 0); δ_ms = 1/δ_sm.
    * ``elasticity``: the OLS slope β_sm of ln Z_s on ln Z_m, and δ_ms = β_ms, the slope of the
      reverse regression (β_sm·β_ms = r², so they are not reciprocal).

    Parameters
    ----------
    z_s, z_m : array_like, shape (T,)
        Quality parameter (质参量) series of units s and m over the same T ≥ 2 periods.
    method : {"growth", "log", "elasticity"}, optional
        Estimator, default ``"growth"``.
    atol : float, optional
        A denominator with absolute value ≤ ``atol`` counts as zero (degree undefined).
    nan_policy : {"raise", "propagate", "omit"}, optional
        Missing observations (NaN): ``raise`` (default) refuses them; ``propagate`` makes
        every period touching one undefined; ``omit`` drops the periods where either series
        is missing and computes on the rest (the same as calling on the filtered data).

    Returns
    -------
    SymbiosisDegreeResult
        ``values`` (δ_sm, NaN where undefined, never inf), ``defined``, ``reverse`` (δ_ms),
        ``share`` (θ_s), ``method``.

    Raises
    ------
    ValueError
        If the series are not 1-D, of different lengths, shorter than 2, not finite, not
        positive for ``log``/``elasticity``, or ``method`` is unknown.

    Notes
    -----
    δ_sm > 0: s grows when m grows; δ_sm < 0: s shrinks when m grows; |δ_sm| > 1: s responds
    more than proportionally. Periods where m's parameter does not change have no degree.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998, ch. 2.

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import symbiosis_degree
    >>> res = symbiosis_degree([100, 110, 121, 121], [50, 60, 60, 66])
    >>> res.values  # (0.1/0.2, 0.1/0, 0/0.1)
    array([0.5, nan, 0. ])
    >>> res.defined
    array([ True, False,  True])
    >>> float(res.reverse[0])
    2.0
    """
    if method not in DEGREE_METHODS:
        raise ValueError(f"`method` must be one of {DEGREE_METHODS}; got {method!r}")
    if nan_policy not in NAN_POLICIES:
        raise ValueError(f"`nan_policy` must be one of {NAN_POLICIES}; got {nan_policy!r}")
    allow = nan_policy != "raise"
    zs = _as_series(z_s, "z_s", allow_nan=allow)
    zm = _as_series(z_m, "z_m", allow_nan=allow)
    if zs.shape != zm.shape:
        raise ValueError(f"`z_s` and `z_m` must have the same length; got {zs.size} and {zm.size}")
    if nan_policy == "omit":
        keep = ~(np.isnan(zs) | np.isnan(zm))
        zs, zm = zs[keep], zm[keep]
        if zs.size < 2:
            raise ValueError(
                f"`z_s` and `z_m` must have at least 2 periods observed in both; got {zs.size}"
            )
    if not (np.isfinite(atol) and atol >= 0):
        raise ValueError(f"`atol` must be a non-negative number; got {atol!r}")
    if method in ("log", "elasticity"):
        for name, z in (("z_s", zs), ("z_m", zm)):
            if np.any(z <= 0):
                raise ValueError(
                    f"`{name}` must be positive for method {method!r}; got min {z.min()!r}"
                )
    if method == "growth":
        gs, ok_s = _safe_ratio(np.diff(zs), zs[:-1], 0.0)
        gm, ok_m = _safe_ratio(np.diff(zm), zm[:-1], 0.0)
        gs = np.where(ok_s, gs, np.nan)
        gm = np.where(ok_m, gm, np.nan)
    elif method == "log":
        gs, gm = np.diff(np.log(zs)), np.diff(np.log(zm))
    else:
        ls, lm = np.log(zs), np.log(zm)
        cov = np.mean((ls - ls.mean()) * (lm - lm.mean()))
        vs, vm = ls.var(), lm.var()
        d_sm, defined_sm = _safe_ratio(np.asarray(cov), np.asarray(vm), atol)
        d_ms, defined_ms = _safe_ratio(np.asarray(cov), np.asarray(vs), atol)
        ok_sm = bool(defined_sm) and bool(np.isfinite(d_sm))
        ok_ms = bool(defined_ms) and bool(np.isfinite(d_ms))
        share = symbiosis_share(float(d_sm), float(d_ms))
        return SymbiosisDegreeResult(
            float(d_sm), ok_sm, float(d_ms), ok_ms, share, method, np.empty(0), np.empty(0)
        )
    with np.errstate(invalid="ignore"):
        d_sm, ok = _safe_ratio(gs, gm, atol)
        d_ms, okr = _safe_ratio(gm, gs, atol)
    ok &= np.isfinite(gs) & np.isfinite(gm)
    okr &= np.isfinite(gs) & np.isfinite(gm)
    d_sm = np.where(ok, d_sm, np.nan)
    d_ms = np.where(okr, d_ms, np.nan)
    return SymbiosisDegreeResult(d_sm, ok, d_ms, okr, symbiosis_share(d_sm, d_ms), method, gs, gm)


def symbiosis_share(d_sm, d_ms):
    r"""Symbiosis share θ_s = |δ_sm| / (|δ_sm| + |δ_ms|).

    θ_s = 0.5 is symmetric; θ_s > 0.5 means s responds more to m than m to s. θ_m = 1 − θ_s.

    Parameters
    ----------
    d_sm, d_ms : array_like
        Symbiosis degrees of s with respect to m and of m with respect to s (broadcast).
        NaN (undefined degree) propagates.

    Returns
    -------
    ndarray or float
        θ_s, NaN where undefined or where both degrees are 0.

    Raises
    ------
    ValueError
        If a degree is infinite.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998.

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import symbiosis_share
    >>> symbiosis_share(0.5, 2.0)
    0.2
    >>> symbiosis_share([1.0, -3.0], [1.0, 1.0])
    array([0.5 , 0.75])
    """
    a = np.abs(np.asarray(d_sm, dtype=float))
    b = np.abs(np.asarray(d_ms, dtype=float))
    for name, v in (("d_sm", a), ("d_ms", b)):
        if np.any(np.isinf(v)):
            raise ValueError(f"`{name}` must be finite or NaN (undefined); got inf")
    den = a + b
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, a / np.where(den > 0, den, 1.0), np.nan)
    out = np.where(np.isnan(den), np.nan, out)
    return float(out) if out.ndim == 0 else out

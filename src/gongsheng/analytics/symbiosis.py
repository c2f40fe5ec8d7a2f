"""Symbiosis theory: degree, share, behavioural and organisational modes, energy.

The vocabulary is Yuan Chunqing's symbiosis theory (共生理论) as used for industry-education
consortia: symbiotic units (共生单元) with quality parameters (质参量) Z, the symbiosis degree
δ (共生度), the symbiosis share θ, behavioural modes (行为共生模式) and organisational modes
(组织共生模式), and symbiotic energy (共生能量). Conventions: ``../shared/docs/MODELS.md``.

References
----------
.. [1] 袁纯清, 《共生理论——兼论小型经济》, 北京: 经济科学出版社, 1998.
.. [2] 袁纯清, 共生理论及其对小型经济的应用研究(上), 《改革》, 1998(2): 100-104.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "BehaviourMode",
    "Episode",
    "OrganisationMode",
    "OrganisationResult",
    "Side",
    "SymbiosisDegreeResult",
    "classify_behaviour",
    "classify_organisation",
    "describe_organisation",
    "energy_surplus",
    "gaining_side",
    "relative_gains",
    "symbiosis_degree",
    "symbiosis_share",
    "symmetric_allocation",
]

DEGREE_METHODS = ("growth", "log", "elasticity")


# --------------------------------------------------------------------------------------
# enums
# --------------------------------------------------------------------------------------
class BehaviourMode(enum.StrEnum):
    """Behavioural symbiosis mode (行为共生模式) of a pair of units.

    ``.value`` is the English key stored by the platform, ``.label`` the Chinese name shown.
    """

    INDEPENDENT = "independent"
    COMMENSALISM = "commensalism"
    PARASITISM = "parasitism"
    ASYMMETRIC_MUTUALISM = "asymmetric_mutualism"
    SYMMETRIC_MUTUALISM = "symmetric_mutualism"
    COMPETITION = "competition"
    AMENSALISM = "amensalism"

    @property
    def label(self) -> str:
        """Chinese label (寄生, 偏利共生, ...)."""
        return _BEHAVIOUR_LABELS[self]


_BEHAVIOUR_LABELS = {
    BehaviourMode.INDEPENDENT: "独立",
    BehaviourMode.COMMENSALISM: "偏利共生",
    BehaviourMode.PARASITISM: "寄生",
    BehaviourMode.ASYMMETRIC_MUTUALISM: "非对称互惠共生",
    BehaviourMode.SYMMETRIC_MUTUALISM: "对称互惠共生",
    BehaviourMode.COMPETITION: "竞争/反向共生",
    BehaviourMode.AMENSALISM: "偏害",
}


class Side(enum.StrEnum):
    """Which unit of a pair gains (the platform's verdicts name the gaining side)."""

    FIRST = "first"
    SECOND = "second"
    BOTH = "both"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"first": "第一方", "second": "第二方", "both": "双方", "neither": "无"}[self.value]


class OrganisationMode(enum.StrEnum):
    """Organisational symbiosis mode (组织共生模式) of a pair of units."""

    POINT = "point"
    INTERMITTENT = "intermittent"
    CONTINUOUS = "continuous"
    INTEGRATED = "integrated"

    @property
    def label(self) -> str:
        """Chinese label (点共生, 间歇共生, 连续共生, 一体化共生)."""
        return {
            "point": "点共生",
            "intermittent": "间歇共生",
            "continuous": "连续共生",
            "integrated": "一体化共生",
        }[self.value]


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _as_series(z, name: str) -> np.ndarray:
    try:
        arr = np.asarray(z, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be a 1-D array of numbers; got {z!r}") from exc
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be 1-D; got an array of shape {arr.shape}")
    if arr.size < 2:
        raise ValueError(f"`{name}` must have at least 2 periods; got {arr.size}")
    if not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr)).tolist()
        raise ValueError(f"`{name}` must be finite; got NaN or inf at positions {bad}")
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


def symbiosis_degree(z_s, z_m, *, method: str = "growth", atol: float = 1e-12):
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
    zs = _as_series(z_s, "z_s")
    zm = _as_series(z_m, "z_m")
    if zs.shape != zm.shape:
        raise ValueError(f"`z_s` and `z_m` must have the same length; got {zs.size} and {zm.size}")
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
        d_sm, ok = _safe_ratio(np.asarray(cov), np.asarray(vm), atol)
        d_ms, okr = _safe_ratio(np.asarray(cov), np.asarray(vs), atol)
        share = symbiosis_share(float(d_sm), float(d_ms))
        return SymbiosisDegreeResult(
            float(d_sm), bool(ok), float(d_ms), bool(okr), share, method, np.empty(0), np.empty(0)
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


# --------------------------------------------------------------------------------------
# behavioural modes
# --------------------------------------------------------------------------------------
def _effects(a, b, tol, scale):
    try:
        a_ = np.asarray(a, dtype=float)
        b_ = np.asarray(b, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"`a` and `b` must be numbers or arrays of numbers; got {a!r}, {b!r}"
        ) from exc
    for name, v in (("a", a_), ("b", b_)):
        if np.any(~np.isfinite(v)):
            raise ValueError(f"`{name}` must be finite; got NaN or inf")
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"`tol` must be a non-negative number; got {tol!r}")
    s = np.asarray(scale, dtype=float)
    if np.any(~np.isfinite(s)) or np.any(s < 0):
        raise ValueError(f"`scale` must be non-negative and finite; got {scale!r}")
    try:
        a_, b_, band = np.broadcast_arrays(a_, b_, tol * s)
    except ValueError as exc:
        raise ValueError(
            f"`a` and `b` must broadcast together; got shapes {a_.shape} and {b_.shape}"
        ) from exc
    sa = np.where(a_ > band, 1, np.where(a_ < -band, -1, 0))
    sb = np.where(b_ > band, 1, np.where(b_ < -band, -1, 0))
    return a_, b_, band, sa, sb


def _mode_codes(a_, b_, band, sa, sb):
    lo, hi = np.minimum(sa, sb), np.maximum(sa, sb)
    code = np.full(sa.shape, 0)  # independent
    code[(hi == 1) & (lo == 0)] = 1  # commensalism
    code[(hi == 1) & (lo == -1)] = 2  # parasitism
    both = (lo == 1) & (hi == 1)
    sym = both & (np.abs(a_ - b_) <= band)
    code[both & ~sym] = 3
    code[sym] = 4
    code[(lo == -1) & (hi == -1)] = 5  # competition
    code[(lo == -1) & (hi == 0)] = 6  # amensalism
    return code


_MODE_BY_CODE = [
    BehaviourMode.INDEPENDENT,
    BehaviourMode.COMMENSALISM,
    BehaviourMode.PARASITISM,
    BehaviourMode.ASYMMETRIC_MUTUALISM,
    BehaviourMode.SYMMETRIC_MUTUALISM,
    BehaviourMode.COMPETITION,
    BehaviourMode.AMENSALISM,
]


def classify_behaviour(a, b, *, tol: float = 1e-8, scale=1.0):
    r"""Behavioural symbiosis mode (行为共生模式) from the signs of two effects.

    With the zero band ε = ``tol``·``scale`` (|x| ≤ ε counts as 0):

    ============================  ==========================================
    a, b                          mode
    ============================  ==========================================
    both ≈ 0                      independent (独立)
    one > 0, other ≈ 0            commensalism (偏利共生)
    one > 0, other < 0            parasitism (寄生; the positive side gains)
    both > 0, |a − b| ≤ ε         symmetric mutualism (对称互惠共生)
    both > 0 otherwise            asymmetric mutualism (非对称互惠共生)
    both < 0                      competition (竞争/反向共生)
    one < 0, other ≈ 0            amensalism (偏害)
    ============================  ==========================================

    Use :func:`gaining_side` for which side gains.

    Parameters
    ----------
    a : float or array_like
        Effect on the first unit (e.g. a_12, the effect of unit 2 on unit 1; a net gain).
    b : float or array_like
        Effect on the second unit (broadcast with ``a``).
    tol : float, optional
        Tolerance: effects within ``tol``·``scale`` of 0 count as 0, and both-positive effects
        within ``tol``·``scale`` of each other are symmetric. Default 1e-8 (exact coefficients);
        pass a tolerance that fits the data, e.g. ``tol=0.05, scale=flow`` for ledger gains.
    scale : float or array_like, optional
        Scale the tolerance is relative to (broadcast), default 1.

    Returns
    -------
    BehaviourMode or ndarray of BehaviourMode
        One enum for scalar inputs, an object array of enums otherwise.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not finite, they do not broadcast, or ``tol``/``scale`` is negative.

    Notes
    -----
    The classification is symmetric: swapping ``a`` and ``b`` gives the same mode (the gaining
    side swaps). For the ledger's symmetric mutualism (equal *relative* gains) pass the
    relative gains g_i/in_i as ``a`` and ``b``.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998.
    .. [2] Odum, E. P. Fundamentals of Ecology, 3rd ed., Saunders, 1971 (interaction signs).

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import classify_behaviour
    >>> classify_behaviour(0.3, -0.2).value
    'parasitism'
    >>> classify_behaviour(0.3, 0.3).label
    '对称互惠共生'
    >>> [m.value for m in classify_behaviour([0.0, -0.1], [0.2, -0.1])]
    ['commensalism', 'competition']
    """
    a_, b_, band, sa, sb = _effects(a, b, tol, scale)
    code = _mode_codes(a_, b_, band, sa, sb)
    if code.ndim == 0:
        return _MODE_BY_CODE[int(code)]
    out = np.empty(code.shape, dtype=object)
    for i, m in enumerate(_MODE_BY_CODE):
        out[code == i] = m
    return out


def gaining_side(a, b, *, tol: float = 1e-8, scale=1.0):
    """Which side of a pair gains: the companion of :func:`classify_behaviour`.

    ``first`` if only the first unit's effect is positive (commensalism, or parasitism with
    the first unit as the parasite), ``second`` likewise, ``both`` for mutualism, ``neither``
    for independence, competition and amensalism. Same ``tol`` and ``scale`` as
    :func:`classify_behaviour`.

    Returns
    -------
    Side or ndarray of Side

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import gaining_side
    >>> gaining_side(-0.1, 0.4).value
    'second'
    """
    _, _, _, sa, sb = _effects(a, b, tol, scale)
    pa, pb = sa == 1, sb == 1
    code = np.where(pa & pb, 2, np.where(pa, 0, np.where(pb, 1, 3)))
    sides = [Side.FIRST, Side.SECOND, Side.BOTH, Side.NEITHER]
    if code.ndim == 0:
        return sides[int(code)]
    out = np.empty(code.shape, dtype=object)
    for i, s in enumerate(sides):
        out[code == i] = s
    return out


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


# --------------------------------------------------------------------------------------
# organisational modes
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Episode:
    """One dated cooperation episode of a pair of units.

    Attributes
    ----------
    start, end : datetime.date or numpy.datetime64
        First and last day (inclusive). ``end=None`` means still running.
    dimension : str
        What the cooperation is about (e.g. "training", "research", "posts").
    creates_joint_body : bool
        Whether it creates a lasting joint body (an industrial college, a joint lab, a
        through-train programme).
    """

    start: _dt.date | np.datetime64
    end: _dt.date | np.datetime64 | None
    dimension: str = ""
    creates_joint_body: bool = False


@dataclass(frozen=True)
class OrganisationResult:
    """Result of :func:`describe_organisation`.

    Attributes
    ----------
    mode : OrganisationMode or None
        The mode, None when no episode overlaps the window.
    n_episodes : int
        Episodes overlapping the window.
    n_blocks : int
        Separate blocks of cooperation after merging overlapping/adjacent episodes.
    coverage : float
        Share of the window's days covered by some episode.
    max_gap_days : int
        Longest gap between blocks inside the window (0 with one block).
    joint_body_share : float
        Largest share of the window covered by one joint-body episode.
    dimensions : tuple of str
        Distinct dimensions of the episodes in the window.
    reason : str
        Which rule decided the mode.
    """

    mode: OrganisationMode | None
    n_episodes: int
    n_blocks: int
    coverage: float
    max_gap_days: int
    joint_body_share: float
    dimensions: tuple[str, ...]
    reason: str


def _day(value, name: str) -> int:
    if isinstance(value, np.datetime64):
        d = value.astype("datetime64[D]")
    elif isinstance(value, _dt.datetime):
        d = np.datetime64(value.date(), "D")
    elif isinstance(value, _dt.date):
        d = np.datetime64(value, "D")
    elif isinstance(value, str):
        try:
            d = np.datetime64(value, "D")
        except ValueError as exc:
            raise ValueError(f"`{name}` must be a date; got {value!r}") from exc
    else:
        raise ValueError(f"`{name}` must be a datetime.date or numpy.datetime64; got {value!r}")
    if np.isnat(d):
        raise ValueError(f"`{name}` must be a date; got NaT")
    return int(d.astype(np.int64))


def _episode(rec, i: int) -> Episode:
    if isinstance(rec, Episode):
        return rec
    if isinstance(rec, Mapping):
        if "start" not in rec or "end" not in rec:
            raise ValueError(f"`episodes[{i}]` must have keys 'start' and 'end'; got {rec!r}")
        joint = rec.get("creates_joint_body", rec.get("joint_body", False))
        return Episode(rec["start"], rec["end"], str(rec.get("dimension", "") or ""), bool(joint))
    if isinstance(rec, Sequence) and not isinstance(rec, str) and 2 <= len(rec) <= 4:
        rec = list(rec) + [""] * (3 - len(rec)) if len(rec) < 3 else list(rec)
        joint = bool(rec[3]) if len(rec) > 3 else False
        return Episode(rec[0], rec[1], str(rec[2] or ""), joint)
    raise ValueError(
        f"`episodes[{i}]` must be an Episode, a mapping or a tuple "
        f"(start, end[, dimension[, creates_joint_body]]); got {rec!r}"
    )


def describe_organisation(
    episodes: Iterable,
    *,
    window,
    joint_body_share: float = 0.5,
    continuous_share: float = 0.6,
    max_gap_days: int = 90,
    min_dimensions: int = 3,
) -> OrganisationResult:
    r"""Organisational mode of a pair with the statistics behind it.

    See :func:`classify_organisation` for the rule; this returns an :class:`OrganisationResult`
    (the mode plus coverage, gaps, blocks and the rule that decided it).
    """
    if not isinstance(window, Sequence) or isinstance(window, str) or len(window) != 2:
        raise ValueError(f"`window` must be a pair (start, end) of dates; got {window!r}")
    w0, w1 = _day(window[0], "window[0]"), _day(window[1], "window[1]")
    if w1 < w0:
        raise ValueError(f"`window` must end on or after its start; got {window!r}")
    for name, v in (("joint_body_share", joint_body_share), ("continuous_share", continuous_share)):
        if not (0 < v <= 1):
            raise ValueError(f"`{name}` must be in (0, 1]; got {v!r}")
    if max_gap_days < 0:
        raise ValueError(f"`max_gap_days` must be >= 0; got {max_gap_days!r}")
    if min_dimensions < 1:
        raise ValueError(f"`min_dimensions` must be >= 1; got {min_dimensions!r}")
    length = w1 - w0 + 1
    spans: list[tuple[int, int]] = []
    dims: set[str] = set()
    joint = 0.0
    for i, rec in enumerate(episodes):
        ep = _episode(rec, i)
        s = _day(ep.start, f"episodes[{i}].start")
        e = w1 if ep.end is None else _day(ep.end, f"episodes[{i}].end")
        if e < s:
            raise ValueError(f"`episodes[{i}]` ends before it starts: {ep.start} > {ep.end}")
        s, e = max(s, w0), min(e, w1)
        if e < s:
            continue  # outside the window
        spans.append((s, e))
        if ep.dimension:
            dims.add(ep.dimension)
        if ep.creates_joint_body:
            joint = max(joint, (e - s + 1) / length)
    if not spans:
        return OrganisationResult(None, 0, 0, 0.0, 0, 0.0, (), "no episode in the window")
    spans.sort()
    blocks = [list(spans[0])]
    for s, e in spans[1:]:
        if s <= blocks[-1][1] + 1:
            blocks[-1][1] = max(blocks[-1][1], e)
        else:
            blocks.append([s, e])
    covered = sum(e - s + 1 for s, e in blocks)
    coverage = covered / length
    gaps = [blocks[k + 1][0] - blocks[k][1] - 1 for k in range(len(blocks) - 1)]
    gap = max(gaps, default=0)
    sustained = coverage >= continuous_share and gap <= max_gap_days
    if joint >= joint_body_share:
        mode, reason = OrganisationMode.INTEGRATED, "a joint body lasting over the window"
    elif sustained and len(dims) >= min_dimensions:
        mode, reason = OrganisationMode.INTEGRATED, "sustained cooperation in many dimensions"
    elif sustained:
        mode, reason = OrganisationMode.CONTINUOUS, "sustained cooperation without long gaps"
    elif len(blocks) >= 2:
        mode, reason = OrganisationMode.INTERMITTENT, "repeated separate episodes"
    else:
        mode, reason = OrganisationMode.POINT, "a single episode"
    return OrganisationResult(
        mode, len(spans), len(blocks), coverage, gap, joint, tuple(sorted(dims)), reason
    )


def classify_organisation(
    episodes: Iterable,
    *,
    window,
    joint_body_share: float = 0.5,
    continuous_share: float = 0.6,
    max_gap_days: int = 90,
    min_dimensions: int = 3,
) -> OrganisationMode | None:
    r"""Organisational symbiosis mode (组织共生模式) of a pair from its cooperation episodes.

    The literature defines the modes in words only (point: one task, then over; intermittent:
    repeated separate tasks; continuous: sustained over time; integrated: a lasting joint body).
    Gongsheng's operational rule, over the window [w0, w1] (days inclusive; episodes clipped to
    it, overlapping or adjacent episodes merged into blocks; coverage = covered days / window
    days; gap = days between consecutive blocks), checked in this order:

    1. **integrated** (一体化共生): one episode that creates a lasting joint body covers
       ≥ ``joint_body_share`` of the window, *or* cooperation is sustained (rule 2) in
       ≥ ``min_dimensions`` distinct dimensions;
    2. **continuous** (连续共生): coverage ≥ ``continuous_share`` and no gap longer than
       ``max_gap_days``;
    3. **intermittent** (间歇共生): ≥ 2 separate blocks;
    4. **point** (点共生): a single block.

    Parameters
    ----------
    episodes : iterable
        :class:`Episode` records, tuples ``(start, end[, dimension[, creates_joint_body]])``
        or mappings with those keys; dates as ``datetime.date``, ``numpy.datetime64`` or ISO
        strings; ``end=None`` = still running.
    window : (date, date)
        The period assessed, e.g. a calendar year.
    joint_body_share : float, optional
        Default 0.5.
    continuous_share : float, optional
        Default 0.6.
    max_gap_days : int, optional
        Default 90.
    min_dimensions : int, optional
        Default 3.

    Returns
    -------
    OrganisationMode or None
        None when no episode overlaps the window.

    Raises
    ------
    ValueError
        For a malformed episode (naming its index), an episode ending before it starts, a bad
        window or thresholds out of range.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998 (组织模式).
    .. [2] 市域产教联合体共生系统 (seed paper 004), §4.2.1.

    Examples
    --------
    >>> import datetime as dt
    >>> from gongsheng.analytics.symbiosis import classify_organisation
    >>> year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    >>> classify_organisation([(dt.date(2024, 3, 1), dt.date(2024, 4, 30))], window=year).value
    'point'
    >>> classify_organisation(
    ...     [("2024-01-01", "2024-12-31", "training", True)], window=year
    ... ).label
    '一体化共生'
    """
    return describe_organisation(
        episodes,
        window=window,
        joint_body_share=joint_body_share,
        continuous_share=continuous_share,
        max_gap_days=max_gap_days,
        min_dimensions=min_dimensions,
    ).mode

"""Behavioural modes, the gaining side and the mode enums."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

import numpy as np


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
    return _members(_mode_codes(a_, b_, band, sa, sb), _MODE_BY_CODE)


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
    return _members(code, (Side.FIRST, Side.SECOND, Side.BOTH, Side.NEITHER))


def _members(code: np.ndarray, members: Sequence[Any]) -> Any:
    """``members[code]``: one member for a scalar code, else an object array of them."""
    if code.ndim == 0:
        return members[int(code)]
    out = np.empty(code.shape, dtype=object)
    for i, m in enumerate(members):
        out[code == i] = m
    return out

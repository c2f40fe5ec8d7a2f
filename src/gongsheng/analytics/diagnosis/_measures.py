"""The measures of pairs: the pair view, behavioural modes, concentration, degree."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields

import numpy as np

from gongsheng.analytics.diagnosis._common import (
    _BEHAVIOUR_OBJECTS,
    _SIDE_OBJECTS,
    BEHAVIOURS,
    SIDES,
)
from gongsheng.analytics.diagnosis._inputs import _floats, _Flows, _Units
from gongsheng.analytics.diagnosis._rows import PairView
from gongsheng.analytics.diagnosis._types import Concentration
from gongsheng.analytics.reasons import Reason
from gongsheng.analytics.symbiosis import (
    BehaviourMode,
    classify_behaviour,
    gaining_side,
    symbiosis_degree,
    symbiosis_share,
)


def _sign_tables() -> tuple[np.ndarray, np.ndarray]:
    """Mode and side codes for the nine sign pairs (sa, sb) ∈ {−1, 0, 1}², index
    (sa + 1)·3 + (sb + 1), from classify_behaviour and gaining_side themselves."""
    sa = np.repeat([-1, 0, 1], 3)
    sb = np.tile([-1, 0, 1], 3)
    modes = classify_behaviour(sa, sb, tol=0.5)
    sides = gaining_side(sa, sb, tol=0.5)
    return (
        np.asarray([BEHAVIOURS.index(m) for m in modes], dtype=np.int8),
        np.asarray([SIDES.index(x) for x in sides], dtype=np.int8),
    )


_BEHAVIOUR_LUT, _SIDE_LUT = _sign_tables()


# --------------------------------------------------------------------------------------
# the pair view
# --------------------------------------------------------------------------------------
def pair_view(units, *, direct=None, pool_inputs=None, pool_outputs=None) -> PairView:
    r"""The pair view of a consortium's flows: who gave whom what, directly and through pools.

    For units i ≠ j, over pools p with unit inputs x_pi ≥ 0 (net of reversals), pool total
    X_p = Σ_k x_pk and receipts r_pi (what p gave i):

    * i's input towards j:  in_ij = d_ij + Σ_p x_pi·x_pj / (X_p − x_pi);
    * i's output from j:    out_ij = d_ji + Σ_p r_pi·x_pj / (X_p − x_pi);

    where d_ij is what i gave j directly. i's input to a pool is split among the other
    contributors in proportion to their inputs, and i's receipts from a pool are attributed
    to the other contributors in the same proportions (a receiver with no input of its own,
    x_pi = 0, has its receipts attributed to all contributors). A sole contributor's pool
    attributes nothing. Flows from or to outside the consortium (id −1 or None), and
    outside inputs to a pool, count for the unit totals only.

    Parameters
    ----------
    units : mapping or sequence of rows
        Columns ``id``, ``name``, ``group`` (one of ``UNIT_GROUPS``), optional ``lead``.
    direct : mapping or sequence of rows, optional
        Columns ``giver``, ``receiver``, ``value`` (optional ``period``, ignored here).
    pool_inputs, pool_outputs : mapping or sequence of rows, optional
        Columns ``pool`` (any label), ``unit``, ``value`` (optional ``period``).

    Returns
    -------
    PairView
        ``inputs[i, j]`` = in_ij and ``outputs[i, j]`` = out_ij (positions as in ``units``),
        their direct and through-pools parts, and the unit totals.

    Raises
    ------
    ValueError
        For a missing column, a non-finite value or an unknown unit id (naming the row).

    Notes
    -----
    With E_ij = (out_ij + out_ji) − (in_ij + in_ji), direct flows cancel, so E_ij is the
    value the shared pools created for the pair. Summed over all pairs, Σ out = Σ in for a
    pool whose receipts equal its unit inputs.

    References
    ----------
    .. [1] Gongsheng ``MODELS.md``, "Pair view" and decision 0701.
    .. [2] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998 (共生能量).

    Examples
    --------
    Units 1, 2, 3 put 100, 300 and 0 into pool P, which pays 200 to 1 and 400 to 3; 1 also
    gives 2 ten directly:

    >>> from gongsheng.analytics.diagnosis import pair_view
    >>> pv = pair_view(
    ...     {"id": [1, 2, 3], "name": ["a", "b", "c"], "group": ["school", "enterprise", "other"]},
    ...     direct={"giver": [1], "receiver": [2], "value": [10.0]},
    ...     pool_inputs={"pool": ["P", "P"], "unit": [1, 2], "value": [100.0, 300.0]},
    ...     pool_outputs={"pool": ["P", "P"], "unit": [1, 3], "value": [200.0, 400.0]},
    ... )
    >>> pv.inputs.round(2).tolist()  # 1 → 2: 10 + 100·300/300; 2 → 1: 300·100/100
    [[0.0, 110.0, 0.0], [300.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    >>> pv.outputs.round(2).tolist()  # 3 ← 1: 400·100/400, 3 ← 2: 400·300/400
    [[0.0, 200.0, 0.0], [10.0, 0.0, 0.0], [100.0, 300.0, 0.0]]
    """
    u = _Units(units)
    return _Flows(u, direct, pool_inputs, pool_outputs).view(u.n, None)


# --------------------------------------------------------------------------------------
# modes of pairs
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PairModes(Mapping):
    """The behavioural modes of m pairs (result of :func:`pair_modes`), arrays of shape (m,).

    A frozen record that also reads as a mapping (``m["behaviour"]``, ``dict(m)``), so code
    written for the earlier dict keeps working.

    Attributes
    ----------
    gain_a, gain_b : ndarray of float
        Net gains g = out − in.
    relative_gain_a, relative_gain_b : ndarray of float
        g / in (NaN where nothing was put in).
    energy : ndarray of float
        Pair energy g_a + g_b.
    flow : ndarray of float
        |in_a| + |in_b| + |out_a| + |out_b|.
    band : ndarray of float
        tol · flow: gains within ±band count as 0.
    free_rider_a, free_rider_b : ndarray of bool
        The side put in at most the band and received more than it.
    behaviour : ndarray of BehaviourMode (object)
    gaining : ndarray of Side (object)
    behaviour_code, gaining_code : ndarray of int8
        Positions of ``behaviour`` and ``gaining`` in ``BEHAVIOURS`` and ``SIDES``.
    """

    gain_a: np.ndarray
    gain_b: np.ndarray
    relative_gain_a: np.ndarray
    relative_gain_b: np.ndarray
    energy: np.ndarray
    flow: np.ndarray
    band: np.ndarray
    free_rider_a: np.ndarray
    free_rider_b: np.ndarray
    behaviour: np.ndarray
    gaining: np.ndarray
    behaviour_code: np.ndarray = field(repr=False)
    gaining_code: np.ndarray = field(repr=False)

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def pair_modes(in_a, in_b, out_a, out_b, *, tol: float = 0.05) -> PairModes:
    r"""Behavioural modes of pairs from their inputs and outputs (vectorised).

    With net gains g = out − in, the pair flow F = |in_a| + |in_b| + |out_a| + |out_b| and the
    band ε = tol·F: a gain with |g| ≤ ε counts as 0. A side with in ≤ ε and out > ε is a
    free rider and counts as gaining. The signs give the mode through
    :func:`gongsheng.analytics.symbiosis.classify_behaviour`; when both sides gain, the pair
    is symmetric mutualism if both put something in and their relative gains ρ = g/in agree
    within ``tol`` relative to the larger (|ρ_a − ρ_b| ≤ tol·max(|ρ_a|, |ρ_b|)), otherwise
    asymmetric mutualism. The gaining side comes from
    :func:`gongsheng.analytics.symbiosis.gaining_side`.

    Parameters
    ----------
    in_a, in_b, out_a, out_b : array_like, shape (m,)
        The pairs' inputs and outputs (pair view).
    tol : float, optional
        Tolerance, default 0.05.

    Returns
    -------
    PairModes
        ``gain_a``, ``gain_b``, ``relative_gain_a``, ``relative_gain_b`` (NaN for no input),
        ``energy`` (g_a + g_b), ``flow``, ``band``, ``free_rider_a``, ``free_rider_b``,
        ``behaviour`` (BehaviourMode objects) and ``gaining`` (Side objects), as attributes
        and by key.

    Raises
    ------
    ValueError
        If the arrays are not finite, of different shapes, or ``tol`` is not in [0, 1).

    References
    ----------
    .. [1] Gongsheng ``MODELS.md``, "Behavioural mode of a pair".
    .. [2] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998.

    Examples
    --------
    >>> from gongsheng.analytics.diagnosis import pair_modes
    >>> m = pair_modes([100, 100, 0], [100, 100, 100], [150, 130, 50], [150, 70, 0])
    >>> [x.value for x in m["behaviour"]]
    ['symmetric_mutualism', 'parasitism', 'parasitism']
    >>> [x.value for x in m["gaining"]], m["free_rider_a"].tolist()
    (['both', 'first', 'first'], [False, False, True])
    >>> m.energy.tolist() == m["energy"].tolist() == [100.0, 0.0, -50.0]
    True
    """
    if not (isinstance(tol, (int, float)) and math.isfinite(tol) and 0 <= tol < 1):
        raise ValueError(f"`tol` must be in [0, 1); got {tol!r}")
    arrays = [
        _floats(np.atleast_1d(x), n)
        for x, n in zip((in_a, in_b, out_a, out_b), ("in_a", "in_b", "out_a", "out_b"), strict=True)
    ]
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"`in_a`, `in_b`, `out_a`, `out_b` must have one shape; got {shapes}")
    ia, ib, oa, ob = arrays
    ga, gb = oa - ia, ob - ib
    flow = np.abs(ia) + np.abs(ib) + np.abs(oa) + np.abs(ob)
    band = tol * flow
    fr_a = (ia <= band) & (oa > band)
    fr_b = (ib <= band) & (ob > band)
    sa = np.where(ga > band, 1, np.where(ga < -band, -1, 0))
    sb = np.where(gb > band, 1, np.where(gb < -band, -1, 0))
    sa[fr_a] = 1
    sb[fr_b] = 1
    with np.errstate(divide="ignore", invalid="ignore"):
        ra = np.where(ia > 0, ga / np.where(ia > 0, ia, 1.0), np.nan)
        rb = np.where(ib > 0, gb / np.where(ib > 0, ib, 1.0), np.nan)
    # signs → modes: the nine sign combinations through classify_behaviour / gaining_side once,
    # then a table lookup per pair
    combo = (sa + 1) * 3 + (sb + 1)
    behaviour_code = _BEHAVIOUR_LUT[combo]
    gaining_code = _SIDE_LUT[combo]
    both = (sa == 1) & (sb == 1)
    if np.any(both):
        rel_ok = both & np.isfinite(ra) & np.isfinite(rb)
        symmetric = np.zeros(sa.shape, dtype=bool)
        if np.any(rel_ok):
            xa, xb = ra[rel_ok], rb[rel_ok]
            scale = np.maximum(np.abs(xa), np.abs(xb))
            modes = np.atleast_1d(classify_behaviour(xa, xb, tol=tol, scale=scale))
            symmetric[rel_ok] = modes == BehaviourMode.SYMMETRIC_MUTUALISM
        behaviour_code[both & symmetric] = BEHAVIOURS.index(BehaviourMode.SYMMETRIC_MUTUALISM)
        behaviour_code[both & ~symmetric] = BEHAVIOURS.index(BehaviourMode.ASYMMETRIC_MUTUALISM)
    behaviour = _BEHAVIOUR_OBJECTS[behaviour_code]
    gaining = _SIDE_OBJECTS[gaining_code]
    return PairModes(
        gain_a=ga,
        gain_b=gb,
        relative_gain_a=ra,
        relative_gain_b=rb,
        energy=ga + gb,
        flow=flow,
        band=band,
        free_rider_a=fr_a,
        free_rider_b=fr_b,
        behaviour=behaviour,
        gaining=gaining,
        behaviour_code=behaviour_code,
        gaining_code=gaining_code,
    )


# --------------------------------------------------------------------------------------
# concentration
# --------------------------------------------------------------------------------------
def concentration(values) -> Concentration:
    r"""Herfindahl–Hirschman index and the largest share of non-negative contributions.

    With shares s_i = v_i / Σ v (negative values count as 0): HHI = Σ s_i², between 1/n
    (equal contributions) and 1 (one contributor).

    Parameters
    ----------
    values : array_like, shape (n,)
        Contributions (e.g. each unit's inputs).

    Returns
    -------
    Concentration
        ``hhi``, ``top_share``, ``top_index``, ``n`` (NaN, NaN, −1 when nothing is positive).

    Raises
    ------
    ValueError
        If a value is not finite.

    References
    ----------
    .. [1] Hirschman, A. O. "The Paternity of an Index", American Economic Review 54(5),
       1964, p. 761.
    .. [2] U.S. DOJ & FTC, Merger Guidelines, 2023, §2.1 (HHI on shares).

    Examples
    --------
    >>> from gongsheng.analytics.diagnosis import concentration
    >>> c = concentration([50, 30, 20])
    >>> round(c.hhi, 4), c.top_share, c.top_index
    (0.38, 0.5, 0)
    """
    v = np.maximum(_floats(np.atleast_1d(values), "values"), 0.0)
    total = v.sum()
    if total <= 0:
        return Concentration(math.nan, math.nan, -1, 0)
    s = v / total
    k = int(np.argmax(s))
    return Concentration(float(np.sum(s * s)), float(s[k]), k, int(np.count_nonzero(v)))


def _degree(za: np.ndarray, zb: np.ndarray, name_a: str, name_b: str):
    """(δ_ab, δ_ba, θ_a, note) for two series over the same periods (NaN = missing)."""
    pos_a, pos_b = np.isfinite(za) & (za > 0), np.isfinite(zb) & (zb > 0)
    for name, pos in ((name_a, pos_a), (name_b, pos_b)):
        if np.count_nonzero(pos) < 2:
            return math.nan, math.nan, math.nan, Reason("degree.unit_few_periods", unit=name)
    common = pos_a & pos_b
    if np.count_nonzero(common) < 2:
        return math.nan, math.nan, math.nan, Reason("degree.few_common")
    res = symbiosis_degree(za[common], zb[common], method="growth")
    vals, rev = np.asarray(res.values), np.asarray(res.reverse)
    ok, okr = np.isfinite(vals), np.isfinite(rev)
    if not ok.any() or not okr.any():
        return math.nan, math.nan, math.nan, Reason("degree.no_change")
    d_ab, d_ba = float(vals[ok].mean()), float(rev[okr].mean())
    share = symbiosis_share(d_ab, d_ba)
    return d_ab, d_ba, float(share), Reason("degree.mean", n=int(ok.sum()))

"""The pair view, pair modes, concentration and the consortium diagnosis (NumPy)."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from gongsheng.analytics.diagnosis._types import (
    _BEHAVIOUR_OBJECTS,
    _ORGANISATION_OBJECTS,
    _SIDE_OBJECTS,
    BEHAVIOURS,
    ORGANISATIONS,
    OUTSIDE,
    PAIR_FLOAT_COLUMNS,
    SIDES,
    UNIT_GROUPS,
    Alert,
    Concentration,
    ConsortiumDiagnosis,
    DiagnosisSettings,
    PairDiagnosis,
    PairTable,
    PairView,
    UnitDiagnosis,
    YearTrend,
)
from gongsheng.analytics.symbiosis import (
    BehaviourMode,
    OrganisationMode,
    Side,
    classify_behaviour,
    describe_organisation,
    gaining_side,
    symbiosis_degree,
    symbiosis_share,
)

_DAYS_PER_MONTH = 365.25 / 12


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
# input tables
# --------------------------------------------------------------------------------------
def _table(data: Any, name: str, required: Sequence[str], optional: Sequence[str] = ()):
    """Columns of ``data`` (a mapping of column → array_like, or a sequence of row tuples
    in the order required + optional) as a dict of arrays of equal length."""
    if data is None:
        return None
    cols: dict[str, Any] = {}
    if isinstance(data, Mapping):
        missing = [c for c in required if c not in data]
        if missing:
            raise ValueError(f"`{name}` must have the columns {list(required)}; missing {missing}")
        for c in (*required, *optional):
            if c in data and data[c] is not None:
                cols[c] = data[c]
    else:
        rows = list(data)
        width = len(required)
        for i, row in enumerate(rows):
            if not (width <= len(row) <= width + len(optional)):
                raise ValueError(
                    f"`{name}[{i}]` must have the fields {list(required)} "
                    f"(+ optional {list(optional)}); got {row!r}"
                )
        for k, c in enumerate((*required, *optional)):
            if k < width or (rows and all(len(r) > k for r in rows)):
                cols[c] = [r[k] for r in rows]
        if not rows:
            cols = {c: [] for c in required}
    sizes = {c: len(v) for c, v in cols.items()}
    if len(set(sizes.values())) > 1:
        raise ValueError(f"`{name}` columns must have the same length; got {sizes}")
    return cols


def _floats(values: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be numbers") from exc
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise ValueError(f"`{name}` must be finite; got NaN or inf in row {int(bad[0])}")
    return arr


def _ints(values: Any, name: str) -> np.ndarray:
    """Integer ids; None counts as OUTSIDE."""
    arr = np.asarray(values)
    if arr.dtype == object:
        arr = np.asarray([OUTSIDE if v is None else v for v in arr.tolist()])
    try:
        return arr.astype(np.int64, casting="unsafe") if arr.size else np.zeros(0, np.int64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be integer unit ids (or None for outside)") from exc


class _Units:
    """Unit ids → positions."""

    def __init__(self, units: Any) -> None:
        cols = _table(units, "units", ("id", "name", "group"), ("lead", "member"))
        self.ids = _ints(cols["id"], "units.id")
        if self.ids.size < 1:
            raise ValueError("`units` must list at least one unit")
        if np.any(self.ids < 0):
            raise ValueError("`units.id` must be non-negative (-1 means outside)")
        uniq, counts = np.unique(self.ids, return_counts=True)
        if np.any(counts > 1):
            raise ValueError(f"`units.id` must be unique; {int(uniq[counts > 1][0])} repeats")
        self.names = tuple(str(n) for n in cols["name"])
        self.groups = tuple(str(g) for g in cols["group"])
        for i, g in enumerate(self.groups):
            if g not in UNIT_GROUPS:
                raise ValueError(f"`units.group` row {i} must be one of {UNIT_GROUPS}; got {g!r}")
        lead = cols.get("lead")
        self.lead = (
            np.zeros(self.ids.size, dtype=bool)
            if lead is None
            else np.asarray([bool(v) for v in lead], dtype=bool)
        )
        member = cols.get("member")
        self.member = (
            np.ones(self.ids.size, dtype=bool)
            if member is None
            else np.asarray([bool(v) for v in member], dtype=bool)
        )
        self.n = int(self.ids.size)
        self.order = np.argsort(self.ids, kind="stable")
        self.sorted = self.ids[self.order]
        self.group_index = np.asarray([UNIT_GROUPS.index(g) for g in self.groups], dtype=np.int64)

    def positions(self, ids: np.ndarray, name: str) -> np.ndarray:
        """Positions of ``ids`` (OUTSIDE → −1); an unknown id is an error naming the row."""
        out = np.full(ids.shape, -1, dtype=np.int64)
        inside = ids != OUTSIDE
        k = np.searchsorted(self.sorted, ids[inside])
        k = np.clip(k, 0, self.n - 1)
        ok = self.sorted[k] == ids[inside]
        if not np.all(ok):
            row = int(np.flatnonzero(inside)[np.flatnonzero(~ok)[0]])
            raise ValueError(f"`{name}` row {row}: unit {int(ids[row])} is not in `units`")
        out[inside] = self.order[k]
        return out


class _Flows:
    """The three flow tables as positions, values and periods."""

    def __init__(self, units: _Units, direct: Any, pool_inputs: Any, pool_outputs: Any) -> None:
        d = _table(direct, "direct", ("giver", "receiver", "value"), ("period",))
        pi = _table(pool_inputs, "pool_inputs", ("pool", "unit", "value"), ("period",))
        po = _table(pool_outputs, "pool_outputs", ("pool", "unit", "value"), ("period",))
        empty: dict[str, Any] = {"value": []}
        d, pi, po = d or empty, pi or empty, po or empty
        self.has_period = any("period" in t for t in (d, pi, po) if len(t["value"]))
        for label, t in (("direct", d), ("pool_inputs", pi), ("pool_outputs", po)):
            if self.has_period and len(t["value"]) and "period" not in t:
                raise ValueError(f"`{label}` must have a `period` column like the other flows")
        self.g = units.positions(_ints(d.get("giver", []), "direct.giver"), "direct.giver")
        self.r = units.positions(_ints(d.get("receiver", []), "direct.receiver"), "direct.receiver")
        self.v = _floats(d["value"], "direct.value")
        self.dp = self._period(d, "direct")
        pools = list(pi.get("pool", [])) + list(po.get("pool", []))
        keys, codes = (
            (np.unique(np.asarray(pools, dtype=str), return_inverse=True))
            if pools
            else (
                np.zeros(0, str),
                np.zeros(0, np.int64),
            )
        )
        self.n_pools = int(keys.size)
        n_in = len(pi["value"])
        self.ip = codes[:n_in].astype(np.int64)
        self.iu = units.positions(_ints(pi.get("unit", []), "pool_inputs.unit"), "pool_inputs.unit")
        self.iv = _floats(pi["value"], "pool_inputs.value")
        self.ipp = self._period(pi, "pool_inputs")
        self.op = codes[n_in:].astype(np.int64)
        self.ou = units.positions(
            _ints(po.get("unit", []), "pool_outputs.unit"), "pool_outputs.unit"
        )
        self.ov = _floats(po["value"], "pool_outputs.value")
        self.opp = self._period(po, "pool_outputs")

    def _period(self, t: dict, name: str) -> np.ndarray:
        if not self.has_period or not len(t["value"]):
            return np.zeros(len(t["value"]), dtype=np.int64)
        return _ints(t["period"], f"{name}.period")

    def periods(self) -> np.ndarray:
        return np.unique(np.concatenate([self.dp, self.ipp, self.opp]))

    def view(self, n: int, years: tuple[int, int] | None) -> PairView:
        sel: tuple[Any, ...]
        if years is None or not self.has_period:
            sel = (slice(None),) * 3
        else:
            y0, y1 = years
            sel = tuple((p >= y0) & (p <= y1) for p in (self.dp, self.ipp, self.opp))
        return _pair_view(
            n,
            self.n_pools,
            (self.g[sel[0]], self.r[sel[0]], self.v[sel[0]]),
            (self.ip[sel[1]], self.iu[sel[1]], self.iv[sel[1]]),
            (self.op[sel[2]], self.ou[sel[2]], self.ov[sel[2]]),
        )


# --------------------------------------------------------------------------------------
# the pair view
# --------------------------------------------------------------------------------------
def _pair_view(n: int, n_pools: int, direct, pool_in, pool_out) -> PairView:
    g, r, v = direct
    unit_in = np.bincount(g[g >= 0], v[g >= 0], minlength=n).astype(float)
    unit_out = np.bincount(r[r >= 0], v[r >= 0], minlength=n).astype(float)
    both = (g >= 0) & (r >= 0) & (g != r)
    dmat = np.bincount(g[both] * n + r[both], v[both], minlength=n * n).reshape(n, n)
    ip, iu, iv = pool_in
    op, ou, ov = pool_out
    unit_in += np.bincount(iu[iu >= 0], iv[iu >= 0], minlength=n)
    unit_out += np.bincount(ou[ou >= 0], ov[ou >= 0], minlength=n)
    size = n_pools * n
    x = np.bincount(ip[iu >= 0] * n + iu[iu >= 0], iv[iu >= 0], minlength=size)
    rec = np.bincount(op[ou >= 0] * n + ou[ou >= 0], ov[ou >= 0], minlength=size)
    x = x.astype(float).reshape(n_pools, n)
    rec = rec.astype(float).reshape(n_pools, n)
    x = np.maximum(x, 0.0)  # a unit's net input after reversals; nothing negative to split
    rec = np.maximum(rec, 0.0)
    others = x.sum(axis=1, keepdims=True) - x  # X_p − x_pi
    w = np.divide(1.0, others, out=np.zeros_like(others), where=others > 1e-12)
    # (x∘w)ᵀx and (r∘w)ᵀx, pool by pool over the units that take part: small blocks, no BLAS
    # call (whose threads cost more than the arithmetic on a busy machine)
    in_pools = np.zeros((n, n))
    out_pools = np.zeros((n, n))
    for p in range(n_pools):
        cm = np.flatnonzero(x[p] > 0)
        if cm.size == 0:
            continue
        xp = x[p, cm]
        if cm.size > 1:
            in_pools[np.ix_(cm, cm)] += np.multiply.outer(xp * w[p, cm], xp)
        rm = np.flatnonzero(rec[p] > 0)
        if rm.size:
            out_pools[np.ix_(rm, cm)] += np.multiply.outer(rec[p, rm] * w[p, rm], xp)
    np.fill_diagonal(in_pools, 0.0)
    np.fill_diagonal(out_pools, 0.0)
    return PairView(dmat, in_pools, out_pools, unit_in, unit_out)


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
def pair_modes(in_a, in_b, out_a, out_b, *, tol: float = 0.05) -> dict[str, np.ndarray]:
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
    dict of str to ndarray
        ``gain_a``, ``gain_b``, ``relative_gain_a``, ``relative_gain_b`` (NaN for no input),
        ``energy`` (g_a + g_b), ``flow``, ``band``, ``free_rider_a``, ``free_rider_b``,
        ``behaviour`` (BehaviourMode objects) and ``gaining`` (Side objects).

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
    return {
        "gain_a": ga,
        "gain_b": gb,
        "relative_gain_a": ra,
        "relative_gain_b": rb,
        "energy": ga + gb,
        "flow": flow,
        "band": band,
        "free_rider_a": fr_a,
        "free_rider_b": fr_b,
        "behaviour": behaviour,
        "gaining": gaining,
        "behaviour_code": behaviour_code,
        "gaining_code": gaining_code,
    }


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


# --------------------------------------------------------------------------------------
# the reason lines
# --------------------------------------------------------------------------------------
def _money(x: float) -> str:
    return f"{x:,.2f}"


def _pct(x: float) -> str:
    return "n/a" if x != x else f"{x * 100:.1f}%"


def pair_reason(row: PairDiagnosis, *, tolerance: float) -> str:
    """One English line with the numbers behind a pair's behavioural verdict."""
    a, b = row.a_name, row.b_name
    band = tolerance * row.flow
    mode = row.behaviour.value.replace("_", " ")
    sides = (
        f"{a} {'gains' if row.gain_a >= 0 else 'loses'} {_money(abs(row.gain_a))}"
        f" ({_pct(row.relative_gain_a)} of its input), "
        f"{b} {'gains' if row.gain_b >= 0 else 'loses'} {_money(abs(row.gain_b))}"
        f" ({_pct(row.relative_gain_b)} of its input)"
    )
    extra = ""
    if row.behaviour is BehaviourMode.PARASITISM:
        parasite = a if row.gaining is Side.FIRST else b
        extra = f"; {parasite} is the parasite"
    elif row.behaviour is BehaviourMode.COMMENSALISM:
        extra = f"; only {a if row.gaining is Side.FIRST else b} gains"
    riders = [n for n, f in ((a, row.free_rider_a), (b, row.free_rider_b)) if f]
    if riders:
        verb = "puts" if len(riders) == 1 else "put"
        extra += f"; {' and '.join(riders)} {verb} in nothing (free rider)"
    return (
        f"{mode}: {sides}; pair energy {_money(row.energy)} on a flow of {_money(row.flow)} "
        f"(gains within ±{_money(band)} count as 0){extra}."
    )


# --------------------------------------------------------------------------------------
# episodes and series
# --------------------------------------------------------------------------------------
def _day(value: Any, name: str) -> _dt.date | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        d = np.datetime64(value, "D")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be a date; got {value!r}") from exc
    if np.isnat(d):
        return None
    return d.astype(_dt.date)


def _episodes(units: _Units, episodes: Any):
    cols = _table(episodes, "episodes", ("a", "b", "start", "end"), ("dimension", "joint_body"))
    if cols is None:
        return []
    a = units.positions(_ints(cols["a"], "episodes.a"), "episodes.a")
    b = units.positions(_ints(cols["b"], "episodes.b"), "episodes.b")
    if np.any((a < 0) | (b < 0)):
        row = int(np.flatnonzero((a < 0) | (b < 0))[0])
        raise ValueError(f"`episodes` row {row}: both units must be members (not outside)")
    dims = cols.get("dimension") or [""] * len(a)
    joint = cols.get("joint_body") or [False] * len(a)
    out = []
    for i in range(len(a)):
        if a[i] == b[i]:
            raise ValueError(f"`episodes` row {i}: a pair needs two different units")
        start = _day(cols["start"][i], f"episodes[{i}].start")
        if start is None:
            raise ValueError(f"`episodes` row {i}: `start` is missing")
        end = _day(cols["end"][i], f"episodes[{i}].end")
        if end is not None and end < start:
            raise ValueError(f"`episodes` row {i}: ends ({end}) before it starts ({start})")
        lo, hi = (int(a[i]), int(b[i])) if a[i] < b[i] else (int(b[i]), int(a[i]))
        out.append((lo, hi, start, end, str(dims[i] or ""), bool(joint[i])))
    return out


def _series(units: _Units, series: Any):
    cols = _table(series, "series", ("unit", "period", "value"))
    if cols is None:
        return None, None
    u = units.positions(_ints(cols["unit"], "series.unit"), "series.unit")
    if np.any(u < 0):
        raise ValueError("`series.unit` must be member units")
    p = _ints(cols["period"], "series.period")
    v = np.asarray(cols["value"], dtype=float)
    if np.any(np.isinf(v)):
        raise ValueError("`series.value` must be finite (NaN = missing)")
    periods = np.unique(p)
    z = np.full((units.n, periods.size), np.nan)
    z[u, np.searchsorted(periods, p)] = v
    return periods, z


def _degree(za: np.ndarray, zb: np.ndarray, name_a: str, name_b: str):
    """(δ_ab, δ_ba, θ_a, note) for two series over the same periods (NaN = missing)."""
    pos_a, pos_b = np.isfinite(za) & (za > 0), np.isfinite(zb) & (zb > 0)
    for name, pos in ((name_a, pos_a), (name_b, pos_b)):
        if np.count_nonzero(pos) < 2:
            return math.nan, math.nan, math.nan, f"{name} has fewer than 2 periods with values"
    common = pos_a & pos_b
    if np.count_nonzero(common) < 2:
        return math.nan, math.nan, math.nan, "fewer than 2 periods observed for both units"
    res = symbiosis_degree(za[common], zb[common], method="growth")
    vals, rev = np.asarray(res.values), np.asarray(res.reverse)
    ok, okr = np.isfinite(vals), np.isfinite(rev)
    if not ok.any() or not okr.any():
        return math.nan, math.nan, math.nan, "no period in which both parameters changed"
    d_ab, d_ba = float(vals[ok].mean()), float(rev[okr].mean())
    share = symbiosis_share(d_ab, d_ba)
    return d_ab, d_ba, float(share), f"mean of {int(ok.sum())} period degree(s), growth"


# --------------------------------------------------------------------------------------
# the diagnosis
# --------------------------------------------------------------------------------------
_BEHAVIOURS = tuple(m.value for m in BehaviourMode)
_ORGANISATIONS = (*(m.value for m in OrganisationMode), "none")


def _counts(codes: np.ndarray, keys: tuple[str, ...]) -> dict[str, int]:
    """Counts per key of integer codes (−1 = the last key, ``"none"``)."""
    c = np.asarray(codes, dtype=np.int64)
    c = np.where(c < 0, len(keys) - 1, c)
    n = np.bincount(c, minlength=len(keys))
    return {k: int(v) for k, v in zip(keys, n, strict=True)}


def _by_group(values: np.ndarray, gidx: np.ndarray) -> dict[str, float]:
    sums = np.bincount(gidx, np.asarray(values, dtype=float), minlength=len(UNIT_GROUPS))
    return {g: float(s) for g, s in zip(UNIT_GROUPS, sums, strict=True)}


def diagnose(
    units,
    *,
    direct=None,
    pool_inputs=None,
    pool_outputs=None,
    episodes=None,
    series=None,
    years: tuple[int, int] | None = None,
    settings: DiagnosisSettings | None = None,
) -> ConsortiumDiagnosis:
    r"""Symbiosis diagnosis of a consortium: every pair, every unit, the whole, the alerts.

    1. **Pair view** (:func:`pair_view`) of the flows in the window ``years``: in_a, in_b,
       out_a, out_b per pair a < b, with their direct and through-pools parts.
    2. **Behavioural mode** (:func:`pair_modes`): net gains g = out − in with the band
       tol·(in_a + in_b + out_a + out_b); symmetric mutualism when both gain and their
       relative gains g/in agree within tol; free riders count as gaining. Pair energy
       E = g_a + g_b.
    3. **Organisational mode** of each pair with episodes overlapping the window, from
       :func:`gongsheng.analytics.symbiosis.describe_organisation` with the settings'
       thresholds, over the window's days.
    4. **Symbiosis degree and share** (:func:`gongsheng.analytics.symbiosis.symbiosis_degree`,
       ``growth``) where both units have ≥ 2 periods with positive quality parameters: the
       mean of the defined period degrees δ_ab, δ_ba and θ_a = |δ_ab|/(|δ_ab| + |δ_ba|);
       otherwise a note says why not.
    5. **Consortium**: pairs per mode, the target state (integrated + symmetric mutualism),
       Σ E split by unit group (each unit's pair gains), the group × group matrix of pair
       inputs, unit totals by group, the Herfindahl–Hirschman index of unit inputs
       (:func:`concentration`) and trends per year (each year's own pair view).
    6. **Alerts** with reasons: ``free_rider`` (outputs > 0, inputs ≤ tol·outputs),
       ``parasitic_pair`` (the parasite named first; the ``max_pair_alerts`` largest losses),
       ``inactive_member`` (no episode ending
       within ``inactive_months`` before the window end, 联而不合),
       ``school_hot_enterprise_cold`` (enterprise / school inputs < ``cold_ratio``, 校热企冷),
       ``concentration`` (HHI > ``hhi_max`` or top share > ``top_share_max``).

    Parameters
    ----------
    units : mapping or sequence of rows
        Columns ``id`` (non-negative ints), ``name``, ``group`` (one of ``UNIT_GROUPS``) and
        optional ``lead`` and ``member`` (default True; only members can be inactive: a unit
        that left but still has flows in the window is diagnosed, not warned about).
    direct : mapping or sequence of rows, optional
        Unit-to-unit flows: ``giver``, ``receiver``, ``value`` and optional ``period``
        (year); ``-1`` or None for outside the consortium. Aggregated or not.
    pool_inputs, pool_outputs : mapping or sequence of rows, optional
        ``pool``, ``unit``, ``value`` and optional ``period``.
    episodes : mapping or sequence of rows, optional
        ``a``, ``b``, ``start``, ``end`` (None = running) and optional ``dimension``,
        ``joint_body``.
    series : mapping or sequence of rows, optional
        Quality parameters: ``unit``, ``period``, ``value``.
    years : (int, int), optional
        The window (inclusive). Default: every period in the flows.
    settings : DiagnosisSettings, optional
        Tolerance and thresholds (defaults as documented there).

    Returns
    -------
    ConsortiumDiagnosis

    Raises
    ------
    ValueError
        For malformed tables (naming the table, column and row), unknown unit ids, a bad
        window or settings.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998.
    .. [2] Gongsheng ``MODELS.md`` ("Pair view", "Behavioural mode of a pair") and decision 0701.
    .. [3] Hirschman, A. O. "The Paternity of an Index", American Economic Review 54(5), 1964.

    Examples
    --------
    A school and an enterprise put 100 each into a project pool that pays out 130 to each:

    >>> from gongsheng.analytics.diagnosis import diagnose
    >>> d = diagnose(
    ...     {"id": [1, 2], "name": ["School", "Firm"], "group": ["school", "enterprise"]},
    ...     pool_inputs={"pool": ["p", "p"], "unit": [1, 2], "value": [100, 100],
    ...                  "period": [2024, 2024]},
    ...     pool_outputs={"pool": ["p", "p"], "unit": [1, 2], "value": [130, 130],
    ...                   "period": [2024, 2024]},
    ... )
    >>> d.pairs.row(0).behaviour.value, d.energy
    ('symmetric_mutualism', 60.0)
    >>> d.years, [a.kind for a in d.alerts]
    ((2024, 2024), ['inactive_member', 'inactive_member', 'concentration'])
    """
    settings = settings or DiagnosisSettings()
    if not isinstance(settings, DiagnosisSettings):
        raise ValueError(f"`settings` must be a DiagnosisSettings; got {settings!r}")
    u = _Units(units)
    flows = _Flows(u, direct, pool_inputs, pool_outputs)
    all_periods = flows.periods() if flows.has_period else np.zeros(0, np.int64)
    if years is not None:
        if not (isinstance(years, Sequence) and len(years) == 2):
            raise ValueError(f"`years` must be a pair (first, last); got {years!r}")
        y0, y1 = int(years[0]), int(years[1])
        if y1 < y0:
            raise ValueError(f"`years` must end on or after its start; got {years!r}")
        years = (y0, y1)
    elif all_periods.size:
        years = (int(all_periods.min()), int(all_periods.max()))
    window = (_dt.date(years[0], 1, 1), _dt.date(years[1], 12, 31)) if years else None
    eps = _episodes(u, episodes)
    if window is None and eps:
        starts = [e[2] for e in eps]
        ends = [e[3] or e[2] for e in eps]
        window = (min(starts), max(max(ends), max(starts)))
    tol = settings.tolerance
    view = flows.view(u.n, years)
    inputs, outputs = view.inputs, view.outputs

    # pairs: any flow between them, or an episode in the window
    seen = (np.abs(inputs) + np.abs(outputs)) > 0
    seen |= seen.T
    org_of: dict[tuple[int, int], list] = {}
    last: list[_dt.date | None] = [None] * u.n
    if window is not None:
        for lo, hi, start, end, dim, joint in eps:
            if start > window[1] or (end is not None and end < window[0]):
                continue
            org_of.setdefault((lo, hi), []).append((start, end, dim, joint))
            seen[lo, hi] = seen[hi, lo] = True
            upto = window[1] if end is None else min(end, window[1])
            for k in (lo, hi):
                if last[k] is None or upto > last[k]:
                    last[k] = upto
    ia, ib = np.nonzero(np.triu(seen, 1))
    ids = u.ids
    swap = ids[ia] > ids[ib]
    ia, ib = np.where(swap, ib, ia), np.where(swap, ia, ib)
    order = np.lexsort((ids[ib], ids[ia]))
    ia, ib = ia[order], ib[order]

    cols: dict[str, np.ndarray] = {
        "in_a_direct": view.input_direct[ia, ib],
        "in_a_pools": view.input_pools[ia, ib],
        "in_b_direct": view.input_direct[ib, ia],
        "in_b_pools": view.input_pools[ib, ia],
        "out_a_direct": view.input_direct[ib, ia],
        "out_a_pools": view.output_pools[ia, ib],
        "out_b_direct": view.input_direct[ia, ib],
        "out_b_pools": view.output_pools[ib, ia],
    }
    cols["in_a"] = cols["in_a_direct"] + cols["in_a_pools"]
    cols["in_b"] = cols["in_b_direct"] + cols["in_b_pools"]
    cols["out_a"] = cols["out_a_direct"] + cols["out_a_pools"]
    cols["out_b"] = cols["out_b_direct"] + cols["out_b_pools"]
    modes = pair_modes(cols["in_a"], cols["in_b"], cols["out_a"], cols["out_b"], tol=tol)
    for k in ("gain_a", "gain_b", "relative_gain_a", "relative_gain_b", "energy", "flow"):
        cols[k] = modes[k]

    # organisation
    m = ia.size
    organisation_code = np.full(m, -1, dtype=np.int8)
    stats: list[Any] = [None] * m
    if org_of:
        okw = settings.organisation_kwargs()
        row = np.full((u.n, u.n), -1, dtype=np.int64)
        row[ia, ib] = row[ib, ia] = np.arange(m)
        for (lo, hi), found in org_of.items():
            k = int(row[lo, hi])
            res = describe_organisation(found, window=window, **okw)
            stats[k] = res
            if res.mode is not None:
                organisation_code[k] = ORGANISATIONS.index(res.mode)
    organisation = _ORGANISATION_OBJECTS[organisation_code]

    # degree and share
    degree = np.full(m, np.nan)
    reverse = np.full(m, np.nan)
    share = np.full(m, np.nan)
    notes = ["no quality-parameter series"] * m
    _periods, z = _series(u, series)
    if z is not None:
        has = np.isfinite(z).any(axis=1)
        for k in np.flatnonzero(has[ia] | has[ib]):
            d_ab, d_ba, th, note = _degree(z[ia[k]], z[ib[k]], u.names[ia[k]], u.names[ib[k]])
            degree[k], reverse[k], share[k], notes[k] = d_ab, d_ba, th, note
    cols["degree"], cols["degree_reverse"], cols["share"] = degree, reverse, share

    table = PairTable(
        a=ids[ia],
        b=ids[ib],
        ia=ia,
        ib=ib,
        columns={name: np.asarray(cols[name], dtype=float) for name in PAIR_FLOAT_COLUMNS},
        behaviour=modes["behaviour"],
        gaining=modes["gaining"],
        free_rider_a=modes["free_rider_a"],
        free_rider_b=modes["free_rider_b"],
        organisation=organisation,
        organisation_stats=tuple(stats),
        degree_note=tuple(notes),
        unit_ids=tuple(int(i) for i in ids),
        unit_names=u.names,
        unit_groups=u.groups,
        tolerance=tol,
        codes={
            "behaviour": modes["behaviour_code"],
            "gaining": modes["gaining_code"],
            "organisation": organisation_code,
        },
    )

    # units
    pair_gain = (outputs - inputs).sum(axis=1)
    n_pairs = np.bincount(np.concatenate([ia, ib]), minlength=u.n)
    uin, uout = view.unit_inputs, view.unit_outputs
    free = (uout > 0) & (uin <= tol * uout)
    unit_rows = tuple(
        UnitDiagnosis(
            id=int(ids[i]),
            name=u.names[i],
            group=u.groups[i],
            lead=bool(u.lead[i]),
            member=bool(u.member[i]),
            inputs=float(uin[i]),
            outputs=float(uout[i]),
            net=float(uout[i] - uin[i]),
            pair_gain=float(pair_gain[i]),
            pairs=int(n_pairs[i]),
            free_rider=bool(free[i]),
            last_activity=last[i],
        )
        for i in range(u.n)
    )

    # consortium
    behaviour_counts = _counts(modes["behaviour_code"], _BEHAVIOURS)
    organisation_counts = _counts(organisation_code, _ORGANISATIONS)
    target = int(
        np.count_nonzero(
            (modes["behaviour_code"] == BEHAVIOURS.index(BehaviourMode.SYMMETRIC_MUTUALISM))
            & (organisation_code == ORGANISATIONS.index(OrganisationMode.INTEGRATED))
        )
    )
    onehot = np.zeros((u.n, len(UNIT_GROUPS)))
    onehot[np.arange(u.n), u.group_index] = 1.0
    flow_matrix = onehot.T @ inputs @ onehot
    conc = concentration(uin)
    inputs_by_group = _by_group(uin, u.group_index)
    outputs_by_group = _by_group(uout, u.group_index)

    trends = []
    if flows.has_period and years is not None:
        for y in all_periods[(all_periods >= years[0]) & (all_periods <= years[1])]:
            v = flows.view(u.n, (int(y), int(y)))
            ins, outs = v.inputs, v.outputs
            s = (np.abs(ins) + np.abs(outs)) > 0
            ya, yb = np.nonzero(np.triu(s | s.T, 1))
            ym = pair_modes(ins[ya, yb], ins[yb, ya], outs[ya, yb], outs[yb, ya], tol=tol)
            trends.append(
                YearTrend(
                    year=int(y),
                    pairs=int(ya.size),
                    behaviour_counts=_counts(ym["behaviour_code"], _BEHAVIOURS),
                    energy=float(ym["energy"].sum()),
                    inputs=float(v.unit_inputs.sum()),
                    outputs=float(v.unit_outputs.sum()),
                    inputs_by_group=_by_group(v.unit_inputs, u.group_index),
                    outputs_by_group=_by_group(v.unit_outputs, u.group_index),
                )
            )

    alerts = _alerts(u, table, unit_rows, conc, inputs_by_group, window, settings)
    return ConsortiumDiagnosis(
        years=years,
        window=window,
        settings=settings,
        units=unit_rows,
        pairs=table,
        behaviour_counts=behaviour_counts,
        organisation_counts=organisation_counts,
        target_count=target,
        target_share=target / m if m else math.nan,
        energy=float(modes["energy"].sum()),
        energy_by_group=_by_group(pair_gain, u.group_index),
        groups=UNIT_GROUPS,
        flow_matrix=flow_matrix,
        inputs_by_group=inputs_by_group,
        outputs_by_group=outputs_by_group,
        concentration=conc,
        trends=tuple(trends),
        alerts=alerts,
    )


def _alerts(u, table, unit_rows, conc, inputs_by_group, window, settings) -> tuple[Alert, ...]:
    tol = settings.tolerance
    out: list[Alert] = []
    for r in unit_rows:
        if r.free_rider:
            out.append(
                Alert(
                    "free_rider",
                    (r.id,),
                    r.inputs,
                    tol * r.outputs,
                    f"{r.name} received {_money(r.outputs)} and put in {_money(r.inputs)} "
                    f"(at most {_pct(tol)} of what it received counts as nothing).",
                )
            )
    parasitic = np.flatnonzero(table.behaviour == BehaviourMode.PARASITISM)
    if parasitic.size:
        loss = np.where(
            table.gaining[parasitic] == Side.FIRST,
            table.columns["gain_b"][parasitic],
            table.columns["gain_a"][parasitic],
        )
        parasitic = parasitic[np.argsort(loss, kind="stable")]  # the largest losses first
    listed = parasitic[: settings.max_pair_alerts]
    more = parasitic.size - listed.size
    for k in listed:
        first = table.gaining[k] is Side.FIRST
        ia, ib = int(table.ia[k]), int(table.ib[k])
        p, h = (ia, ib) if first else (ib, ia)
        gp = table.columns["gain_a" if first else "gain_b"][k]
        gh = table.columns["gain_b" if first else "gain_a"][k]
        band = tol * table.columns["flow"][k]
        out.append(
            Alert(
                "parasitic_pair",
                (int(u.ids[p]), int(u.ids[h])),
                float(gh),
                float(-band),
                f"{u.names[p]} gains {_money(gp)} from its pair with {u.names[h]}, which loses "
                f"{_money(-gh)} (beyond the tolerance of {_money(band)}): {u.names[p]} is "
                "the parasite."
                + (
                    f" One of {parasitic.size} parasitic pairs; the {listed.size} largest "
                    "losses are listed."
                    if more
                    else ""
                ),
            )
        )
    if window is not None:
        limit = settings.inactive_months
        for r in unit_rows:
            if not r.member:
                continue
            if r.last_activity is None:
                months = math.inf
                why = f"{r.name} has no joint project, contract or booking in the window"
            else:
                months = (window[1] - r.last_activity).days / _DAYS_PER_MONTH
                if months <= limit:
                    continue
                why = (
                    f"{r.name}'s last joint activity ended on {r.last_activity.isoformat()}, "
                    f"{months:.1f} months before {window[1].isoformat()}"
                )
            out.append(
                Alert(
                    "inactive_member",
                    (r.id,),
                    months,
                    float(limit),
                    f"{why} (limit {limit} months): joined but not cooperating (联而不合).",
                )
            )
    school, enterprise = inputs_by_group["school"], inputs_by_group["enterprise"]
    if school > 0:
        ratio = enterprise / school
        if ratio < settings.cold_ratio:
            ids = tuple(int(u.ids[i]) for i in range(u.n) if u.groups[i] == "enterprise")
            out.append(
                Alert(
                    "school_hot_enterprise_cold",
                    ids,
                    ratio,
                    settings.cold_ratio,
                    f"Enterprises put in {_money(enterprise)}, {ratio:.2f} times the "
                    f"schools' {_money(school)} (below {settings.cold_ratio:.2f}): "
                    "schools hot, enterprises cold (校热企冷).",
                )
            )
    if conc.top_index >= 0 and (
        conc.hhi > settings.hhi_max or conc.top_share > settings.top_share_max
    ):
        top = conc.top_index
        over_hhi = conc.hhi > settings.hhi_max
        out.append(
            Alert(
                "concentration",
                (int(u.ids[top]),),
                conc.hhi if over_hhi else conc.top_share,
                settings.hhi_max if over_hhi else settings.top_share_max,
                f"Inputs depend on few units: HHI {conc.hhi:.3f} (limit {settings.hhi_max:.2f}), "
                f"{u.names[top]} puts in {_pct(conc.top_share)} of all inputs "
                f"(limit {_pct(settings.top_share_max)}).",
            )
        )
    return tuple(out)

"""The diagnosis's input tables: columns or rows checked and turned into arrays, the
units, the flows by period, episodes and quality-parameter series."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from gongsheng.analytics.diagnosis._common import OUTSIDE, UNIT_GROUPS
from gongsheng.analytics.diagnosis._rows import PairView


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

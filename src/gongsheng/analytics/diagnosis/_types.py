"""Inputs, settings and results of the symbiosis diagnosis (frozen dataclasses)."""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode, Side

#: the unit groups the diagnosis speaks of (the platform maps its unit types onto them)
UNIT_GROUPS: tuple[str, ...] = ("government", "school", "enterprise", "research", "other")
#: a giver or receiver outside the consortium (or ``None``) in flow columns
OUTSIDE = -1
#: the modes and sides in code order (``PairTable.as_arrays`` keeps the codes)
BEHAVIOURS: tuple[BehaviourMode, ...] = tuple(BehaviourMode)
SIDES: tuple[Side, ...] = tuple(Side)
ORGANISATIONS: tuple[OrganisationMode, ...] = tuple(OrganisationMode)
_BEHAVIOUR_OBJECTS = np.asarray(BEHAVIOURS, dtype=object)
_SIDE_OBJECTS = np.asarray(SIDES, dtype=object)
# position −1 (no episode) → None
_ORGANISATION_OBJECTS = np.asarray([*ORGANISATIONS, None], dtype=object)
_CODE: dict[object, int] = {
    **{m: i for i, m in enumerate(BEHAVIOURS)},
    **{x: i for i, x in enumerate(SIDES)},
    **{m: i for i, m in enumerate(ORGANISATIONS)},
    None: -1,
}
#: the alert kinds, in the order reports list them
ALERT_KINDS: tuple[str, ...] = (
    "free_rider",
    "parasitic_pair",
    "inactive_member",
    "school_hot_enterprise_cold",
    "concentration",
)


def _plain(value: Any) -> Any:
    """A JSON-ready version of ``value`` (NaN → None, enums → their key, dates → ISO)."""
    if isinstance(value, (BehaviourMode, OrganisationMode, Side)):
        return value.value
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "as_dict"):
        return value.as_dict()
    return value


# --------------------------------------------------------------------------------------
# settings
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiagnosisSettings:
    """Tolerance and thresholds of a diagnosis (the platform keeps one set per consortium).

    Attributes
    ----------
    tolerance : float
        Net gains with |g| ≤ ``tolerance``·(in_a + in_b + out_a + out_b) count as 0; relative
        gains within ``tolerance`` of each other (relative to the larger) are equal. 0.05.
    joint_body_share, continuous_share, max_gap_days, min_dimensions
        Organisation thresholds, passed to
        :func:`gongsheng.analytics.symbiosis.describe_organisation` (0.5, 0.6, 90, 3).
    inactive_months : int
        A member with no joint activity in the last ``inactive_months`` before the window end
        is inactive (联而不合). 12.
    cold_ratio : float
        Enterprise inputs / school inputs below this raise 校热企冷. 0.5.
    hhi_max : float
        Herfindahl–Hirschman index of unit inputs above this raises a concentration alert. 0.25.
    top_share_max : float
        The largest unit's share of inputs above this raises a concentration alert. 0.5.
    max_pair_alerts : int
        At most this many ``parasitic_pair`` alerts, the largest losses first (every parasitic
        pair stays in the pair table). 20.
    """

    tolerance: float = 0.05
    joint_body_share: float = 0.5
    continuous_share: float = 0.6
    max_gap_days: int = 90
    min_dimensions: int = 3
    inactive_months: int = 12
    cold_ratio: float = 0.5
    hhi_max: float = 0.25
    top_share_max: float = 0.5
    max_pair_alerts: int = 20

    def __post_init__(self) -> None:
        checks = (
            ("tolerance", 0.0 <= self.tolerance < 1, "in [0, 1)"),
            ("joint_body_share", 0 < self.joint_body_share <= 1, "in (0, 1]"),
            ("continuous_share", 0 < self.continuous_share <= 1, "in (0, 1]"),
            ("max_gap_days", self.max_gap_days >= 0, ">= 0"),
            ("min_dimensions", self.min_dimensions >= 1, ">= 1"),
            ("inactive_months", self.inactive_months >= 1, ">= 1"),
            ("cold_ratio", self.cold_ratio >= 0, ">= 0"),
            ("hhi_max", 0 < self.hhi_max <= 1, "in (0, 1]"),
            ("top_share_max", 0 < self.top_share_max <= 1, "in (0, 1]"),
            ("max_pair_alerts", self.max_pair_alerts >= 0, ">= 0"),
        )
        for name, ok, what in checks:
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and ok):
                raise ValueError(f"`{name}` must be {what}; got {value!r}")

    def organisation_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``describe_organisation``."""
        return {
            "joint_body_share": self.joint_body_share,
            "continuous_share": self.continuous_share,
            "max_gap_days": self.max_gap_days,
            "min_dimensions": self.min_dimensions,
        }

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --------------------------------------------------------------------------------------
# the pair view
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PairView:
    """The pair view of n units as n × n matrices (result of :func:`pair_view`).

    Attributes
    ----------
    input_direct : ndarray, shape (n, n)
        [i, j]: what i gave j directly.
    input_pools : ndarray, shape (n, n)
        [i, j]: i's input towards j through the pools both contributed to,
        Σ_p x_pi·x_pj/(X_p − x_pi).
    output_pools : ndarray, shape (n, n)
        [i, j]: i's output from j through the pools, Σ_p r_pi·x_pj/(X_p − x_pi).
    inputs, outputs : ndarray, shape (n, n)
        input_direct + input_pools, and input_directᵀ + output_pools (what i received from j).
    unit_inputs, unit_outputs : ndarray, shape (n,)
        Everything each unit gave and received (to and from units, pools and outside).
    """

    input_direct: np.ndarray
    input_pools: np.ndarray
    output_pools: np.ndarray
    unit_inputs: np.ndarray
    unit_outputs: np.ndarray

    @property
    def inputs(self) -> np.ndarray:
        return self.input_direct + self.input_pools

    @property
    def outputs(self) -> np.ndarray:
        return self.input_direct.T + self.output_pools


# --------------------------------------------------------------------------------------
# per pair
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PairDiagnosis:
    """The diagnosis of one pair of units a < b (one row of a :class:`PairTable`).

    Attributes
    ----------
    a, b : int
        Unit ids, ``a < b``.
    a_name, b_name, a_group, b_group : str
    in_a, in_b : float
        What a (b) put into the pair: directly to the other and through shared pools.
    out_a, out_b : float
        What a (b) received from the other, directly and through shared pools.
    in_a_direct, in_a_pools, in_b_direct, in_b_pools : float
    out_a_direct, out_a_pools, out_b_direct, out_b_pools : float
        The direct and through-pools parts (direct parts cancel in the energy).
    gain_a, gain_b : float
        Net gains g = out − in.
    relative_gain_a, relative_gain_b : float
        g/in, NaN for a side with no input.
    energy : float
        E = (out_a + out_b) − (in_a + in_b) = g_a + g_b.
    flow : float
        in_a + in_b + out_a + out_b (the tolerance's scale).
    behaviour : BehaviourMode
    gaining : Side
        ``first`` = a gains, ``second`` = b gains.
    free_rider_a, free_rider_b : bool
        Outputs with inputs ≈ 0 in this pair.
    organisation : OrganisationMode or None
        None without episodes in the window.
    organisation_stats : OrganisationResult or None
    degree, degree_reverse, share : float
        δ_ab, δ_ba (mean of the defined period degrees) and θ_a; NaN where not available.
    degree_note : str
        Why the degree is missing, or the periods it is based on.
    reason : str
        One English line with the numbers behind the verdict.
    """

    a: int
    b: int
    a_name: str
    b_name: str
    a_group: str
    b_group: str
    in_a: float
    in_b: float
    out_a: float
    out_b: float
    in_a_direct: float
    in_a_pools: float
    in_b_direct: float
    in_b_pools: float
    out_a_direct: float
    out_a_pools: float
    out_b_direct: float
    out_b_pools: float
    gain_a: float
    gain_b: float
    relative_gain_a: float
    relative_gain_b: float
    energy: float
    flow: float
    behaviour: BehaviourMode
    gaining: Side
    free_rider_a: bool
    free_rider_b: bool
    organisation: OrganisationMode | None
    organisation_stats: Any
    degree: float
    degree_reverse: float
    share: float
    degree_note: str
    reason: str

    @property
    def target(self) -> bool:
        """Integrated + symmetric mutualism: the papers' target state."""
        return (
            self.behaviour is BehaviourMode.SYMMETRIC_MUTUALISM
            and self.organisation is OrganisationMode.INTEGRATED
        )

    @property
    def gaining_ids(self) -> tuple[int, ...]:
        """Ids of the gaining side(s)."""
        return {
            Side.FIRST: (self.a,),
            Side.SECOND: (self.b,),
            Side.BOTH: (self.a, self.b),
        }.get(self.gaining, ())

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        out["organisation_stats"] = _org_stats(self.organisation_stats)
        out["target"] = self.target
        return out


#: the columns of a PairTable, in order (floats unless listed in the other sets)
PAIR_FLOAT_COLUMNS: tuple[str, ...] = (
    "in_a",
    "in_b",
    "out_a",
    "out_b",
    "in_a_direct",
    "in_a_pools",
    "in_b_direct",
    "in_b_pools",
    "out_a_direct",
    "out_a_pools",
    "out_b_direct",
    "out_b_pools",
    "gain_a",
    "gain_b",
    "relative_gain_a",
    "relative_gain_b",
    "energy",
    "flow",
    "degree",
    "degree_reverse",
    "share",
)


@dataclass(frozen=True)
class PairTable:
    """Every diagnosed pair as columns (NumPy arrays), sorted by (a, b).

    Thousands of pairs per consortium stay arrays; :meth:`row` and iteration make a
    :class:`PairDiagnosis` (with its reason line) on demand.

    Attributes
    ----------
    a, b : ndarray of int
        Unit ids, a < b.
    ia, ib : ndarray of int
        Their positions in the units of the diagnosis.
    columns : dict of str to ndarray
        The float columns named in ``PAIR_FLOAT_COLUMNS``.
    behaviour : ndarray of BehaviourMode (object)
    gaining : ndarray of Side (object)
    free_rider_a, free_rider_b : ndarray of bool
    organisation : ndarray of OrganisationMode or None (object)
    organisation_stats : tuple of OrganisationResult or None
    degree_note : tuple of str
    unit_ids, unit_names, unit_groups : tuple
        The units of the diagnosis (for names in rows).
    tolerance : float
    codes : dict of str to ndarray, optional
        ``behaviour``, ``gaining`` and ``organisation`` as positions in ``BEHAVIOURS``,
        ``SIDES`` and ``ORGANISATIONS`` (−1: none), when the maker has them.
    """

    a: np.ndarray
    b: np.ndarray
    ia: np.ndarray
    ib: np.ndarray
    columns: dict[str, np.ndarray]
    behaviour: np.ndarray
    gaining: np.ndarray
    free_rider_a: np.ndarray
    free_rider_b: np.ndarray
    organisation: np.ndarray
    organisation_stats: tuple = field(repr=False)
    degree_note: tuple = field(repr=False)
    unit_ids: tuple = field(repr=False, default=())
    unit_names: tuple = field(repr=False, default=())
    unit_groups: tuple = field(repr=False, default=())
    tolerance: float = 0.05
    codes: dict[str, np.ndarray] | None = field(repr=False, default=None)

    def __len__(self) -> int:
        return int(self.a.size)

    def __iter__(self):
        for k in range(len(self)):
            yield self.row(k)

    def index(self, a: int, b: int) -> int | None:
        """Row of the pair {a, b} (either order), None if it was not diagnosed."""
        a, b = (a, b) if a < b else (b, a)
        lo = int(np.searchsorted(self.a, a, side="left"))
        hi = int(np.searchsorted(self.a, a, side="right"))
        k = lo + int(np.searchsorted(self.b[lo:hi], b))
        if k < hi and int(self.b[k]) == b:
            return k
        return None

    def find(self, a: int, b: int) -> PairDiagnosis | None:
        """The pair {a, b} (either order), None if it was not diagnosed."""
        k = self.index(a, b)
        return None if k is None else self.row(k)

    def row(self, k: int) -> PairDiagnosis:
        from gongsheng.analytics.diagnosis._engine import pair_reason

        c = {name: float(col[k]) for name, col in self.columns.items()}
        ia, ib = int(self.ia[k]), int(self.ib[k])
        kw: dict[str, Any] = {
            "a": int(self.a[k]),
            "b": int(self.b[k]),
            "a_name": str(self.unit_names[ia]) if self.unit_names else str(self.a[k]),
            "b_name": str(self.unit_names[ib]) if self.unit_names else str(self.b[k]),
            "a_group": str(self.unit_groups[ia]) if self.unit_groups else "",
            "b_group": str(self.unit_groups[ib]) if self.unit_groups else "",
            **c,
            "behaviour": self.behaviour[k],
            "gaining": self.gaining[k],
            "free_rider_a": bool(self.free_rider_a[k]),
            "free_rider_b": bool(self.free_rider_b[k]),
            "organisation": self.organisation[k],
            "organisation_stats": self.organisation_stats[k],
            "degree_note": self.degree_note[k],
            "reason": "",
        }
        row = PairDiagnosis(**kw)
        return PairDiagnosis(**{**kw, "reason": pair_reason(row, tolerance=self.tolerance)})

    def take(self, which: Any) -> PairTable:
        """The rows selected by a boolean mask or index array, as a new table."""
        k = np.flatnonzero(which) if np.asarray(which).dtype == bool else np.asarray(which)
        return PairTable(
            a=self.a[k],
            b=self.b[k],
            ia=self.ia[k],
            ib=self.ib[k],
            columns={name: col[k] for name, col in self.columns.items()},
            behaviour=self.behaviour[k],
            gaining=self.gaining[k],
            free_rider_a=self.free_rider_a[k],
            free_rider_b=self.free_rider_b[k],
            organisation=self.organisation[k],
            organisation_stats=tuple(self.organisation_stats[i] for i in k.tolist()),
            degree_note=tuple(self.degree_note[i] for i in k.tolist()),
            unit_ids=self.unit_ids,
            unit_names=self.unit_names,
            unit_groups=self.unit_groups,
            tolerance=self.tolerance,
            codes=None if self.codes is None else {n: c[k] for n, c in self.codes.items()},
        )

    def as_dict(self) -> dict[str, Any]:
        """Columns as JSON-ready lists (NaN → None), for storing and for APIs."""
        out: dict[str, Any] = {
            "a": self.a.tolist(),
            "b": self.b.tolist(),
            "ia": self.ia.tolist(),
            "ib": self.ib.tolist(),
        }
        for name, col in self.columns.items():
            vals = np.round(col, 6)
            out[name] = [None if v != v else v for v in vals.tolist()]
        out["behaviour"] = [m.value for m in self.behaviour]
        out["gaining"] = [s.value for s in self.gaining]
        out["free_rider_a"] = self.free_rider_a.tolist()
        out["free_rider_b"] = self.free_rider_b.tolist()
        out["organisation"] = [None if m is None else m.value for m in self.organisation]
        out["organisation_stats"] = [_org_stats(r) for r in self.organisation_stats]
        out["degree_note"] = list(self.degree_note)
        return out

    def as_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Compact storage: (NumPy arrays of numbers and mode codes, a small JSON-ready dict of
        the organisation statistics and degree notes of the rows that have them)."""
        arrays: dict[str, np.ndarray] = {
            "a": self.a,
            "b": self.b,
            "ia": self.ia.astype(np.int32),
            "ib": self.ib.astype(np.int32),
        }
        # the other columns follow from these (out_a_direct = in_b_direct, sums, gains …)
        for name in _STORED_COLUMNS:
            arrays[name] = self.columns[name]
        for name in ("degree", "degree_reverse", "share"):
            if np.isfinite(self.columns[name]).any():
                arrays[name] = self.columns[name]
        for name in ("behaviour", "gaining", "organisation"):
            if self.codes is not None and name in self.codes:
                arrays[name] = np.asarray(self.codes[name], dtype=np.int8)
                continue
            col = getattr(self, name)
            arrays[name] = np.fromiter((_CODE[v] for v in col), dtype=np.int8, count=col.size)
        arrays["free_rider_a"] = self.free_rider_a
        arrays["free_rider_b"] = self.free_rider_b
        default = "no quality-parameter series"
        extras = {
            "organisation_stats": {
                str(k): _org_stats(r)
                for k, r in enumerate(self.organisation_stats)
                if r is not None
            },
            "degree_note": {
                str(k): note for k, note in enumerate(self.degree_note) if note != default
            },
        }
        return arrays, extras

    @classmethod
    def from_arrays(
        cls,
        arrays: Any,
        extras: dict[str, Any],
        *,
        unit_ids: tuple = (),
        unit_names: tuple = (),
        unit_groups: tuple = (),
        tolerance: float = 0.05,
    ) -> PairTable:
        """The table back from :meth:`as_arrays`."""
        m = int(np.asarray(arrays["a"]).size)
        stats: list[Any] = [None] * m
        for k, r in (extras.get("organisation_stats") or {}).items():
            stats[int(k)] = _org_result(r)
        notes = ["no quality-parameter series"] * m
        for k, note in (extras.get("degree_note") or {}).items():
            notes[int(k)] = note
        return cls(
            a=np.asarray(arrays["a"], dtype=np.int64),
            b=np.asarray(arrays["b"], dtype=np.int64),
            ia=np.asarray(arrays["ia"], dtype=np.int64),
            ib=np.asarray(arrays["ib"], dtype=np.int64),
            columns=_derived_columns(arrays, m),
            behaviour=_BEHAVIOUR_OBJECTS[np.asarray(arrays["behaviour"], dtype=np.int64)],
            gaining=_SIDE_OBJECTS[np.asarray(arrays["gaining"], dtype=np.int64)],
            free_rider_a=np.asarray(arrays["free_rider_a"], dtype=bool),
            free_rider_b=np.asarray(arrays["free_rider_b"], dtype=bool),
            organisation=_ORGANISATION_OBJECTS[np.asarray(arrays["organisation"], dtype=np.int64)],
            codes={n: np.asarray(arrays[n]) for n in ("behaviour", "gaining", "organisation")},
            organisation_stats=tuple(stats),
            degree_note=tuple(notes),
            unit_ids=tuple(unit_ids),
            unit_names=tuple(unit_names),
            unit_groups=tuple(unit_groups),
            tolerance=tolerance,
        )

    @classmethod
    def from_dict(
        cls,
        data: dict[str, Any],
        *,
        unit_ids: tuple = (),
        unit_names: tuple = (),
        unit_groups: tuple = (),
        tolerance: float = 0.05,
    ) -> PairTable:
        """The table back from :meth:`as_dict` (None → NaN), e.g. from a stored result."""

        def floats(name: str) -> np.ndarray:
            return np.asarray([np.nan if v is None else v for v in data[name]], dtype=float)

        def objects(values: list, make: Any) -> np.ndarray:
            out = np.empty(len(values), dtype=object)
            out[:] = [None if v is None else make(v) for v in values]
            return out

        stats = tuple(
            _org_result(r) for r in data.get("organisation_stats") or [None] * len(data["a"])
        )
        return cls(
            a=np.asarray(data["a"], dtype=np.int64),
            b=np.asarray(data["b"], dtype=np.int64),
            ia=np.asarray(data["ia"], dtype=np.int64),
            ib=np.asarray(data["ib"], dtype=np.int64),
            columns={name: floats(name) for name in PAIR_FLOAT_COLUMNS},
            behaviour=objects(data["behaviour"], BehaviourMode),
            gaining=objects(data["gaining"], Side),
            free_rider_a=np.asarray(data["free_rider_a"], dtype=bool),
            free_rider_b=np.asarray(data["free_rider_b"], dtype=bool),
            organisation=objects(data["organisation"], OrganisationMode),
            organisation_stats=stats,
            degree_note=tuple(data["degree_note"]),
            unit_ids=tuple(unit_ids),
            unit_names=tuple(unit_names),
            unit_groups=tuple(unit_groups),
            tolerance=tolerance,
        )


_STORED_COLUMNS = (
    "in_a_direct",
    "in_a_pools",
    "in_b_direct",
    "in_b_pools",
    "out_a_pools",
    "out_b_pools",
)


def _derived_columns(arrays: Any, m: int) -> dict[str, np.ndarray]:
    """Every float column from the stored ones (``PairTable.as_arrays``)."""
    c = {name: np.asarray(arrays[name], dtype=float) for name in _STORED_COLUMNS}
    c["out_a_direct"] = c["in_b_direct"]
    c["out_b_direct"] = c["in_a_direct"]
    for side in ("a", "b"):
        c[f"in_{side}"] = c[f"in_{side}_direct"] + c[f"in_{side}_pools"]
        c[f"out_{side}"] = c[f"out_{side}_direct"] + c[f"out_{side}_pools"]
        c[f"gain_{side}"] = c[f"out_{side}"] - c[f"in_{side}"]
        with np.errstate(divide="ignore", invalid="ignore"):
            pos = c[f"in_{side}"] > 0
            c[f"relative_gain_{side}"] = np.where(
                pos, c[f"gain_{side}"] / np.where(pos, c[f"in_{side}"], 1.0), np.nan
            )
    c["energy"] = c["gain_a"] + c["gain_b"]
    c["flow"] = np.abs(c["in_a"]) + np.abs(c["in_b"]) + np.abs(c["out_a"]) + np.abs(c["out_b"])
    keys = arrays.keys() if hasattr(arrays, "keys") else arrays.files
    for name in ("degree", "degree_reverse", "share"):
        c[name] = np.asarray(arrays[name], dtype=float) if name in keys else np.full(m, np.nan)
    return {name: c[name] for name in PAIR_FLOAT_COLUMNS}


def _org_result(r: dict[str, Any] | None) -> Any:
    from gongsheng.analytics.symbiosis import OrganisationResult

    if r is None:
        return None
    return OrganisationResult(
        OrganisationMode(r["mode"]) if r.get("mode") else None,
        r["n_episodes"],
        r["n_blocks"],
        r["coverage"],
        r["max_gap_days"],
        r["joint_body_share"],
        tuple(r["dimensions"]),
        r["reason"],
    )


def _org_stats(stats: Any) -> dict[str, Any] | None:
    if stats is None:
        return None
    return {
        "mode": None if stats.mode is None else stats.mode.value,
        "n_episodes": stats.n_episodes,
        "n_blocks": stats.n_blocks,
        "coverage": stats.coverage,
        "max_gap_days": stats.max_gap_days,
        "joint_body_share": stats.joint_body_share,
        "dimensions": list(stats.dimensions),
        "reason": stats.reason,
    }


# --------------------------------------------------------------------------------------
# per unit, alerts, trends, the consortium
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitDiagnosis:
    """One unit's totals inside the consortium.

    Attributes
    ----------
    id : int
    name, group : str
    lead : bool
    member : bool
        A current member (only members can raise ``inactive_member``).
    inputs, outputs : float
        Everything the unit gave and received in the window (to and from units, pools and
        outside the consortium).
    net : float
        outputs − inputs (its net energy).
    pair_gain : float
        Σ of its net gains over its pairs (its part of the consortium's pair energy).
    pairs : int
        Pairs it takes part in.
    free_rider : bool
        outputs > 0 with inputs ≤ tolerance·outputs.
    last_activity : datetime.date or None
        End of its latest joint episode (the window end for a running one); None without any.
    """

    id: int
    name: str
    group: str
    lead: bool
    member: bool
    inputs: float
    outputs: float
    net: float
    pair_gain: float
    pairs: int
    free_rider: bool
    last_activity: _dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "group": self.group,
            "lead": self.lead,
            "member": self.member,
            "inputs": float(self.inputs),
            "outputs": float(self.outputs),
            "net": float(self.net),
            "pair_gain": float(self.pair_gain),
            "pairs": self.pairs,
            "free_rider": self.free_rider,
            "last_activity": self.last_activity.isoformat() if self.last_activity else None,
        }


@dataclass(frozen=True)
class Alert:
    """A warning with its reason.

    Attributes
    ----------
    kind : str
        One of ``ALERT_KINDS``.
    units : tuple of int
        The units concerned (for a parasitic pair: the parasite first).
    value : float
        What was measured.
    threshold : float
        The threshold it crossed.
    reason : str
        One English sentence with the numbers.
    """

    kind: str
    units: tuple[int, ...]
    value: float
    threshold: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "units": list(self.units),
            "value": _plain(self.value),
            "threshold": _plain(self.threshold),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class YearTrend:
    """One period of the trends.

    Attributes
    ----------
    year : int
    pairs : int
        Pairs with flows that year.
    behaviour_counts : dict of str to int
        Pairs per behavioural mode (every mode listed).
    energy : float
        Σ pair energy that year.
    inputs, outputs : float
        Σ unit inputs and outputs that year.
    inputs_by_group, outputs_by_group : dict of str to float
    """

    year: int
    pairs: int
    behaviour_counts: dict[str, int]
    energy: float
    inputs: float
    outputs: float
    inputs_by_group: dict[str, float]
    outputs_by_group: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class Concentration:
    """Concentration of unit inputs (result of :func:`concentration`).

    Attributes
    ----------
    hhi : float
        Herfindahl–Hirschman index Σ s_i² of the input shares (1/n … 1); NaN without inputs.
    top_share : float
        The largest share; NaN without inputs.
    top_index : int
        Position of the largest contributor (−1 without inputs).
    n : int
        Contributors with positive inputs.
    """

    hhi: float
    top_share: float
    top_index: int
    n: int

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class ConsortiumDiagnosis:
    """The diagnosis of one consortium over a window (result of :func:`diagnose`).

    Attributes
    ----------
    years : (int, int) or None
        The window (inclusive), None when flows carry no period.
    window : (datetime.date, datetime.date) or None
        The window's first and last day (organisation modes, inactivity).
    settings : DiagnosisSettings
    units : tuple of UnitDiagnosis
    pairs : PairTable
    behaviour_counts, organisation_counts : dict of str to int
        Pairs per mode (every mode listed; organisation also ``"none"`` for pairs without
        episodes).
    target_count : int
        Pairs that are integrated + symmetric mutualism.
    target_share : float
        target_count / pairs (NaN without pairs).
    energy : float
        Σ pair energy.
    energy_by_group : dict of str to float
        Σ over the units of each group of their pair gains (sums to ``energy``).
    groups : tuple of str
        ``UNIT_GROUPS``, the order of ``flow_matrix``.
    flow_matrix : ndarray, shape (5, 5)
        [g, h]: pair-view inputs of group g's units towards group h's units.
    inputs_by_group, outputs_by_group : dict of str to float
        Unit totals per group.
    concentration : Concentration
        Of unit inputs.
    trends : tuple of YearTrend
    alerts : tuple of Alert
    """

    years: tuple[int, int] | None
    window: tuple[_dt.date, _dt.date] | None
    settings: DiagnosisSettings
    units: tuple[UnitDiagnosis, ...]
    pairs: PairTable
    behaviour_counts: dict[str, int]
    organisation_counts: dict[str, int]
    target_count: int
    target_share: float
    energy: float
    energy_by_group: dict[str, float]
    groups: tuple[str, ...]
    flow_matrix: np.ndarray
    inputs_by_group: dict[str, float]
    outputs_by_group: dict[str, float]
    concentration: Concentration
    trends: tuple[YearTrend, ...]
    alerts: tuple[Alert, ...]

    def as_dict(self, *, pairs: bool = True) -> dict[str, Any]:
        """JSON-ready plain types (pairs as columns, see :meth:`PairTable.as_dict`; without
        them, only ``pair_count``, with ``pairs=False``)."""
        return {
            "pair_count": len(self.pairs),
            "years": list(self.years) if self.years else None,
            "window": [_plain(d) for d in self.window] if self.window else None,
            "settings": self.settings.as_dict(),
            "units": [u.as_dict() for u in self.units],
            **({"pairs": self.pairs.as_dict()} if pairs else {}),
            "behaviour_counts": dict(self.behaviour_counts),
            "organisation_counts": dict(self.organisation_counts),
            "target_count": self.target_count,
            "target_share": _plain(self.target_share),
            "energy": _plain(self.energy),
            "energy_by_group": _plain(self.energy_by_group),
            "groups": list(self.groups),
            "flow_matrix": _plain(self.flow_matrix),
            "inputs_by_group": _plain(self.inputs_by_group),
            "outputs_by_group": _plain(self.outputs_by_group),
            "concentration": self.concentration.as_dict(),
            "trends": [t.as_dict() for t in self.trends],
            "alerts": [a.as_dict() for a in self.alerts],
        }

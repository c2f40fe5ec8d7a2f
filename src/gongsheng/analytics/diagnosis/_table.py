"""Every diagnosed pair as NumPy columns (:class:`PairTable`), and how it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gongsheng.analytics.diagnosis._common import (
    _BEHAVIOUR_OBJECTS,
    _CODE,
    _ORGANISATION_OBJECTS,
    _SIDE_OBJECTS,
)
from gongsheng.analytics.diagnosis._rows import (
    PAIR_FLOAT_COLUMNS,
    PairDiagnosis,
    _org_result,
    _org_stats,
    _reason_dict,
    pair_reason,
)
from gongsheng.analytics.reasons import Reason
from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode, Side


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
        out["degree_note"] = [str(n) for n in self.degree_note]  # English
        out["degree_note_code"] = [_reason_dict(n) for n in self.degree_note]
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
        default = "no quality-parameter series"  # an old stored note compares equal too
        extras = {
            "organisation_stats": {
                str(k): _org_stats(r)
                for k, r in enumerate(self.organisation_stats)
                if r is not None
            },
            "degree_note": {
                str(k): _reason_dict(note)
                for k, note in enumerate(self.degree_note)
                if note != default
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
        notes: list[Any] = [Reason("degree.no_series")] * m
        for k, note in (extras.get("degree_note") or {}).items():
            notes[int(k)] = Reason.load(note)
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
            degree_note=tuple(
                Reason.load(code, note)
                for code, note in zip(
                    data.get("degree_note_code") or [None] * len(data["degree_note"]),
                    data["degree_note"],
                )
            ),
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

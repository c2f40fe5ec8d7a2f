"""One diagnosed pair: the pair view's matrices, a pair's row and its reason line."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from gongsheng.analytics.diagnosis._common import _plain
from gongsheng.analytics.reasons import Reason
from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode, OrganisationResult, Side


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


def _org_result(r: dict[str, Any] | None) -> Any:
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
        Reason.load(r.get("reason_code"), r["reason"]),
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
        "reason": str(stats.reason),  # English
        "reason_code": _reason_dict(stats.reason),
    }


def _reason_dict(reason: Any) -> Any:
    """A reason's stored form (an old plain line stays a line)."""
    return reason.as_dict() if isinstance(reason, Reason) else reason


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
    degree_note : Reason
        Why the degree is missing, or the periods it is based on.
    reason : Reason
        One line with the numbers behind the verdict (a ``str`` in English; its code and
        parameters render in other languages, :mod:`gongsheng.analytics.reasons`).
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
        out["reason_code"] = _reason_dict(self.reason)
        out["degree_note_code"] = _reason_dict(self.degree_note)
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


# --------------------------------------------------------------------------------------
# the reason lines
# --------------------------------------------------------------------------------------
def pair_reason(row: PairDiagnosis, *, tolerance: float) -> Reason:
    """The numbers behind a pair's behavioural verdict, as one reason (code ``pair.line``)."""
    a, b = row.a_name, row.b_name

    def side(name: str, gain: float, relative: float) -> Reason:
        if gain == 0 and relative != relative:
            return Reason("pair.nothing", unit=name)
        if gain >= 0 and relative != relative:
            return Reason("pair.gains_no_input", unit=name, amount=gain)
        code = "pair.gains" if gain >= 0 else "pair.loses"
        return Reason(code, unit=name, amount=abs(gain), share=relative)

    parts = [
        side(a, row.gain_a, row.relative_gain_a),
        side(b, row.gain_b, row.relative_gain_b),
        Reason("pair.energy", energy=row.energy, flow=row.flow, band=tolerance * row.flow),
    ]
    if row.behaviour is BehaviourMode.PARASITISM:
        parts.append(Reason("pair.parasite", unit=a if row.gaining is Side.FIRST else b))
    elif row.behaviour is BehaviourMode.COMMENSALISM:
        parts.append(Reason("pair.only_gains", unit=a if row.gaining is Side.FIRST else b))
    if row.free_rider_a and row.free_rider_b:
        parts.append(Reason("pair.free_riders", a=a, b=b))
    elif row.free_rider_a or row.free_rider_b:
        parts.append(Reason("pair.free_rider", unit=a if row.free_rider_a else b))
    return Reason("pair.line", mode=Reason(f"behaviour.{row.behaviour.value}"), parts=parts)

"""Results of the symbiosis diagnosis per unit, alert, year and consortium (frozen
dataclasses); the settings, pair rows and pair table are re-exported from their modules."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from gongsheng.analytics.diagnosis._common import PlainFields, _plain
from gongsheng.analytics.diagnosis._settings import DiagnosisSettings
from gongsheng.analytics.diagnosis._table import PairTable
from gongsheng.analytics.reasons import Reason


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
    reason : Reason
        One sentence with the numbers (a ``str`` in English; code and parameters render in
        other languages, :mod:`gongsheng.analytics.reasons`).
    """

    kind: str
    units: tuple[int, ...]
    value: float
    threshold: float
    reason: str  # a Reason, or an old stored English line

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "units": list(self.units),
            "value": _plain(self.value),
            "threshold": _plain(self.threshold),
            "reason": str(self.reason),  # English
            "reason_code": self.reason.as_dict() if isinstance(self.reason, Reason) else None,
        }


@dataclass(frozen=True)
class YearTrend(PlainFields):
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


@dataclass(frozen=True)
class Concentration(PlainFields):
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

"""What the diagnosis selectors return: the dataclasses pages, the API and other apps render.

The numbers come from ``gongsheng.analytics.diagnosis`` (its ``PairDiagnosis``,
``UnitDiagnosis``, ``Alert``, ``YearTrend`` and ``PairTable`` are re-exported here); these
classes add who is looking (``access``), the consortium, the window and the evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from gongsheng.analytics.diagnosis import (
    Alert,
    PairDiagnosis,
    PairTable,
    UnitDiagnosis,
    YearTrend,
)
from gongsheng.analytics.diagnosis._common import PlainFields, _plain

#: what a user may see of a consortium's diagnosis
ACCESS_FULL = "full"  # secretariat, supervisors, platform admins: every pair and unit
ACCESS_UNIT = "unit"  # a member unit's users: its own pairs and own unit, consortium totals
ACCESS_TOTALS = "totals"  # observers: consortium totals only (counts, energy, trends)

__all__ = [
    "ACCESS_FULL",
    "ACCESS_TOTALS",
    "ACCESS_UNIT",
    "Alert",
    "ConsortiumDiagnosisView",
    "EpisodeRecord",
    "PairDetail",
    "PairDiagnosis",
    "PairTable",
    "ProvinceRow",
    "SeriesRow",
    "UnitDiagnosis",
    "WindowComparison",
    "WindowSummary",
    "YearTrend",
]


@dataclass(frozen=True)
class ConsortiumDiagnosisView:
    """One consortium's diagnosis as one user may see it.

    Attributes
    ----------
    consortium_id : int
    consortium_name : str
    years : (int, int) or None
        The window (inclusive); None when the consortium has no ledger entries yet.
    access : str
        ``ACCESS_FULL``, ``ACCESS_UNIT`` or ``ACCESS_TOTALS``.
    unit_id : int or None
        The viewing unit (``ACCESS_UNIT``).
    settings : dict
        The tolerance and thresholds used (``DiagnosisSettings.as_dict()`` of the engine).
    behaviour_counts, organisation_counts : dict of str to int
        Pairs per mode over the whole consortium (totals every role may see).
    pair_count, target_count : int
    target_share : float or None
        Integrated + symmetric mutualism pairs / pairs.
    energy : float
        Σ pair energy (CNY).
    energy_by_group, inputs_by_group, outputs_by_group : dict of str to float
    groups : list of str
        Unit groups, the order of ``flow_matrix``.
    flow_matrix : list of list of float
        [g][h]: pair-view inputs of group g towards group h (the Sankey).
    concentration : dict
        ``hhi``, ``top_share``, ``top_index`` (into the unit list of ``ACCESS_FULL``), ``n``.
    trends : list of YearTrend
    units : list of UnitDiagnosis
        All units (full), the own unit (unit), none (totals).
    pairs : PairTable
        All pairs (full), the own unit's pairs (unit), none (totals); columnar, iterate or
        ``row(k)`` for ``PairDiagnosis`` rows.
    alerts : list of Alert
        All (full), those naming the own unit (unit), none (totals).
    computed_at : datetime
    duration : float
        Seconds the computation took.
    cached : bool
        Whether the stored result was still valid (no recomputation for this read).
    suppressed_groups : list of str
        Unit groups left out of the group aggregates because fewer than
        ``GONGSHENG_MIN_GROUP_UNITS`` units make them and the viewer may not see their
        records (decision 0804).
    withheld_pairs : frozenset of int
        Units whose pair with the viewing unit is left out: its pool attribution would tell
        the viewer their share of a pool it did not put into (decision 0804).
    """

    consortium_id: int
    consortium_name: str
    years: tuple[int, int] | None
    access: str
    unit_id: int | None
    settings: dict[str, Any]
    behaviour_counts: dict[str, int]
    organisation_counts: dict[str, int]
    pair_count: int
    target_count: int
    target_share: float | None
    energy: float
    energy_by_group: dict[str, float]
    inputs_by_group: dict[str, float]
    outputs_by_group: dict[str, float]
    groups: list[str]
    flow_matrix: list[list[float]]
    concentration: dict[str, Any]
    trends: list[YearTrend]
    units: list[UnitDiagnosis]
    pairs: PairTable
    alerts: list[Alert]
    computed_at: dt.datetime | None
    duration: float
    cached: bool
    suppressed_groups: list[str] = field(default_factory=list)
    withheld_pairs: frozenset[int] = frozenset()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (pairs as columns)."""
        out = {
            f.name: _plain(getattr(self, f.name))
            for f in fields(self)
            if f.name not in ("pairs", "withheld_pairs")
        }
        out["pairs"] = self.pairs.as_dict()
        out["computed_at"] = self.computed_at.isoformat() if self.computed_at else None
        return out


@dataclass(frozen=True)
class EpisodeRecord(PlainFields):
    """One dated cooperation episode of a pair, with the record it comes from.

    Attributes
    ----------
    source_type : str
        ``cooperation.project``, ``cooperation.contract`` or ``sharing.booking``.
    source_id : int
    title : str
    start : date
    end : date or None
        None: still running.
    dimension : str
        Project type, contract type or ``resource_sharing``.
    joint_body : bool
        Creates a lasting joint body (an industrial college, a co-built training base).
    """

    source_type: str
    source_id: int
    title: str
    start: dt.date
    end: dt.date | None
    dimension: str
    joint_body: bool


@dataclass(frozen=True)
class PairDetail:
    """One pair's diagnosis with its evidence.

    Attributes
    ----------
    consortium_id : int
    years : (int, int) or None
    a, b : UnitDiagnosis
        The two units (a < b by id).
    pair : PairDiagnosis or None
        None when the pair did not cooperate in the window.
    entries : QuerySet of LedgerEntry
        The ledger entries behind it that the user may see: direct flows between the two and
        the flows into and out of the pools they share, in the window, newest first (page it).
    pools : list of str
        The shared pools.
    episodes : list of EpisodeRecord
        Projects, contracts and bookings of the two, oldest first.
    withheld : bool
        The pair's numbers are withheld from this viewer (``pair`` is None): they would tell
        another unit's share of a pool the viewer did not put into (decision 0804).
    """

    consortium_id: int
    years: tuple[int, int] | None
    a: UnitDiagnosis
    b: UnitDiagnosis
    pair: PairDiagnosis | None
    entries: Any
    pools: list[str]
    episodes: list[EpisodeRecord]
    withheld: bool = False


@dataclass(frozen=True)
class ProvinceRow(PlainFields):
    """One consortium in the province overview.

    Attributes
    ----------
    consortium_id : int
    name, code : str
    access : str
    units, pair_count, target_count : int
    target_share : float or None
    energy : float
    behaviour_counts, organisation_counts : dict of str to int
    alerts : dict of str to int
        Alerts per kind (full access; empty otherwise).
    years : (int, int) or None
    computed_at : datetime or None
    """

    consortium_id: int
    name: str
    code: str
    access: str
    units: int
    pair_count: int
    target_count: int
    target_share: float | None
    energy: float
    behaviour_counts: dict[str, int]
    organisation_counts: dict[str, int]
    alerts: dict[str, int] = field(default_factory=dict)
    years: tuple[int, int] | None = None
    computed_at: dt.datetime | None = None


@dataclass(frozen=True)
class SeriesRow(PlainFields):
    """Inputs and outputs of one unit group in one year (for the Logistic fit).

    Attributes
    ----------
    year : int
    group : str
        ``government``, ``school``, ``enterprise``, ``research`` or ``other``.
    inputs, outputs : float
        CNY given and received by the group's units that year.
    """

    year: int
    group: str
    inputs: float
    outputs: float


@dataclass(frozen=True)
class WindowSummary(PlainFields):
    """Mode counts and energy over one window (for before/after comparisons).

    Attributes
    ----------
    years : (int, int)
    pair_count, target_count : int
    target_share : float or None
    energy : float
    behaviour_counts, organisation_counts : dict of str to int
    inputs_by_group, outputs_by_group : dict of str to float
    """

    years: tuple[int, int]
    pair_count: int
    target_count: int
    target_share: float | None
    energy: float
    behaviour_counts: dict[str, int]
    organisation_counts: dict[str, int]
    inputs_by_group: dict[str, float]
    outputs_by_group: dict[str, float]


@dataclass(frozen=True)
class WindowComparison(PlainFields):
    """Before and after a date (a policy's start): descriptive, no causal claim.

    Attributes
    ----------
    consortium_id : int
    before, after : WindowSummary
    behaviour_change, organisation_change : dict of str to int
        after − before, per mode.
    energy_change : float
    note : str
        The caveat to show beside it.
    """

    consortium_id: int
    before: WindowSummary
    after: WindowSummary
    behaviour_change: dict[str, int]
    organisation_change: dict[str, int]
    energy_change: float
    note: str

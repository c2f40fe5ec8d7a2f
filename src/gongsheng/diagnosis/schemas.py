"""API schemas of the diagnosis (what the endpoints accept and answer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class WindowQuery(Schema):
    year_from: int | None = Field(None, description="first year of the window (inclusive)")
    year_to: int | None = Field(None, description="last year of the window (inclusive)")


class PairQuery(WindowQuery):
    mode: str = Field("", description="behavioural mode, e.g. symmetric_mutualism")
    unit: int | None = Field(None, description="only pairs of this unit")


class DiagnosisUnitOut(Schema):
    id: int
    name: str
    group: str
    lead: bool
    inputs: float
    outputs: float
    net: float
    pair_gain: float
    pairs: int
    free_rider: bool
    last_activity: dt.date | None


class TrendOut(Schema):
    year: int
    pairs: int
    behaviour_counts: dict[str, int]
    energy: float
    inputs: float
    outputs: float
    inputs_by_group: dict[str, float]
    outputs_by_group: dict[str, float]


class DiagnosisAlertOut(Schema):
    kind: str
    unit_ids: list[int]
    unit_names: list[str]
    value: float | None
    threshold: float | None
    reason: str = Field(..., description="in the request's language")
    reason_code: dict[str, Any] | None = Field(
        None, description="the reason as a code with parameters (none for an old stored line)"
    )


class FlowMatrixOut(Schema):
    groups: list[str]
    matrix: list[list[float]] = Field(..., description="[g][h]: pair inputs of group g to h")


class DiagnosisConsortiumOut(Schema):
    consortium_id: int
    consortium_name: str
    years: list[int] | None
    access: str = Field(..., description="full, unit (own pairs only) or totals")
    own_unit_id: int | None = Field(None, description="set when only one unit's pairs are shown")
    computed_at: dt.datetime | None
    pair_count: int
    behaviour_counts: dict[str, int]
    organisation_counts: dict[str, int]
    target_count: int
    target_share: float | None
    energy: float
    energy_by_group: dict[str, float]
    inputs_by_group: dict[str, float]
    outputs_by_group: dict[str, float]
    suppressed_groups: list[str] = Field(
        [],
        description="unit groups left out of the group aggregates: fewer than "
        "GONGSHENG_MIN_GROUP_UNITS units make them (decision 0804)",
    )
    flows: FlowMatrixOut
    concentration: dict[str, float | int | None]
    units: list[DiagnosisUnitOut]
    trends: list[TrendOut]
    alerts: list[DiagnosisAlertOut]


class PairOut(Schema):
    a_id: int
    b_id: int
    a_name: str
    b_name: str
    a_group: str
    b_group: str
    in_a: float
    in_b: float
    out_a: float
    out_b: float
    gain_a: float
    gain_b: float
    relative_gain_a: float | None
    relative_gain_b: float | None
    energy: float
    flow: float
    behaviour: str
    gaining: str
    free_rider_a: bool
    free_rider_b: bool
    organisation: str | None
    target: bool
    degree: float | None
    degree_reverse: float | None
    share: float | None
    degree_note: str = Field(..., description="in the request's language")
    degree_note_code: dict[str, Any] | None = None
    reason: str = Field(..., description="in the request's language")
    reason_code: dict[str, Any] | None = Field(
        None, description="the reason as a code with parameters (see decision 0808)"
    )


class EpisodeOut(Schema):
    kind: str
    id: int | None
    title: str
    start: dt.date | None
    end: dt.date | None
    dimension: str = ""
    joint_body: bool = False
    url: str | None = None


class PairFullOut(PairOut):
    in_a_direct: float
    in_a_pools: float
    in_b_direct: float
    in_b_pools: float
    out_a_direct: float
    out_a_pools: float
    out_b_direct: float
    out_b_pools: float
    organisation_stats: dict | None


class PairDetailOut(Schema):
    consortium_id: int
    years: list[int] | None
    a_id: int
    b_id: int
    a_name: str
    b_name: str
    pair: PairFullOut | None = Field(..., description="None: no cooperation in the window")
    pools: list[str]
    withheld: bool = Field(
        False,
        description="the pair's numbers are withheld: they would tell another unit's share of a "
        "pool the viewing unit did not put into (decision 0804)",
    )
    entry_ids: list[int] = Field(..., description="ledger entries behind it, newest first")
    entry_ids_truncated: bool
    episodes: list[EpisodeOut]


class SettingsOut(Schema):
    version: int
    tolerance: float
    joint_body_share: float
    continuous_share: float
    max_gap_days: int
    min_dimensions: int
    inactive_months: int
    cold_ratio: float
    hhi_max: float
    top_share_max: float
    year_from: int | None
    year_to: int | None


class SettingsPatch(Schema):
    version: int | None = None
    tolerance: float | None = None
    joint_body_share: float | None = None
    continuous_share: float | None = None
    max_gap_days: int | None = None
    min_dimensions: int | None = None
    inactive_months: int | None = None
    cold_ratio: float | None = None
    hhi_max: float | None = None
    top_share_max: float | None = None
    year_from: int | None = None
    year_to: int | None = None


class ProvinceRowOut(Schema):
    consortium_id: int
    name: str
    code: str
    access: str
    years: list[int] | None
    unit_count: int
    pair_count: int
    target_count: int
    target_share: float | None
    energy: float
    behaviour_counts: dict[str, int]
    organisation_counts: dict[str, int]
    top_mode: str | None
    alerts: dict[str, int]
    alert_count: int
    computed_at: dt.datetime | None = None

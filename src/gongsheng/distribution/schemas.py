"""API schemas for benefit-distribution studies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field


class StudyOut(Schema):
    id: int
    consortium_id: int
    scope: str
    project_id: int | None
    title: str
    period_from: dt.date
    period_to: dt.date
    history_from: dt.date | None
    game: str
    total: Decimal
    total_source: str
    total_basis: str
    weight_method: str
    ahp_matrix: list[list[float]] | None
    samples: int
    seed: int
    computed_at: dt.datetime | None
    contract_id: int | None
    saved_method: str
    saved_at: dt.datetime | None
    version: int


class PlayerIn(Schema):
    label: str = ""
    unit_ids: list[int]


class StudyIn(Schema):
    consortium_id: int
    scope: str = Field(description="project or consortium")
    title: str
    project_id: int | None = None
    players: list[PlayerIn] | None = Field(
        None, description="consortium studies: units or unit groups; projects: participants"
    )
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    history_from: dt.date | None = None
    game: str | None = Field(None, description="full or pairwise (default by player count)")
    total: Decimal | None = Field(None, description="empty: the value created per the ledger")
    weight_method: str = "equal"


class StudyPatch(Schema):
    version: int | None = Field(None, description="the version you read; stale -> 409")
    title: str | None = None
    weight_method: str | None = None
    ahp_matrix: list[list[float]] | None = None
    samples: int | None = None
    seed: int | None = None


class CoalitionOut(Schema):
    mask: int
    members: list[int]
    size: int
    value: Decimal | None
    source: str
    pools: list[str]
    basis: str
    entered_by: str | None
    entered_at: dt.datetime | None

    @staticmethod
    def resolve_members(obj: Any) -> list[int]:
        return obj.members()

    @staticmethod
    def resolve_entered_by(obj: Any) -> str | None:
        return obj.entered_by.username if obj.entered_by_id else None


class PlayerOut(Schema):
    position: int
    label: str
    unit_ids: list[int]
    input_value: Decimal
    risk: Decimal | None
    effort: Decimal | None
    power: Decimal | None

    @staticmethod
    def resolve_unit_ids(obj: Any) -> list[int]:
        return sorted(u.pk for u in obj.units.all())


class ResultsOut(Schema):
    study: StudyOut
    players: list[PlayerOut]
    coalitions: list[CoalitionOut]
    missing: list[str]
    results: dict[str, Any] | None


class ValuesIn(Schema):
    version: int | None = None
    values: dict[int, Decimal | None] = Field(description="coalition bitmask -> value (or null)")


class FactorsIn(Schema):
    version: int | None = None
    factors: dict[int, dict[str, Decimal | None]] = Field(
        description="player position -> {risk, effort, power}"
    )


class TotalIn(Schema):
    version: int | None = None
    total: Decimal
    basis: str = ""


class SaveIn(Schema):
    contract_id: int
    method: str = Field(description="shapley, modified, nash or input")
    contract_version: int | None = Field(None, description="the contract version you read")


class OwnShareOut(Schema):
    study_id: int
    study_title: str
    player: str
    input_share: float | None
    shares: dict[str, float | None]

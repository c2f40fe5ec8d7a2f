"""API input and output schemas for dynamics, games and saved scenarios."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class LogisticIn(Schema):
    groups: list[str] = Field(default_factory=lambda: ["school", "enterprise"])
    quality: str = "outputs"
    measure: str = "per_year"
    year_from: int | None = None
    year_to: int | None = None


class GameIn(Schema):
    """The thirteen parameters (defaults: the command line's illustrative values; missing
    incentives are not prefilled here: ask ``/game/prefill`` for the policies' amounts)."""

    delta_r: float = 10.0
    alpha: float = 0.4
    c_s: float = 3.0
    c_e: float = 4.0
    s_s: float = 1.0
    s_e: float = 1.5
    g_s: float = 1.0
    g_e: float = 1.0
    t: float = 0.5
    p_s: float = 1.0
    p_e: float = 1.0
    c_g: float = 2.0
    l: float = 6.0  # noqa: E741
    sweep_param: str = "p_e"
    bracket_hi: float = 20.0
    grid: int = 5
    year: int | None = None
    scale: int = 10_000


class ScenarioIn(Schema):
    consortium_id: int
    kind: str
    name: str
    note: str = ""
    inputs: dict[str, Any] = Field(default_factory=dict)


class ScenarioPatch(Schema):
    name: str | None = None
    note: str | None = None
    version: int | None = None


class ScenarioOut(Schema):
    id: int
    consortium_id: int
    kind: str
    name: str
    note: str
    inputs: dict[str, Any]
    created_by: str | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        return obj.created_by.username if obj.created_by else None


class ScenarioDetailOut(ScenarioOut):
    result: dict[str, Any]

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
    """The thirteen parameters and the sweep; each one not given takes the game page's
    starting value for the consortium (``/game/prefill``: its ledger's defaults and its
    policies' amounts in ``year``, in units of ``scale`` CNY)."""

    delta_r: float | None = None
    alpha: float | None = None
    c_s: float | None = None
    c_e: float | None = None
    s_s: float | None = None
    s_e: float | None = None
    g_s: float | None = None
    g_e: float | None = None
    t: float | None = None
    p_s: float | None = None
    p_e: float | None = None
    c_g: float | None = None
    l: float | None = None  # noqa: E741
    sweep_param: str | None = None
    bracket_hi: float | None = None
    grid: int | None = None
    year: int | None = None
    scale: int | None = None


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

"""What a checked workbook holds: plain, typed records (no cell left unchecked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

OUTSIDE = "outside"


@dataclass(frozen=True)
class Problem:
    """One bad cell (or a problem of a whole sheet or row: ``row``/``column`` None)."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"sheet {self.sheet}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


class WorkbookInvalid(Exception):
    """The workbook has bad cells; ``problems`` names every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    group: str
    lead: bool = False


@dataclass(frozen=True)
class Pool:
    code: str
    name: str = ""


@dataclass(frozen=True)
class Flow:
    """One ledger row; ``giver``/``receiver`` are a unit code, a pool code or ``OUTSIDE``."""

    row: int
    date: dt.date
    giver: str
    receiver: str
    value: float
    category: str = ""
    quantity: float | None = None
    measure: str = ""
    note: str = ""


@dataclass(frozen=True)
class EpisodeRow:
    row: int
    a: str
    b: str
    start: dt.date
    end: dt.date | None
    dimension: str = ""
    joint_body: bool = False
    source: str = ""


@dataclass(frozen=True)
class IndicatorDef:
    name: str
    benefit: bool
    weight: float | None = None
    subsystem: str = ""


@dataclass
class WorkbookData:
    """A checked workbook."""

    units: list[Unit]
    pools: list[Pool]
    flows: list[Flow]
    episodes: list[EpisodeRow]
    #: unit code -> [(year, value)] in year order
    series: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    indicator_defs: list[IndicatorDef] = field(default_factory=list)
    #: subjects (unit codes or periods) and their indicator values (rows = subjects)
    indicator_subjects: list[str] = field(default_factory=list)
    indicator_values: list[list[float]] = field(default_factory=list)
    #: coalition (frozenset of unit codes) -> value
    coalitions: dict[frozenset[str], float] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    source_name: str = ""

    def unit(self, code: str) -> Unit:
        return next(u for u in self.units if u.code == code)

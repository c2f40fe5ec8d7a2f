"""The parties of an analysis workbook: its units (单位) and pools (资金池) with their codes.

Every other sheet names parties by these codes; :class:`Parties` answers what a code names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongsheng.workbook import schema
from gongsheng.workbook.model import OUTSIDE, Pool, Unit
from gongsheng.workbook.reading.sheets import SheetReader

_OUTSIDE = {schema.fold(w) for w in schema.OUTSIDE_WORDS}


@dataclass
class Parties:
    """The codes read so far, each with the row it stands in."""

    units: list[Unit] = field(default_factory=list)
    pools: list[Pool] = field(default_factory=list)
    unit_rows: dict[str, int] = field(default_factory=dict)
    pool_rows: dict[str, int] = field(default_factory=dict)

    @property
    def unit_codes(self) -> set[str]:
        return set(self.unit_rows)

    def ref(self, x: str) -> str | None:
        """The unit or pool code ``x``, :data:`OUTSIDE` for 外部/outside, or None."""
        if x in self.unit_rows or x in self.pool_rows:
            return x
        if schema.fold(x) in _OUTSIDE:
            return OUTSIDE
        return None


def reserved(code: str) -> bool:
    """Whether ``code`` is one of the words for outside the consortium (外部/outside)."""
    return schema.fold(code) in _OUTSIDE


def read_units(rd: SheetReader | None, parties: Parties) -> None:
    if rd is None:
        return
    codes = parties.unit_rows
    for k, v, failed, _ in rd.rows():
        code = v["code"]
        if code:
            if code in codes:
                rd.twice(k, "code", f"code {code}", codes[code])
                continue
            if reserved(code):
                rd.bad(k, rd.name_of("code"), f"{code!r} is reserved for outside the consortium")
                continue
            codes[code] = k
        if not failed and code:
            parties.units.append(Unit(code, v["name"], v["group"], bool(v["lead"])))


def read_pools(rd: SheetReader | None, parties: Parties) -> None:
    if rd is None:
        return
    pool_codes = parties.pool_rows
    for k, v, _failed, _ in rd.rows():
        code = v["code"]
        if not code:
            continue
        if code in parties.unit_rows:
            rd.bad(k, rd.name_of("code"), f"code {code} is already a unit code")
        elif code in pool_codes:
            rd.twice(k, "code", f"code {code}", pool_codes[code])
        elif reserved(code):
            rd.bad(k, rd.name_of("code"), f"{code!r} is reserved for outside the consortium")
        else:
            pool_codes[code] = k
            parties.pools.append(Pool(code, v["name"] or ""))

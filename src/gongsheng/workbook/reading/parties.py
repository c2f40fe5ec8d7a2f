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


def _claim(
    rd: SheetReader, row: int, code: str, rows: dict[str, int], units: dict[str, int]
) -> bool:
    """Take ``code`` for ``row`` in ``rows`` (the unit or the pool codes) unless it is taken."""
    if rows is not units and code in units:
        rd.bad(row, rd.name_of("code"), f"code {code} is already a unit code")
    elif code in rows:
        rd.twice(row, "code", f"code {code}", rows[code])
    elif reserved(code):
        rd.bad(row, rd.name_of("code"), f"{code!r} is reserved for outside the consortium")
    else:
        rows[code] = row
        return True
    return False


def read_units(rd: SheetReader | None, parties: Parties) -> None:
    if rd is None:
        return
    for k, v, failed, _ in rd.rows():
        code = v["code"]
        if code and not _claim(rd, k, code, parties.unit_rows, parties.unit_rows):
            continue
        if not failed and code:
            parties.units.append(Unit(code, v["name"], v["group"], bool(v["lead"])))


def read_pools(rd: SheetReader | None, parties: Parties) -> None:
    if rd is None:
        return
    for k, v, _failed, _ in rd.rows():
        code = v["code"]
        if code and _claim(rd, k, code, parties.pool_rows, parties.unit_rows):
            parties.pools.append(Pool(code, v["name"] or ""))

"""The coalitions sheet (联盟收益) of an analysis workbook: what each set of units earns together.

The Shapley value needs every one of the 2^n − 1 coalitions of its players, so a workbook
gives all of them for at most :data:`MAX_COALITION_PLAYERS` units.
"""

from __future__ import annotations

import re
from itertools import combinations

from gongsheng.workbook.reading.sheets import SheetReader

MAX_COALITION_PLAYERS = 12


def read_coalitions(rd: SheetReader | None, unit_codes: set[str]) -> dict[frozenset[str], float]:
    coalitions: dict[frozenset[str], float] = {}
    if rd is None:
        return coalitions
    rows_of: dict[frozenset[str], int] = {}
    for k, v, failed, _ in rd.rows():
        if v["members"] is None:
            continue
        members = [m.strip() for m in re.split(r"[、,，+;；\s]+", v["members"]) if m.strip()]
        unknown = [m for m in members if m not in unit_codes]
        if unknown:
            rd.bad(k, rd.name_of("members"), f"not unit codes: {', '.join(unknown)}")
            continue
        coalition = frozenset(members)
        if len(coalition) < len(members):
            rd.bad(k, rd.name_of("members"), "a unit is listed twice")
            continue
        if coalition in rows_of:
            rd.twice(k, "members", "coalition", rows_of[coalition])
            continue
        rows_of[coalition] = k
        if not failed:
            coalitions[coalition] = v["value"]
    players = sorted(set().union(*rows_of)) if rows_of else []
    if len(players) > MAX_COALITION_PLAYERS:
        rd.bad(
            None,
            None,
            f"{len(players)} players; at most {MAX_COALITION_PLAYERS} "
            "(every one of the 2^n − 1 coalitions must be given)",
        )
    elif rows_of:
        missing = [
            "、".join(c)
            for n in range(1, len(players) + 1)
            for c in combinations(players, n)
            if frozenset(c) not in rows_of
        ]
        if missing:
            shown = "; ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            rd.bad(
                None, None, f"{len(missing)} coalition(s) of {', '.join(players)} missing: {shown}"
            )
    return coalitions

"""What happened between the parties: ledger flows (台账), cooperation episodes, yearly series.

Each reader checks its rows against the codes of :class:`~.parties.Parties` and returns the
rows that passed; the problems go to the sheet's reader.
"""

from __future__ import annotations

from gongsheng.workbook.model import OUTSIDE, EpisodeRow, Flow
from gongsheng.workbook.reading.parties import Parties
from gongsheng.workbook.reading.sheets import SheetReader


def read_flows(rd: SheetReader | None, parties: Parties) -> list[Flow]:
    flows: list[Flow] = []
    if rd is None:
        return flows
    for k, v, failed, _ in rd.rows():
        ends = {}
        for key in ("giver", "receiver"):
            if v[key] is None:
                continue
            r = parties.ref(v[key])
            if r is None:
                rd.bad(
                    k,
                    rd.name_of(key),
                    f"{v[key]!r} is not a unit code, a pool code or 外部/outside",
                )
                failed.add(key)
            ends[key] = r
        g, r = ends.get("giver"), ends.get("receiver")
        if g is not None and r is not None:
            if g == r:
                reason = "both sides outside" if g == OUTSIDE else f"gives to itself ({g})"
                rd.bad(k, rd.name_of("receiver"), reason)
                failed.add("receiver")
            elif g in parties.pool_rows and r in parties.pool_rows:
                rd.bad(
                    k,
                    rd.name_of("receiver"),
                    f"a pool cannot give to a pool ({g} → {r}); give to units",
                )
                failed.add("receiver")
        if not failed and g is not None and r is not None:
            flows.append(
                Flow(
                    k,
                    v["date"],
                    g,
                    r,
                    v["value"],
                    v["category"] or "",
                    v["quantity"],
                    v["measure"] or "",
                    v["note"] or "",
                )
            )
    if rd.ok and not rd.body:
        rd.bad(None, None, "the ledger has no rows")
    return flows


def read_episodes(rd: SheetReader | None, unit_codes: set[str]) -> list[EpisodeRow]:
    episodes: list[EpisodeRow] = []
    if rd is None:
        return episodes
    for k, v, failed, _ in rd.rows():
        for key in ("a", "b"):
            if v[key] is not None and v[key] not in unit_codes:
                rd.bad(k, rd.name_of(key), f"{v[key]!r} is not a unit code")
                failed.add(key)
        if v["a"] is not None and v["a"] == v["b"]:
            rd.bad(k, rd.name_of("b"), "a unit cannot cooperate with itself")
            failed.add("b")
        if v["start"] and v["end"] and v["end"] < v["start"]:
            rd.bad(k, rd.name_of("end"), f"ends before it starts ({v['start']})")
            failed.add("end")
        if not failed:
            episodes.append(
                EpisodeRow(
                    k,
                    v["a"],
                    v["b"],
                    v["start"],
                    v["end"],
                    v["dimension"] or "",
                    bool(v["joint_body"]),
                    v["source"] or "",
                )
            )
    return episodes


def read_series(rd: SheetReader | None, unit_codes: set[str]) -> dict[str, dict[int, float]]:
    series: dict[str, dict[int, float]] = {}
    if rd is None:
        return series
    seen: dict[tuple[str, str], int] = {}
    for k, v, failed, _ in rd.rows():
        u, p = v["unit"], v["period"]
        if u is not None and u not in unit_codes:
            rd.bad(k, rd.name_of("unit"), f"{u!r} is not a unit code")
            failed.add("unit")
        if u is not None and p is not None and (u, p) in seen:
            rd.twice(k, "period", f"period {p} of unit {u}", seen[(u, p)])
            continue
        if u is not None and p is not None:
            seen[(u, p)] = k
        if not failed:
            series.setdefault(u, {})[p] = v["value"]
    return series

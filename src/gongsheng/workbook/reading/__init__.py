"""Reading and checking an analysis workbook: every bad cell is collected, then refused.

:func:`read_workbook` returns a :class:`~gongsheng.workbook.model.WorkbookData` or raises
:class:`~gongsheng.workbook.model.WorkbookInvalid` listing every problem as (sheet, row, column,
reason), with the row numbers Excel shows and the column headers as written in the file.

The modules: ``cells`` (a parser for each column kind), ``sheets`` (the file opened, headers
matched), then one for each part of the workbook in the order it is read: ``parties`` (units,
pools), ``activity`` (ledger, episodes, series), ``indicators``, ``coalitions``, ``settings``.
"""

from __future__ import annotations

from pathlib import Path

from gongsheng.workbook import schema
from gongsheng.workbook.model import Problem, WorkbookData, WorkbookInvalid
from gongsheng.workbook.reading.activity import read_episodes, read_flows, read_series
from gongsheng.workbook.reading.coalitions import MAX_COALITION_PLAYERS, read_coalitions
from gongsheng.workbook.reading.indicators import read_indicator_defs, read_indicator_values
from gongsheng.workbook.reading.parties import Parties, read_pools, read_units
from gongsheng.workbook.reading.settings import read_settings
from gongsheng.workbook.reading.sheets import EXTENSIONS, SheetReader, find_sheet, load_sheets

__all__ = ["EXTENSIONS", "MAX_COALITION_PLAYERS", "load_sheets", "read_workbook"]


def read_workbook(source: str | Path | bytes, name: str = "") -> WorkbookData:
    """Read and check a workbook; raise :class:`WorkbookInvalid` with every problem found.

    ``source`` is a path or the bytes of an upload (then ``name`` is its file name).
    """
    sheets = load_sheets(source, name)
    problems: list[Problem] = []
    readers: dict[str, SheetReader | None] = {}
    for spec in schema.SHEETS:
        title = find_sheet(sheets, spec)
        if title is None:
            if spec.required:
                problems.append(
                    Problem(spec.zh, None, None, f"missing sheet {spec.zh} ({spec.en})")
                )
            readers[spec.key] = None
        else:
            readers[spec.key] = SheetReader(spec, title, sheets[title], problems)

    parties = Parties()
    read_units(readers["units"], parties)
    read_pools(readers["pools"], parties)
    unit_codes = parties.unit_codes
    flows = read_flows(readers["ledger"], parties)
    episodes = read_episodes(readers["episodes"], unit_codes)
    series = read_series(readers["series"], unit_codes)
    defs = read_indicator_defs(readers["indicator_defs"])
    defs, subjects, values = read_indicator_values(
        readers["indicators"], readers["indicator_defs"] is not None, defs
    )
    coalitions = read_coalitions(readers["coalitions"], unit_codes)
    settings = read_settings(readers["settings"])

    # across sheets
    rd = readers["units"]
    units = parties.units
    if rd is not None and rd.ok and len(units) < 2 and all(p.sheet != rd.title for p in problems):
        problems.append(Problem(rd.title, None, None, "needs at least 2 units"))
    if problems:
        raise WorkbookInvalid(problems)
    return WorkbookData(
        units=units,
        pools=parties.pools,
        flows=sorted(flows, key=lambda f: (f.date, f.row)),
        episodes=episodes,
        series={u: sorted(d.items()) for u, d in series.items()},
        indicator_defs=defs,
        indicator_subjects=subjects,
        indicator_values=values,
        coalitions=coalitions,
        settings=settings,
        source_name=name or (Path(source).name if not isinstance(source, bytes) else ""),
    )

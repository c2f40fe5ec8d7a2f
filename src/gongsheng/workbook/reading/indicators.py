"""The indicators of an analysis workbook: their definitions (指标定义) and their values (指标数据).

The values sheet is wide: a column for each defined indicator, a row for each subject. The
definitions come back in the order of the value sheet's columns.
"""

from __future__ import annotations

from gongsheng.workbook import schema
from gongsheng.workbook.model import IndicatorDef
from gongsheng.workbook.reading.cells import CellError, parse_number, text
from gongsheng.workbook.reading.sheets import SheetReader


def read_indicator_defs(rd: SheetReader | None) -> list[IndicatorDef]:
    defs: list[IndicatorDef] = []
    if rd is None:
        return defs
    names: dict[str, int] = {}
    weights: list[tuple[int, float | None]] = []
    for k, v, failed, _ in rd.rows():
        n = v["indicator"]
        if n is not None and schema.fold(n) in names:
            rd.twice(k, "indicator", f"indicator {n}", names[schema.fold(n)])
            continue
        if n is not None:
            names[schema.fold(n)] = k
        weights.append((k, v["weight"]))
        if not failed:
            defs.append(IndicatorDef(n, v["direction"], v["weight"], v["subsystem"] or ""))
    given = [w for _, w in weights if w is not None]
    if given and len(given) < len(weights):
        for k, w in weights:
            if w is None:
                rd.bad(k, rd.name_of("weight"), "give a weight for every indicator or for none")
    elif given and sum(given) <= 0:
        rd.bad(None, rd.name_of("weight"), "the weights add up to 0")
    return defs


def read_indicator_values(
    rd: SheetReader | None, defs_given: bool, defs: list[IndicatorDef]
) -> tuple[list[IndicatorDef], list[str], list[list[float]]]:
    """(the definitions in column order, the subjects, a row of values for each subject).

    ``defs_given``: whether the workbook has the definitions sheet at all.
    """
    subjects: list[str] = []
    values: list[list[float]] = []
    if rd is None or not rd.ok:
        return defs, subjects, values
    by_name = {schema.fold(d.name): d for d in defs}
    columns = []
    for i in rd.extra:
        h = rd.header[i]
        if defs_given and schema.fold(h) not in by_name:
            rd.bad(rd.header_row, h, f"indicator {h} is not in the sheet 指标定义")
        columns.append(i)
    if not defs_given:
        rd.bad(None, None, "needs the sheet 指标定义 (indicator definitions)")
        return defs, subjects, values
    def_order = [schema.fold(d.name) for d in defs]
    header = rd.header
    ordered = sorted(
        columns,
        key=lambda i: (
            def_order.index(schema.fold(header[i])) if schema.fold(header[i]) in by_name else 0
        ),
    )
    present = {schema.fold(rd.header[i]) for i in columns}
    missing = [d.name for d in defs if schema.fold(d.name) not in present]
    for m in missing:
        rd.bad(rd.header_row, None, f"no column for indicator {m}")
    seen_subjects: dict[str, int] = {}
    for k, v, failed, r in rd.rows():
        s = v["subject"]
        if s is not None and s in seen_subjects:
            rd.twice(k, "subject", s, seen_subjects[s])
            failed.add("subject")
        elif s is not None:
            seen_subjects[s] = k
        row_values = []
        for i in ordered:
            raw = rd.cell(r, i)
            if not text(raw):
                rd.bad(k, rd.header[i], "empty cell")
                failed.add(rd.header[i])
                continue
            try:
                row_values.append(parse_number(raw))
            except CellError as exc:
                rd.bad(k, rd.header[i], str(exc))
                failed.add(rd.header[i])
        if not failed:
            subjects.append(s)
            values.append(row_values)
    if defs:
        order = {schema.fold(rd.header[i]): n for n, i in enumerate(ordered)}
        defs = sorted(defs, key=lambda d: order.get(schema.fold(d.name), 0))
    return defs, subjects, values

"""``gongsheng evaluate FILE``: weights, scores and ranks of a multi-level indicator system.

FILE is a spreadsheet (.xlsx/.xls/.ods) with a data sheet (entities x leaf
indicators; first column the entity name) and an indicator sheet (code, name,
parent, direction, veto, threshold, weight, method), or a CSV file of data
with ``--tree INDICATORS.csv``. Optional pairwise sheet (group, row, col,
value) gives AHP judgements. Bad cells are all reported as "sheet X, row N,
column Y: reason" and the exit status is 2; nothing is written then.

The analysis workbook of ``gongsheng analyze`` is read as it is: its 指标数据 sheet is the
data, its 指标定义 sheet (指标, 方向, 权重, 子系统) the indicators, named by their 指标
text; each 子系统 becomes a group over its indicators, and a group whose indicators have no
权重 is weighted by entropy (the sheet's "留空则用熵权法"), the top level too unless
``--method`` says otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from gongsheng.analytics.evaluation import WEIGHT_METHODS, Indicator, IndicatorTree

from ._evalalloc_io import (
    SPREADSHEET_SUFFIXES,
    InputError,
    Sheet,
    cell,
    fold,
    label,
    number,
    pick_sheet,
    read_csv,
    read_workbook,
)
from ._evaluate_out import as_json, print_tables, write_xlsx
from ._format import tidy
from ._help import Parser, parser

EXPLAIN = """\
工作簿：数据表（每行一个评价对象，每列一个末级指标）和指标表（编码、名称、上级、方向、否决、
阈值、权重、方法）；或数据 .csv 加 --tree 指标.csv。分析工作簿（gongsheng analyze --example）
的 指标数据 / 指标定义 表可直接读取：子系统成为一组，未填权重的组用熵权法。
A workbook with a data sheet (entities x leaf indicators) and an indicator sheet, or a data
.csv with --tree; the analysis workbook's 指标数据 / 指标定义 sheets are read as they are
(each 子系统 a group, entropy weights where no 权重 is given). Every bad cell is listed as
"sheet, row, column: reason" and nothing is written (exit status 2)."""

#: the analysis workbook's indicator sheet (gongsheng analyze): empty weights mean entropy
WORKBOOK_TREE_SHEETS = ("指标定义", "indicator definitions", "indicator_defs")
DATA_SHEETS = ("data", "数据", "评价数据", "指标数据")
TREE_SHEETS = ("indicators", "指标", "指标体系", "tree", *WORKBOOK_TREE_SHEETS)
PAIRWISE_SHEETS = ("pairwise", "判断矩阵", "ahp")
COLUMNS = {
    "code": ("code", "编码", "代码", "指标编码", "指标代码"),
    "name": ("name", "名称", "指标名称", "指标"),
    "parent": ("parent", "上级", "上级指标", "父指标", "上级编码"),
    "direction": ("direction", "方向", "指标方向", "属性"),
    "veto": ("veto", "否决", "否定性", "否定性指标", "一票否决"),
    "threshold": ("threshold", "阈值", "门槛", "否决阈值"),
    "weight": ("weight", "权重", "给定权重"),
    "method": ("method", "赋权方法", "方法", "下级赋权方法"),
    "subsystem": ("subsystem", "子系统", "准则层", "一级指标"),
}
PAIR_COLUMNS = {
    "group": ("group", "组", "上级", "上级指标"),
    "row": ("row", "行", "指标i"),
    "col": ("col", "column", "列", "指标j"),
    "value": ("value", "值", "标度", "判断值"),
}
DIRECTIONS = {
    "benefit": "benefit", "正向": "benefit", "正": "benefit", "效益": "benefit",
    "效益型": "benefit", "+": "benefit", "max": "benefit",
    "cost": "cost", "负向": "cost", "负": "cost", "成本": "cost", "成本型": "cost", "-": "cost",
    "min": "cost",
}  # fmt: skip
YES_NO = {
    "yes": True, "y": True, "true": True, "1": True, "是": True, "√": True,
    "no": False, "n": False, "false": False, "0": False, "否": False,
}  # fmt: skip
METHODS = {
    **{m: m for m in WEIGHT_METHODS},
    "熵权": "entropy", "熵权法": "entropy", "熵值法": "entropy", "层次分析": "ahp",
    "层次分析法": "ahp", "等权": "equal", "平均": "equal", "给定": "given", "专家": "given",
}  # fmt: skip
ROOT_GROUPS = ("", "root", "top", "总目标", "顶层")


def build_parser() -> Parser:
    p = parser("evaluate", description=EXPLAIN)
    p.add_argument("file", type=Path, help="工作簿或数据 .csv · spreadsheet (.xlsx/.xls/.ods) or "
                   "data .csv")  # fmt: skip
    p.add_argument("--tree", type=Path, help="indicator sheet as .csv (with a .csv FILE)")
    p.add_argument("--pairwise", type=Path, help="AHP judgements as .csv (group,row,col,value)")
    p.add_argument("--data-sheet", help="name of the data sheet (default: 数据/data or the first)")
    p.add_argument("--tree-sheet", help="name of the indicator sheet (default: 指标/indicators)")
    p.add_argument("--method", choices=WEIGHT_METHODS, help="weighting of the top-level group")
    p.add_argument("--normalization", choices=("minmax", "none"), default="minmax")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--out", type=Path, help="also write the results to this .xlsx file")
    return p


def _read(args) -> tuple[Sheet, Sheet, Sheet | None]:
    suffix = args.file.suffix.lower()
    if not args.file.exists():
        raise InputError([f"文件 {args.file} 不存在 · file {args.file}: not found"])
    if suffix == ".csv":
        if args.tree is None:
            raise InputError(["--tree INDICATORS.csv is required with a .csv data file"])
        data = read_csv(args.file, "data")
        tree = read_csv(args.tree, "indicators")
        pairwise = read_csv(args.pairwise, "pairwise") if args.pairwise else None
        return data, tree, pairwise
    if suffix not in SPREADSHEET_SUFFIXES:
        raise InputError([f"file {args.file}: expected .xlsx, .xls, .ods or .csv"])
    sheets = read_workbook(args.file)
    data = pick_sheet(sheets, args.data_sheet, DATA_SHEETS, 0)
    tree = pick_sheet(sheets, args.tree_sheet, TREE_SHEETS, 1)
    if tree is None or tree is data:
        raise InputError([f"file {args.file}: no indicator sheet (指标/indicators)"])
    pairwise = pick_sheet(sheets, None, PAIRWISE_SHEETS, None)
    return data, tree, pairwise


def _indicators(sheet: Sheet) -> list[dict]:
    cols = {k: sheet.column(v, required=False) for k, v in COLUMNS.items()}
    if cols["code"] is None:  # the analysis workbook names its indicators by their text
        cols["code"] = cols["name"] if cols["name"] is not None else sheet.column(COLUMNS["code"])
    head = {k: (sheet.header[j] if j is not None else k) for k, j in cols.items()}
    out, seen = [], set()
    for r, row in sheet.rows:
        code = cell(row, cols["code"])
        if code is None:
            sheet.bad(r, head["code"], "empty code", zh="编码为空")
            continue
        code = label(code)
        if code in seen:
            sheet.bad(r, head["code"], f"duplicate code {code!r}", zh=f"编码 {code!r} 重复")
        seen.add(code)
        item = {"code": code, "row": r, "name": label(cell(row, cols["name"]) or "")}
        item["subsystem"] = cell(row, cols["subsystem"])
        parent = cell(row, cols["parent"])
        item["parent"] = None if parent is None else label(parent)
        d = cell(row, cols["direction"])
        item["direction"] = "benefit"
        if d is not None:
            if str(d).casefold() not in DIRECTIONS:
                sheet.bad(
                    r,
                    head["direction"],
                    f"{d!r} is not a direction (正向/负向, benefit/cost)",
                    zh=f"{d!r} 不是指标方向（正向/负向）",
                )
            else:
                item["direction"] = DIRECTIONS[str(d).casefold()]
        v = cell(row, cols["veto"])
        item["veto"] = False
        if v is not None:
            key = label(v).casefold()
            if key not in YES_NO:
                sheet.bad(r, head["veto"], f"{v!r} is not yes/no (是/否)", zh=f"{v!r} 应填 是/否")
            else:
                item["veto"] = YES_NO[key]
        item["threshold"] = number(
            sheet, r, head["threshold"], cell(row, cols["threshold"]), required=item["veto"]
        )
        w = number(sheet, r, head["weight"], cell(row, cols["weight"]), required=False)
        if w is not None and w < 0:
            sheet.bad(r, head["weight"], f"weight {w} is negative", zh=f"权重 {w} 为负")
        item["weight"] = w
        m = cell(row, cols["method"])
        item["method"] = None
        if m is not None:
            key = str(m).casefold()
            if key not in METHODS:
                sheet.bad(r, head["method"], f"{m!r} is not one of {', '.join(WEIGHT_METHODS)}",
                          zh=f"{m!r} 不是可用的赋权方法")  # fmt: skip
            else:
                item["method"] = METHODS[key]
        out.append(item)
    out += _subsystems(sheet, head, out, seen)
    for item in out:
        if item["parent"] is not None and item["parent"] not in seen:
            sheet.bad(item["row"], head["parent"], f"unknown parent {item['parent']!r}",
                      zh=f"上级指标 {item['parent']!r} 不存在")  # fmt: skip
    return out


def _subsystems(sheet: Sheet, head: dict, items: list[dict], seen: set) -> list[dict]:
    """A group per 子系统 (subsystem) over its indicators, whose weight is the sum of theirs.

    In the analysis workbook's 指标定义 sheet an empty weight means entropy weights: such a
    group, and the top level, are then weighted by entropy (given weights stay given)."""
    entropy = fold(sheet.name) in {fold(n) for n in WORKBOOK_TREE_SHEETS}
    groups: dict[str, list[dict]] = {}
    for item in items:
        if item["subsystem"] is None:
            continue
        sub, r = label(item["subsystem"]), item["row"]
        if item["parent"] is not None:
            sheet.bad(r, head["subsystem"], "a subsystem and a parent at once",
                      zh="不能同时填子系统和上级指标")  # fmt: skip
            continue
        if sub in seen and sub not in groups:
            sheet.bad(r, head["subsystem"], f"subsystem {sub!r} is also an indicator code",
                      zh=f"子系统 {sub!r} 与某个指标同名")  # fmt: skip
            continue
        item["parent"] = sub
        groups.setdefault(sub, []).append(item)
    given = all(it["weight"] is not None for it in items)
    out = []
    for sub, members in groups.items():
        weights = [it["weight"] for it in members]
        out.append({
            "code": sub, "row": members[0]["row"], "name": sub, "parent": None,
            "direction": "benefit", "veto": False, "threshold": None,
            "weight": sum(weights) if given else None,
            "method": "entropy" if entropy and not given else None,
        })  # fmt: skip
        seen.add(sub)
    if entropy:  # empty weights of top-level indicators mean entropy, like the workbook's
        for item in items:
            item["top_entropy"] = not given
    return out


def _pairwise(sheet: Sheet | None, items: list[dict]) -> dict:
    """AHP matrices by group (None = top level) from long-format judgements."""
    if sheet is None:
        return {}
    cols = {k: sheet.column(v) for k, v in PAIR_COLUMNS.items()}
    if any(j is None for j in cols.values()):
        return {}
    head = {k: sheet.header[j] for k, j in cols.items()}
    children: dict = {}
    for item in items:
        children.setdefault(item["parent"], []).append(item["code"])
    matrices: dict = {}
    for r, row in sheet.rows:
        g = cell(row, cols["group"])
        group = None if g is None or label(g).casefold() in ROOT_GROUPS else label(g)
        if group not in children:
            sheet.bad(
                r, head["group"], f"{g!r} is not a parent indicator", zh=f"{g!r} 不是上级指标"
            )
            continue
        kids = children[group]
        names = [
            label(cell(row, cols[k])) if cell(row, cols[k]) is not None else ""
            for k in ("row", "col")
        ]
        idx = []
        for name, k in zip(names, ("row", "col")):
            if name not in kids:
                sheet.bad(r, head[k], f"{name!r} is not a child of {group or 'the top level'}",
                          zh=f"{name!r} 不是 {group or '顶层'} 的下级指标")  # fmt: skip
            else:
                idx.append(kids.index(name))
        value = number(sheet, r, head["value"], cell(row, cols["value"]))
        if value is not None and value <= 0:
            sheet.bad(
                r,
                head["value"],
                f"judgement {value} must be positive",
                zh=f"判断值 {value} 必须为正",
            )
            continue
        if len(idx) == 2 and value is not None:
            A = matrices.setdefault(group, np.full((len(kids), len(kids)), np.nan))
            np.fill_diagonal(A, 1.0)
            A[idx[0], idx[1]] = value
            if np.isnan(A[idx[1], idx[0]]):
                A[idx[1], idx[0]] = 1.0 / value
    for group, A in matrices.items():
        if np.isnan(A).any():
            i, j = np.argwhere(np.isnan(A))[0]
            kids = children[group]
            sheet.bad(
                "-",
                head["value"],
                f"group {group or 'top'}: no judgement for {kids[i]} vs {kids[j]}",
            )
    return matrices


def _data(sheet: Sheet, leaves: tuple[str, ...], names: dict[str, str]):
    by_label = {}
    for code in leaves:
        by_label[code.casefold()] = code
        if names.get(code):
            by_label[names[code].casefold()] = code
    positions = {}
    for j, h in enumerate(sheet.header[1:], start=1):
        if not h:
            continue
        code = by_label.get(h.casefold())
        if code is None:
            sheet.bad(1, h, "not a leaf indicator code or name of the indicator sheet",
                      zh="不是指标表中末级指标的编码或名称")  # fmt: skip
        else:
            positions[code] = j
    for code in leaves:
        if code and code not in positions:
            sheet.bad(1, code, "missing column for this leaf indicator", zh="缺少这个末级指标的列")
    X = np.full((len(sheet.rows), len(leaves)), np.nan)
    entities = []
    for i, (r, row) in enumerate(sheet.rows):
        name = cell(row, 0)
        if name is None:
            sheet.bad(r, sheet.header[0] or "A", "empty entity name", zh="评价对象名称为空")
        entities.append("" if name is None else label(name))
        for k, code in enumerate(leaves):
            if code in positions:
                x = number(sheet, r, sheet.header[positions[code]], cell(row, positions[code]))
                if x is not None:
                    X[i, k] = x
    if not sheet.rows:
        sheet.bad(2, "-", "no entities", zh="没有评价对象")
    return X, entities


def evaluate_file(args) -> tuple[IndicatorTree, object, list[str]]:
    data, tree_sheet, pair_sheet = _read(args)
    items = _indicators(tree_sheet)
    matrices = _pairwise(pair_sheet, items)
    problems = tree_sheet.problems + (pair_sheet.problems if pair_sheet else [])
    if problems:  # still report the data sheet's bad cells, so that all come at once
        _data(data, tuple(data.header[1:]), {})
        raise InputError(problems + data.problems)
    try:
        tree = IndicatorTree(
            [
                Indicator(
                    code=it["code"],
                    name=it["name"],
                    parent=it["parent"],
                    direction=it["direction"],
                    veto=it["veto"],
                    threshold=it["threshold"],
                    weight=it["weight"],
                    method=it["method"],
                    pairwise=matrices.get(it["code"]),
                )
                for it in items
            ],
            method=args.method
            or ("entropy" if any(it.get("top_entropy") for it in items) else None),
            pairwise=matrices.get(None),
        )
    except ValueError as exc:
        raise InputError([f"sheet {tree_sheet.name}: {exc}"]) from None
    names = {it["code"]: it["name"] for it in items}
    X, entities = _data(data, tree.leaf_codes, names)
    if data.problems:
        raise InputError(data.problems)
    try:
        result = tree.evaluate(X, normalization=args.normalization, entities=entities)
    except ValueError as exc:
        raise InputError([f"sheet {data.name}: {exc}"]) from None
    return tree, result, [names[c] for c in tree.codes]


def main(argv: list[str]) -> int:
    """Run ``gongsheng evaluate``; returns the exit status (2 on bad input)."""
    args = build_parser().parse_args(argv)
    try:
        tree, result, names = evaluate_file(args)
    except InputError as exc:
        import sys

        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(tidy(as_json(tree, result, names)), ensure_ascii=False, indent=2))
    else:
        print_tables(tree, result, names)
    if args.out is not None:
        write_xlsx(args.out, tree, result, names)
    return 0

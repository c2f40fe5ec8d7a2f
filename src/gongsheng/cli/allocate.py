"""``gongsheng allocate FILE``: Shapley, modified Shapley, Nash bargaining and the core.

FILE is a spreadsheet (.xlsx/.xls/.ods) whose coalition sheet has one column
naming each coalition's members ("A+B", "A,B", "A、B") and one with its value;
every non-empty coalition must be defined. An optional factor sheet (player,
then one column per factor such as risk or input; an optional row "weight"/
"权重" gives the factor weights) yields the modified Shapley value, and an
optional player sheet (player, disagreement, power) the Nash bargaining
solution (default: disagreement = the player's value alone, equal powers).
A .csv FILE is the coalition table, with ``--factors`` and ``--players`` CSVs.
Bad cells are all reported as "sheet X, row N, column Y: reason", exit status 2.

The analysis workbook of ``gongsheng analyze`` is read as it is: its 联盟价值 sheet (联盟,
价值（元）) is the coalition table; a header's trailing unit in brackets is ignored.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

from gongsheng.analytics.allocation import (
    MAX_EXACT_PLAYERS,
    core_check,
    modified_shapley,
    nash_bargaining,
    shapley,
)
from gongsheng.workbook.texts import both

from ._evalalloc_io import (
    SPREADSHEET_SUFFIXES,
    InputError,
    Sheet,
    cell,
    label,
    number,
    pick_sheet,
    read_csv,
    read_workbook,
)
from ._format import num, tidy
from ._help import Parser, parser

EXPLAIN = """\
联盟表：一列写联盟成员（“A+B”“A、B”），一列写联盟价值，每个非空联盟都要有；可选因素表
（修正 Shapley）和参与方表（Nash 谈判的破裂点、议价能力）。分析工作簿的 联盟价值 表可直接读取。
The coalition sheet names each coalition's members and its value (every non-empty coalition);
optional factor and player sheets give the modified Shapley value and Nash bargaining. The
analysis workbook's 联盟价值 sheet is read as it is."""

COALITION_SHEETS = ("coalitions", "联盟", "联盟收益", "特征函数", "联盟价值", "coalition values")
FACTOR_SHEETS = ("factors", "因素", "修正因素", "修正因子")
PLAYER_SHEETS = ("players", "参与方", "成员", "谈判")
COLUMNS = {
    "coalition": ("coalition", "members", "联盟", "成员", "联盟成员"),
    "value": ("value", "值", "收益", "联盟收益", "价值"),
    "player": ("player", "参与方", "成员", "主体", "单位"),
    "disagreement": ("disagreement", "谈判破裂点", "破裂点", "保留收益"),
    "power": ("power", "议价能力", "谈判能力", "权力"),
}
SEPARATORS = re.compile(r"\s*[+,，、;；&]\s*")
WEIGHT_ROW = ("weight", "weights", "权重", "因素权重")


def build_parser() -> Parser:
    p = parser("allocate", description=EXPLAIN)
    p.add_argument("file", type=Path, help="工作簿或联盟 .csv · spreadsheet (.xlsx/.xls/.ods) "
                   "or coalitions .csv")  # fmt: skip
    p.add_argument("--factors", type=Path, help="factor table as .csv (with a .csv FILE)")
    p.add_argument("--players", type=Path, help="player table as .csv (disagreement, power)")
    p.add_argument("--coalition-sheet", help="name of the coalition sheet (default: 联盟/first)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--out", type=Path, help="also write the results to this .xlsx file")
    return p


def _read(args) -> tuple[Sheet, Sheet | None, Sheet | None]:
    if not args.file.exists():
        raise InputError([f"文件 {args.file} 不存在 · file {args.file}: not found"])
    suffix = args.file.suffix.lower()
    if suffix == ".csv":
        coalitions = read_csv(args.file, "coalitions")
        factors = read_csv(args.factors, "factors") if args.factors else None
        players = read_csv(args.players, "players") if args.players else None
        return coalitions, factors, players
    if suffix not in SPREADSHEET_SUFFIXES:
        raise InputError(
            [
                f"文件 {args.file} 应为 .xlsx、.xls、.ods 或 .csv · "
                f"file {args.file}: expected .xlsx, .xls, .ods or .csv"
            ]
        )
    sheets = read_workbook(args.file)
    coalitions = pick_sheet(sheets, args.coalition_sheet, COALITION_SHEETS, 0)
    factors = pick_sheet(sheets, None, FACTOR_SHEETS, None)
    players = pick_sheet(sheets, None, PLAYER_SHEETS, None)
    return coalitions, factors, players


def _game(sheet: Sheet) -> tuple[list[str], np.ndarray]:
    jc = sheet.column(COLUMNS["coalition"])
    jv = sheet.column(COLUMNS["value"])
    if jc is None or jv is None:
        raise InputError(sheet.problems)
    hc, hv = sheet.header[jc], sheet.header[jv]
    players: list[str] = []
    entries = []
    for r, row in sheet.rows:
        text = cell(row, jc)
        value = number(sheet, r, hv, cell(row, jv))
        if text is None:
            sheet.bad(r, hc, "empty coalition", zh="联盟为空")
            continue
        names = [n for n in SEPARATORS.split(label(text).strip()) if n]
        if not names or len(set(names)) != len(names):
            sheet.bad(r, hc, f"{text!r} must name distinct members, e.g. A+B",
                      zh=f"{text!r} 应列出互不相同的成员，如 A+B")  # fmt: skip
            continue
        for name in names:
            if name not in players:
                players.append(name)
        entries.append((r, names, value))
    n = len(players)
    if n > MAX_EXACT_PLAYERS:
        sheet.bad("-", hc, f"{n} players; exact Shapley allows at most {MAX_EXACT_PLAYERS}",
                  zh=f"{n} 个参与方；精确 Shapley 值最多 {MAX_EXACT_PLAYERS} 个")  # fmt: skip
        raise InputError(sheet.problems)
    v = np.full(1 << n, np.nan)
    v[0] = 0.0
    seen: dict[int, int] = {}
    for r, names, value in entries:
        mask = sum(1 << players.index(name) for name in names)
        if mask in seen:
            sheet.bad(r, hc, f"coalition defined twice (also row {seen[mask]})",
                      zh=f"联盟重复（第 {seen[mask]} 行也有）")  # fmt: skip
        seen[mask] = r
        if value is not None:
            v[mask] = value
    missing = [m for m in range(1, 1 << n) if m not in seen]
    for m in missing[:10]:
        who = "+".join(p for i, p in enumerate(players) if m >> i & 1)
        sheet.bad("-", hc, f"coalition {who} is missing (every coalition must be defined)",
                  zh=f"缺少联盟 {who}（每个联盟都要给出价值）")  # fmt: skip
    if len(missing) > 10:
        sheet.bad("-", hc, f"... and {len(missing) - 10} more coalitions missing",
                  zh=f"……还缺 {len(missing) - 10} 个联盟")  # fmt: skip
    return players, v


def _player_rows(sheet: Sheet, players: list[str]) -> dict[str, tuple[int, list]]:
    jp = sheet.column(COLUMNS["player"])
    rows: dict[str, tuple[int, list]] = {}
    if jp is None:
        return rows
    for r, row in sheet.rows:
        name = cell(row, jp)
        key = None if name is None else label(name)
        if key is not None and key.casefold() in WEIGHT_ROW:
            rows["\0weight"] = (r, row)
        elif key not in players:
            sheet.bad(r, sheet.header[jp], f"{name!r} is not a player of the coalition table",
                      zh=f"{name!r} 不是联盟表中的参与方")  # fmt: skip
        elif key in rows:
            sheet.bad(
                r, sheet.header[jp], f"player {key} appears twice", zh=f"参与方 {key} 出现两次"
            )
        else:
            rows[key] = (r, row)
    for p in players:
        if p not in rows:
            sheet.bad("-", sheet.header[jp], f"player {p} is missing", zh=f"缺少参与方 {p}")
    return rows


def _factors(sheet: Sheet | None, players: list[str]):
    if sheet is None:
        return None, None, []
    rows = _player_rows(sheet, players)
    jp = sheet.column(COLUMNS["player"], required=False)
    cols = [j for j, h in enumerate(sheet.header) if j != jp and h]
    names = [sheet.header[j] for j in cols]
    F = np.full((len(players), len(cols)), np.nan)
    for i, p in enumerate(players):
        if p in rows:
            r, row = rows[p]
            for k, j in enumerate(cols):
                x = number(sheet, r, sheet.header[j], cell(row, j))
                if x is not None and x < 0:
                    sheet.bad(r, sheet.header[j], f"factor {x} is negative", zh=f"因素值 {x} 为负")
                F[i, k] = np.nan if x is None else x
    weights = None
    if "\0weight" in rows:
        r, row = rows["\0weight"]
        weights = np.array([number(sheet, r, sheet.header[j], cell(row, j)) or 0.0 for j in cols])
    if not sheet.problems:
        for k, name in enumerate(names):
            if not F[:, k].sum() > 0:
                sheet.bad("-", name, "the factor sums to 0 over the players",
                          zh="该因素在各参与方上的和为 0")  # fmt: skip
    return F, weights, names


def _players(sheet: Sheet | None, players: list[str], standalone: np.ndarray):
    d, beta = standalone.copy(), np.ones(len(players))
    if sheet is None:
        return d, beta
    rows = _player_rows(sheet, players)
    jd = sheet.column(COLUMNS["disagreement"], required=False)
    jb = sheet.column(COLUMNS["power"], required=False)
    for i, p in enumerate(players):
        if p not in rows:
            continue
        r, row = rows[p]
        if jd is not None:
            x = number(sheet, r, sheet.header[jd], cell(row, jd), required=False)
            d[i] = d[i] if x is None else x
        if jb is not None:
            x = number(sheet, r, sheet.header[jb], cell(row, jb), required=False)
            if x is not None and x <= 0:
                sheet.bad(
                    r, sheet.header[jb], f"power {x} must be positive", zh=f"议价能力 {x} 必须为正"
                )
            beta[i] = beta[i] if x is None or x <= 0 else x
    return d, beta


def allocate_file(args) -> dict:
    coalition_sheet, factor_sheet, player_sheet = _read(args)
    players, v = _game(coalition_sheet)
    n = len(players)
    standalone = v[1 << np.arange(n)]
    F, lam, factor_names = _factors(factor_sheet, players)
    d, beta = _players(player_sheet, players, standalone)
    problems = (
        coalition_sheet.problems
        + (factor_sheet.problems if factor_sheet else [])
        + (player_sheet.problems if player_sheet else [])
    )
    if problems:  # every sheet checked first, so that all bad cells come at once
        raise InputError(problems)
    phi = shapley(v)
    total = float(v[-1])
    result = {
        "players": players,
        "grand_coalition_value": total,
        "standalone": standalone.tolist(),
        "shapley": phi.tolist(),
    }
    if F is not None:
        try:
            result["modified_shapley"] = modified_shapley(
                phi, total, F, factor_weights=lam
            ).tolist()
        except ValueError as exc:
            raise InputError([f"工作表 · sheet {factor_sheet.name}: {both(exc.args[0])}"]) from None
        result["factors"] = factor_names
    try:
        result["nash"] = nash_bargaining(total, d, powers=beta).tolist()
    except ValueError as exc:
        raise InputError([f"纳什谈判 · Nash bargaining: {both(exc.args[0])}"]) from None
    result["disagreement"] = d.tolist()
    core = core_check(v, phi, atol=1e-9 * max(1.0, float(np.abs(v).max())))
    result["core"] = {
        "shapley_in_core": core.in_core,
        "max_excess": core.max_excess if np.isfinite(core.max_excess) else None,
        "most_violated": [players[i] for i in sorted(core.most_violated)],
    }
    return result


def _print(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    total = num(result["grand_coalition_value"], ",.10g")
    table = Table(title=f"收益分配 · allocation（大联盟价值 v(N) = {total}）")
    cols = ["参与方 player", "单独 alone", "Shapley"]
    if "modified_shapley" in result:
        cols.append("修正 Shapley · modified")
    cols += ["Nash 谈判", "破裂点 disagreement"]
    for c in cols:
        table.add_column(c)
    for i, p in enumerate(result["players"]):
        row = [p, num(result["standalone"][i], ".4f"), num(result["shapley"][i], ".4f")]
        if "modified_shapley" in result:
            row.append(num(result["modified_shapley"][i], ".4f"))
        row += [num(result["nash"][i], ".4f"), num(result["disagreement"][i], ".4f")]
        table.add_row(*row)
    console = Console(soft_wrap=True)  # a sentence stays on one line, whatever the terminal
    console.print(table)
    core = result["core"]
    if core["max_excess"] is None:
        console.print("只有一个参与方：核就是全部价值 · one player: the core is the whole value.")
    elif core["shapley_in_core"]:
        console.print(
            "Shapley 值在核中（没有联盟能靠退出获益）· "
            "the Shapley value is in the core (no coalition gains by leaving)."
        )
    else:
        console.print(
            f"Shapley 值不在核中：联盟 {'+'.join(core['most_violated'])} 单独合作可多得 "
            f"{num(core['max_excess'])} · the Shapley value is NOT in the core: coalition "
            f"{'+'.join(core['most_violated'])} could gain {num(core['max_excess'])} on its own."
        )


def _write_xlsx(path: Path, result: dict) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "allocation"
    keys = [
        k
        for k in ("standalone", "shapley", "modified_shapley", "nash", "disagreement")
        if k in result
    ]
    ws.append(["player", *keys])
    for i, p in enumerate(result["players"]):
        ws.append([p, *(result[k][i] for k in keys)])
    ws = wb.create_sheet("core")
    core = result["core"]
    ws.append(["shapley_in_core", core["shapley_in_core"]])
    ws.append(["max_excess", core["max_excess"]])
    ws.append(["most_violated", "+".join(core["most_violated"])])
    wb.save(path)


def main(argv: list[str]) -> int:
    """Run ``gongsheng allocate``; returns the exit status (2 on bad input)."""
    args = build_parser().parse_args(argv)
    try:
        result = allocate_file(args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(tidy(result), ensure_ascii=False, indent=2))
    else:
        _print(result)
    if args.out is not None:
        _write_xlsx(args.out, result)
    return 0

"""``gongsheng symbiosis FILE``: symbiosis degrees, shares, modes and fitted dynamics of units.

The file (``.xlsx``, ``.xls``, ``.ods`` or ``.csv``) holds quality-parameter series (质参量) of
symbiotic units, either

* wide: a period column (期间/年份/period/year ...) and one column per unit, or
* long: columns unit/单元, period/期间 and value/质参量.

Bad cells are all collected and reported as ``sheet X, row N, column Y: reason``; the command
then exits with status 2 and writes nothing. Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gongsheng.analytics.dynamics import fit_logistic
from gongsheng.analytics.symbiosis import (
    DEGREE_METHODS,
    classify_behaviour,
    gaining_side,
    symbiosis_degree,
    symbiosis_share,
)
from gongsheng.cli._format import num, tidy
from gongsheng.cli._help import parser
from gongsheng.workbook.texts import both

PERIOD_HEADERS = {
    "period", "year", "time", "t", "date", "时期", "期间", "年份", "年度", "年", "时间", "日期",
    "期", "周期",
}  # fmt: skip
UNIT_HEADERS = {"unit", "member", "name", "单元", "共生单元", "成员", "单位", "名称", "主体"}
VALUE_HEADERS = {
    "value", "z", "quality", "quality parameter", "quality_parameter", "质参量", "主质参量",
    "值", "数值", "取值",
}  # fmt: skip


class BadInput(Exception):
    """Raised with the list of every bad cell found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Series:
    periods: list[str]
    t: np.ndarray
    units: list[str]
    X: np.ndarray  # (T, n)


# ---------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------
def read_rows(path: Path, sheet: str | None) -> tuple[str, list[list]]:
    """Rows of the first (or named) sheet, as Python values."""
    if not path.exists():
        raise BadInput([f"文件 {path} 不存在 · {path}: file not found"])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return path.name, [list(r) for r in csv.reader(fh)]
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise BadInput([f"{path}: unsupported file type {suffix!r} (use xlsx, xls, ods or csv)"])
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    name = sheet or wb.sheet_names[0]
    if name not in wb.sheet_names:
        raise BadInput([f"{path}: no sheet {name!r}; sheets: {', '.join(wb.sheet_names)}"])
    return name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()[:10]
    return str(v).strip()


def _number(v) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    try:
        return float(str(v).strip().replace(",", ""))
    except ValueError:
        return None


def _period_key(label: str):
    x = _number(label)
    return (0, x, "") if x is not None else (1, 0.0, label)


def parse_series(sheet: str, rows: list[list]) -> Series:
    """Turn rows into aligned series; collect every bad cell before raising."""
    # keep the spreadsheet's row numbers (1-based) while skipping blank rows
    numbered = [(k, r) for k, r in enumerate(rows, start=1) if any(_text(c) for c in r)]
    if len(numbered) < 2:
        raise BadInput([f"sheet {sheet}: needs a header row and at least one data row"])
    header = [_text(c) for c in numbered[0][1]]
    body = numbered[1:]
    low = [h.lower() for h in header]
    problems: list[str] = []

    def bad(row, column, en: str, zh: str) -> None:
        problems.append(
            f"工作表 {sheet} 第 {row} 行 {column} 列：{zh} · sheet {sheet}, row {row}, "
            f"column {column}: {en}"
        )

    unit_col = next((i for i, h in enumerate(low) if h in UNIT_HEADERS), None)
    value_col = next((i for i, h in enumerate(low) if h in VALUE_HEADERS), None)
    period_col = next((i for i, h in enumerate(low) if h in PERIOD_HEADERS), 0)
    data: dict[str, dict[str, float]] = {}
    periods: list[str] = []

    def cell(r, i):
        return r[i] if i < len(r) else None

    def value(rownum, col, raw):
        x = _number(raw) if _text(raw) else None
        if not _text(raw):
            bad(rownum, header[col], "empty cell", "单元格为空")
        elif x is None:
            bad(rownum, header[col], f"not a number ({_text(raw)!r})", f"{_text(raw)!r} 不是数字")
        elif not math.isfinite(x) or x <= 0:
            bad(rownum, header[col], f"a quality parameter must be positive (got {_text(raw)})",
                f"质参量必须为正（填的是 {_text(raw)}）")  # fmt: skip
        else:
            return x
        return None

    if unit_col is not None and value_col is not None:
        if period_col in (unit_col, value_col):
            period_col = next(
                (i for i in range(len(header)) if i not in (unit_col, value_col)), None
            )
            if period_col is None:
                raise BadInput([f"sheet {sheet}, row {numbered[0][0]}: no period column"])
        seen: set[tuple[str, str]] = set()
        for k, r in body:
            u, p = _text(cell(r, unit_col)), _text(cell(r, period_col))
            if not u:
                bad(k, header[unit_col], "empty cell", "单元格为空")
            if not p:
                bad(k, header[period_col], "empty cell", "单元格为空")
            x = value(k, value_col, cell(r, value_col))
            if not (u and p):
                continue
            data.setdefault(u, {})
            if (u, p) in seen:
                bad(k, header[period_col], f"period {p} of unit {u} given twice",
                    f"单元 {u} 的期间 {p} 重复")  # fmt: skip
            elif x is not None:
                data[u][p] = x
            seen.add((u, p))
            if p not in periods:
                periods.append(p)
        units = list(data)
        for u in units:
            for p in periods:
                if (u, p) not in seen:
                    problems.append(
                        f"工作表 {sheet}：单元 {u} 缺少期间 {p} 的值 · "
                        f"sheet {sheet}: unit {u} has no value for period {p}"
                    )
    else:
        unit_cols = [i for i, h in enumerate(header) if i != period_col and h]
        for i, h in enumerate(header):
            if i != period_col and not h and any(_text(cell(r, i)) for _, r in body):
                bad(numbered[0][0], i + 1, "a unit column needs a name", "单元列需要列名")
        dup = {
            h for h in (header[i] for i in unit_cols) if [header[j] for j in unit_cols].count(h) > 1
        }
        for h in sorted(dup):
            bad(numbered[0][0], h, "unit name given twice", "单元名称重复")
        units = [header[i] for i in unit_cols]
        for u in units:
            data[u] = {}
        for k, r in body:
            p = _text(cell(r, period_col))
            if not p:
                bad(k, header[period_col], "empty cell", "单元格为空")
                continue
            if p in periods:
                bad(k, header[period_col], f"period {p} given twice", f"期间 {p} 重复")
                continue
            periods.append(p)
            for i in unit_cols:
                x = value(k, i, cell(r, i))
                if x is not None:
                    data[header[i]][p] = x
    if not problems and len(units) < 2:
        problems.append(
            f"工作表 {sheet}：至少需要 2 个单元，只有 {len(units)} 个 · "
            f"sheet {sheet}: needs at least 2 units; found {len(units)}"
        )
    if not problems and len(periods) < 3:
        problems.append(
            f"工作表 {sheet}：至少需要 3 期，只有 {len(periods)} 期 · "
            f"sheet {sheet}: needs at least 3 periods; found {len(periods)}"
        )
    if problems:
        raise BadInput(problems)
    periods.sort(key=_period_key)
    numeric = [_number(p) for p in periods]
    t = (
        np.array(numeric, dtype=float)
        if all(x is not None for x in numeric)
        else np.arange(len(periods), dtype=float)
    )
    X = np.array([[data[u][p] for u in units] for p in periods], dtype=float)
    return Series(periods, t, units, X)


# ---------------------------------------------------------------------------------------
# analysis
# ---------------------------------------------------------------------------------------
def _f(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def analyse(s: Series, *, method: str, tol: float, fit: bool) -> dict:
    n = len(s.units)
    out: dict = {"units": [], "pairs": [], "degrees": [], "method": method, "periods": s.periods}
    res_fit = None
    fit_error = None
    if fit:
        try:
            res_fit = fit_logistic(s.t, s.X)
        except ValueError as exc:
            fit_error = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    for i, u in enumerate(s.units):
        row = {"unit": u, "first": float(s.X[0, i]), "last": float(s.X[-1, i])}
        if res_fit is not None:
            row.update(
                r=_f(res_fit.r[i]), se_r=_f(res_fit.se_r[i]), N=_f(res_fit.N[i]),
                se_N=_f(res_fit.se_N[i]), r2=_f(res_fit.r2_units[i]),
            )  # fmt: skip
        out["units"].append(row)
    for i in range(n):
        for j in range(i + 1, n):
            d = symbiosis_degree(s.X[:, i], s.X[:, j], method=method)
            if method == "elasticity":
                d_ij, d_ji = d.values, d.reverse
            else:
                d_ij = float(np.nanmean(d.values)) if d.defined.any() else float("nan")
                d_ji = float(np.nanmean(d.reverse)) if d.reverse_defined.any() else float("nan")
                for k, p in enumerate(s.periods[1:]):
                    out["degrees"].append(
                        {"period": p, "unit_s": s.units[i], "unit_m": s.units[j],
                         "delta_sm": _f(d.values[k]), "delta_ms": _f(d.reverse[k]),
                         "theta_s": _f(np.asarray(d.share)[k])}
                    )  # fmt: skip
            row = {
                "unit_s": s.units[i], "unit_m": s.units[j], "delta_sm": _f(d_ij),
                "delta_ms": _f(d_ji), "theta_s": _f(symbiosis_share(d_ij, d_ji)),
            }  # fmt: skip
            if res_fit is not None:
                a, b = res_fit.A[i, j], res_fit.A[j, i]
                mode = classify_behaviour(a, b, tol=tol)
                side = gaining_side(a, b, tol=tol)
                gains = {"first": s.units[i], "second": s.units[j], "both": "both", "neither": ""}
                row.update(
                    a_sm=_f(a), se_a_sm=_f(res_fit.se_A[i, j]), a_ms=_f(b),
                    se_a_ms=_f(res_fit.se_A[j, i]), mode=mode.value, mode_zh=mode.label,
                    gaining=gains[side.value],
                )  # fmt: skip
            out["pairs"].append(row)
    if res_fit is not None:
        eq = res_fit.system.equilibrium()
        out["fit"] = {
            "success": res_fit.success, "message": res_fit.message, "r2": _f(res_fit.r2),
            "aic": _f(res_fit.aic), "equilibrium_status": eq.status,
            "equilibrium": [_f(v) for v in eq.x], "equilibrium_message": eq.message,
            "surplus": _f(res_fit.system.surplus()),
        }  # fmt: skip
    else:
        out["fit"] = {"success": False, "message": fit_error or "not requested"}
    return out


# ---------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------
def _fmt(x, se=None) -> str:
    if x is None:
        return "—"
    s = num(x)
    return s if se is None else f"{s} ± {num(se, '.2g')}"


def print_tables(result: dict, console) -> None:
    from rich.table import Table

    t = Table(title="共生单元 Units (fitted Logistic dynamics)")
    for c in ("单元 unit", "first", "last", "r", "N", "R²"):
        t.add_column(c, overflow="fold")
    for u in result["units"]:
        t.add_row(u["unit"], _fmt(u["first"]), _fmt(u["last"]), _fmt(u.get("r"), u.get("se_r")),
                  _fmt(u.get("N"), u.get("se_N")), _fmt(u.get("r2")))  # fmt: skip
    console.print(t)
    p = Table(title=f"共生度与共生模式 Degrees ({result['method']}), shares and modes")
    for c in ("s", "m", "δ_sm", "δ_ms", "θ_s", "a_sm", "a_ms"):
        p.add_column(c, overflow="fold")
    p.add_column("行为模式", overflow="fold", min_width=6)
    p.add_column("受益方", overflow="fold")
    for r in result["pairs"]:
        mode = r["mode_zh"] if "mode" in r else "—"
        p.add_row(r["unit_s"], r["unit_m"], _fmt(r["delta_sm"]), _fmt(r["delta_ms"]),
                  _fmt(r["theta_s"]), _fmt(r.get("a_sm"), r.get("se_a_sm")),
                  _fmt(r.get("a_ms"), r.get("se_a_ms")), mode,
                  r.get("gaining", "—") or "—")  # fmt: skip
    console.print(p)
    f = result["fit"]
    if f.get("equilibrium_status"):
        console.print(f"Fit: R² = {_fmt(f['r2'])}, AIC = {_fmt(f['aic'])}; {f['message']}")
        why = both(f["equilibrium_message"])
        console.print(f"均衡 Equilibrium ({f['equilibrium_status']}): {why}")
        console.print(f"Symbiotic surplus Σx* − ΣN = {_fmt(f['surplus'])}")
    else:
        console.print(f"未拟合动力学 · No dynamics fitted: {both(f['message'])}")


def write_xlsx(result: dict, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in ("units", "pairs", "degrees"):
        rows = result[name]
        ws = wb.create_sheet(name)
        if not rows:
            continue
        keys = list(dict.fromkeys(k for r in rows for k in r))
        ws.append(keys)
        for r in rows:
            ws.append([r.get(k) for k in keys])
    ws = wb.create_sheet("fit")
    for k, v in result["fit"].items():
        ws.append([k, json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v])
    wb.save(path)


def build_parser() -> argparse.ArgumentParser:
    ap = parser(
        "symbiosis",
        description="质参量序列：宽表（期间列 + 每个单元一列）或长表（单元、期间、质参量）。\n"
        "Quality-parameter series of the units in FILE, wide or long layout.",
    )
    ap.add_argument("file", type=Path, help="xlsx, xls, ods or csv")
    ap.add_argument("--sheet", help="sheet name (default: the first)")
    ap.add_argument("--method", choices=DEGREE_METHODS, default="growth",
                    help="symbiosis degree estimator (default: growth)")  # fmt: skip
    ap.add_argument("--tol", type=float, default=0.05,
                    help="tolerance of the behavioural modes on the fitted a_ij (default 0.05)",
                    )  # fmt: skip
    ap.add_argument("--no-fit", action="store_true", help="skip fitting the Logistic system")
    ap.add_argument("--format", choices=("table", "json"), default="table")
    ap.add_argument("--out", type=Path, help="also write the results to this .xlsx file")
    return ap


def main(argv: list[str]) -> int:
    """Entry point: ``gongsheng symbiosis FILE [options]``; returns the exit status."""
    from rich.console import Console

    args = build_parser().parse_args(argv)
    err = Console(stderr=True, soft_wrap=True)  # a problem stays on one line
    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        err.print(f"--out 须以 .xlsx 结尾 · --out must end in .xlsx; got {args.out}")
        return 2
    try:
        sheet, rows = read_rows(args.file, args.sheet)
        series = parse_series(sheet, rows)
    except BadInput as exc:
        for p in exc.problems:
            err.print(p, markup=False, highlight=False)
        n = len(exc.problems)
        err.print(f"{n} 处问题，未写出任何文件 · {n} problem(s); nothing written.")
        return 2
    result = analyse(series, method=args.method, tol=args.tol, fit=not args.no_fit)
    if args.format == "json":
        sys.stdout.write(json.dumps(tidy(result), ensure_ascii=False, indent=2) + "\n")
    else:
        print_tables(result, Console())
    if args.out is not None:
        write_xlsx(result, args.out)
    return 0

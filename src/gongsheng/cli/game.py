"""``gongsheng game``: equilibria, ESS, phase plots and parameter sweeps of the standard games.

Examples::

    gongsheng game --model government_school_enterprise --set g_s=2.5 --set p_e=1
    gongsheng game --model school_enterprise --plot out/
    gongsheng game --model government_school_enterprise --sweep p_e=0:5:1001 --plot out/

Parameters not given with ``--set`` take the illustrative defaults of
:data:`gongsheng.analytics.games.DEFAULT_PARAMETERS`. Plots are written as PNG and SVG with
Chinese labels when a CJK font is installed (Debian: fonts-noto-cjk), English labels otherwise.
Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from gongsheng.analytics.games import (
    DEFAULT_PARAMETERS,
    MODELS,
    government_school_enterprise,
    school_enterprise,
    sweep,
)
from gongsheng.cli._format import clean, num, tidy
from gongsheng.cli._game_plots import chinese_labels, plot_game, plot_sweep
from gongsheng.cli._help import parser
from gongsheng.workbook.texts import both, both_message

BUILDERS = {
    "school_enterprise": school_enterprise,
    "government_school_enterprise": government_school_enterprise,
}
TYPE_ZH = {
    "ess": "演化稳定 ESS",
    "unstable": "不稳定",
    "saddle": "鞍点",
    "centre": "中心",
    "non_hyperbolic": "非双曲",
}
KIND_ZH = {"corner": "顶点", "edge": "棱", "face": "面", "interior": "内点"}


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------
def _parse_sets(model: str, items: list[str]) -> dict[str, float]:
    params = dict(DEFAULT_PARAMETERS[model])
    allowed = MODELS[model][1]
    problems = []
    for item in items:
        key, sep, val = item.partition("=")
        key = key.strip()
        if not sep:
            problems.append(f"--set {item}：应写成 名称=值 · expected NAME=VALUE")
        elif key not in allowed:
            problems.append(
                f"--set {item}：没有参数 {key!r} · unknown parameter {key!r}; "
                f"allowed: {', '.join(allowed)}"
            )
        else:
            try:
                params[key] = float(val)
            except ValueError:
                problems.append(f"--set {item}：{val!r} 不是数字 · {val!r} is not a number")
    if problems:
        raise UsageError("\n".join(problems))
    return params


def _parse_sweep(model: str, spec: str) -> tuple[str, np.ndarray]:
    key, sep, rng = spec.partition("=")
    parts = rng.split(":")
    if not sep or len(parts) != 3:
        raise UsageError(f"--sweep {spec}：应写成 参数=起:止:点数 · expected PARAM=START:STOP:NUM")
    if key not in MODELS[model][1]:
        raise UsageError(
            f"--sweep {spec}：没有参数 {key!r} · unknown parameter {key!r}; "
            f"allowed: {', '.join(MODELS[model][1])}"
        )
    try:
        start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError as exc:
        raise UsageError(
            f"--sweep {spec}：起止须为数字，点数为整数 · "
            "START and STOP must be numbers, NUM an integer"
        ) from exc
    if num < 2 or not stop > start:
        raise UsageError(f"--sweep {spec}：须 止 > 起 且点数 ≥ 2 · need STOP > START and NUM >= 2")
    return key, np.linspace(start, stop, num)


def build_parser() -> argparse.ArgumentParser:
    ap = parser(
        "game",
        description="未用 --set 给出的参数取示例默认值"
        "（gongsheng.analytics.games.DEFAULT_PARAMETERS）。\n"
        "Parameters not given with --set take the illustrative defaults.",
    )
    ap.add_argument("--model", choices=tuple(MODELS), default="government_school_enterprise")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="set a parameter (repeatable)")  # fmt: skip
    ap.add_argument("--sweep", metavar="PARAM=START:STOP:NUM",
                    help="sweep one parameter: ESS changes and the cooperation threshold",
                    )  # fmt: skip
    ap.add_argument("--basins", action="store_true",
                    help="with --sweep: also simulate basin shares (slower)")  # fmt: skip
    ap.add_argument("--grid", type=int, default=None,
                    help="starting points per axis for basins (default 41 for 2, 4 for 3 "
                    "populations; 4 in sweeps)")  # fmt: skip
    ap.add_argument("--plot", type=Path, metavar="DIR", help="write PNG and SVG pictures here")
    ap.add_argument("--format", choices=("table", "json"), default="table")
    ap.add_argument("--out", type=Path, help="also write the results to this .xlsx file")
    return ap


# ---------------------------------------------------------------------------------------
# computing
# ---------------------------------------------------------------------------------------
def _equilibria_rows(game) -> list[dict]:
    rows = []
    for e in game.equilibria():
        ev = e.eigenvalues
        rows.append(
            {
                "point": [clean(round(float(v), 6)) for v in e.x],
                "kind": e.kind,
                "eigenvalues": [
                    clean(complex(v).real)
                    if abs(complex(v).imag) < 1e-12
                    else str(complex(clean(complex(v).real), clean(complex(v).imag)))
                    for v in ev
                ],
                "det": clean(e.det),
                "trace": clean(e.trace),
                "type": e.type,
            }
        )
    return rows


def _sweep(model, param, values, params, *, basins, grid, console, quiet):
    from rich.progress import Progress

    fixed = {k: v for k, v in params.items() if k != param}
    chunk = max(1, len(values) // 50) if not basins else 20
    with Progress(console=console, transient=True, disable=quiet) as bar:
        task = bar.add_task(f"sweeping {param}", total=len(values))
        res = sweep(
            model, param, values, params=fixed, basins=basins, grid=grid or 4,
            chunk_size=chunk, progress=lambda done, total: bar.update(task, completed=done),
        )  # fmt: skip
    return res


# ---------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------
def _print_equilibria(model, params, rows, ess, console) -> None:
    from rich.table import Table

    console.print(
        f"[bold]{model}[/bold]  " + ", ".join(f"{k}={num(v, 'g')}" for k, v in params.items()),
        highlight=False,
    )
    t = Table(title="均衡点与稳定性 Equilibria (order: " + ", ".join(MODELS[model][2]) + ")")
    for c in ("point", "kind", "eigenvalues", "det", "trace", "type"):
        t.add_column(c, overflow="fold")
    k = len(MODELS[model][2])
    for r in rows:
        ev = ", ".join(num(v) if isinstance(v, float) else v for v in r["eigenvalues"])
        t.add_row(
            "(" + ", ".join(num(v) for v in r["point"]) + ")",
            f"{KIND_ZH[r['kind']]} {r['kind']}",
            ev,
            num(r["det"]) if k == 2 else "",
            num(r["trace"]) if k == 2 else "",
            TYPE_ZH[r["type"]],
        )
    console.print(t)
    found = "; ".join(str(tuple(int(v) for v in e)) for e in ess)
    console.print("ESS: " + (found or both_message("no ESS")))


def _sweep_dict(res) -> dict:
    out = {
        "param": res.param,
        "values": [float(v) for v in res.values],
        "changes": [{"from": c.value, "ess": [list(e) for e in c.ess]} for c in res.changes()],
        "threshold": float(res.threshold) if np.isfinite(res.threshold) else None,
        "threshold_message": res.threshold_message,
    }
    if res.basin_shares is not None:
        out["basin_shares"] = {
            "(" + ",".join(str(int(x)) for x in cn) + ")": [
                float(s) for s in res.basin_shares[:, c]
            ]
            for c, cn in enumerate(res.corners)
            if res.basin_shares[:, c].any()
        }
    return out


def _print_sweep(res, console) -> None:
    from rich.table import Table

    t = Table(title=f"参数扫描 Sweep of {res.param}: ESS changes")
    t.add_column(f"from {res.param} =")
    t.add_column("ESS")
    for c in res.changes():
        t.add_row(num(c.value, ".6g"), "; ".join(str(e) for e in c.ess) or both_message("no ESS"))
    console.print(t)
    console.print(f"阈值 Threshold: {both(res.threshold_message)}", highlight=False)


def _write_xlsx(path: Path, rows: list[dict], sweep_out: dict | None) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "equilibria"
    ws.append(["point", "kind", "eigenvalues", "det", "trace", "type"])
    for r in rows:
        ws.append([str(tuple(r["point"])), r["kind"], json.dumps(r["eigenvalues"]), r["det"],
                   r["trace"], r["type"]])  # fmt: skip
    if sweep_out is not None:
        ws = wb.create_sheet("sweep")
        ws.append(["from", "ess"])
        for c in sweep_out["changes"]:
            ws.append([c["from"], json.dumps(c["ess"])])
        ws.append([])
        ws.append(["threshold", sweep_out["threshold"]])
        ws.append(["message", sweep_out["threshold_message"]])
    wb.save(path)


def main(argv: list[str]) -> int:
    """Entry point: ``gongsheng game [options]``; returns the exit status."""
    from rich.console import Console

    args = build_parser().parse_args(argv)
    err = Console(stderr=True, soft_wrap=True)  # a problem stays on one line
    try:
        params = _parse_sets(args.model, args.set)
        sweep_spec = _parse_sweep(args.model, args.sweep) if args.sweep else None
        if args.out is not None and args.out.suffix.lower() != ".xlsx":
            raise UsageError(f"--out 须以 .xlsx 结尾 · --out must end in .xlsx; got {args.out}")
        if args.grid is not None and args.grid < 1:
            raise UsageError(
                f"--grid 须为正整数 · --grid must be a positive integer; got {args.grid}"
            )
        game = BUILDERS[args.model](**params)
    except (UsageError, ValueError) as exc:
        err.print(str(exc), markup=False, highlight=False)
        return 2
    console = Console()
    quiet = args.format == "json"
    rows = _equilibria_rows(game)
    ess = game.ess()
    res = None
    if sweep_spec is not None:
        res = _sweep(args.model, *sweep_spec, params, basins=args.basins, grid=args.grid,
                     console=err, quiet=quiet)  # fmt: skip
    written: list[Path] = []
    if args.plot is not None:
        labels = chinese_labels()  # one font lookup, at most one warning
        written += plot_game(game, args.model, args.plot, grid=args.grid, labels=labels)
        if res is not None:
            written += plot_sweep(res, args.plot, labels=labels)
    sweep_out = _sweep_dict(res) if res is not None else None
    if args.format == "json":
        out = {
            "model": args.model,
            "parameters": params,
            "populations": list(MODELS[args.model][2]),
            "equilibria": rows,
            "ess": [[int(v) for v in e] for e in ess],
            "sweep": sweep_out,
            "files": [str(p) for p in written],
        }
        sys.stdout.write(json.dumps(tidy(out), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_equilibria(args.model, params, rows, ess, console)
        if res is not None:
            _print_sweep(res, console)
        for p in written:
            console.print(f"已写出 · wrote {p}", highlight=False)
    if args.out is not None:
        _write_xlsx(args.out, rows, sweep_out)
    return 0

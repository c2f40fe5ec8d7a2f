"""``gongsheng analyze WORKBOOK.xlsx --out DIR``: the symbiosis diagnosis of anyone's workbook.

The workbook follows the template (``gongsheng analyze --template PATH`` writes a blank one,
``--example PATH`` a filled example): units, ledger, episodes and optional pools, quality-
parameter series, indicators, coalition values and settings. Every bad cell is reported as
``sheet X, row N, column Y: reason`` and nothing is written (exit status 2). Otherwise DIR
receives ``report.html`` (self-contained, offline, Chinese), ``report.json`` and
``report.xlsx``. Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from gongsheng.cli._format import num
from gongsheng.cli._help import parser


def build_parser() -> argparse.ArgumentParser:
    ap = parser(
        "analyze",
        description="把 report.html、report.json 和 report.xlsx 写入 --out 目录；"
        "--template 写出空白模板，--example 写出填好的示例。\n"
        "Writes report.html, report.json and report.xlsx into "
        "--out; --template writes the blank template, --example the filled example.",
    )
    ap.add_argument("workbook", nargs="?", type=Path, help="the workbook (.xlsx, .xls, .ods)")
    ap.add_argument("--out", type=Path, help="directory for the report files")
    ap.add_argument("--template", type=Path, metavar="PATH", help="write a blank template")
    ap.add_argument("--example", type=Path, metavar="PATH", help="write the filled example")
    ap.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return ap


def _copy(source: Path, target: Path, err) -> int:
    if target.is_dir():
        target = target / source.name
    if target.suffix.lower() != ".xlsx":
        err.print(f"{target}：文件名须以 .xlsx 结尾 · the file name must end in .xlsx")
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    err.print(f"已写出 · wrote {target}")
    return 0


def main(argv: list[str]) -> int:
    """Entry point: ``gongsheng analyze WORKBOOK --out DIR``; returns the exit status."""
    from rich.console import Console

    from gongsheng.workbook import build_files

    ap = build_parser()
    args = ap.parse_args(argv)
    err = Console(stderr=True, highlight=False)
    if args.template or args.example:
        status = 0
        if args.template:
            status |= _copy(build_files.TEMPLATE, args.template, err)
        if args.example:
            status |= _copy(build_files.EXAMPLE, args.example, err)
        if args.workbook is None:
            return status
    if args.workbook is None or args.out is None:
        err.print("用法 · usage: gongsheng analyze WORKBOOK.xlsx --out DIR  (or --template PATH)")
        return 2
    if args.out.exists() and not args.out.is_dir():
        err.print(f"--out {args.out} 已存在且不是目录 · exists and is not a directory")
        return 2
    return run(args.workbook, args.out, console=err, quiet=args.quiet)


def run(workbook: Path, out: Path, *, console, quiet: bool = False) -> int:
    """Read, check, analyse and write; a rich progress bar on ``console``."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from gongsheng.workbook.analysis import STEPS, analyse
    from gongsheng.workbook.model import WorkbookInvalid
    from gongsheng.workbook.reading import read_workbook
    from gongsheng.workbook.report import render_all

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=False,
    ) as bar:
        task = bar.add_task("读取工作簿 reading", total=len(STEPS) + 2)
        try:
            data = read_workbook(workbook)
        except WorkbookInvalid as exc:
            bar.stop()
            for p in exc.problems:
                console.print(str(p), markup=False)
            n = len(exc.problems)
            console.print(f"{n} 处问题，未生成报告 · {n} problem(s); no report written.")
            return 2

        def step(name: str) -> None:
            bar.update(task, advance=1, description=name)

        try:
            report = analyse(data, step)
        except ValueError as exc:  # the engine refuses something the reader let through
            bar.stop()
            console.print(
                f"{workbook}：{exc}；未生成报告 · {exc}; no report written.", markup=False
            )
            return 2
        bar.update(task, advance=1, description="写出报告 writing")
        files = render_all(report)
        out.mkdir(parents=True, exist_ok=True)
        for name, blob in files.items():
            (out / name).write_bytes(blob)
        bar.update(task, advance=1, description="完成 done")
    if not quiet:
        c = report["consortium"]
        units, alerts, energy = (
            len(report["units"]),
            len(report["alerts"]),
            num(c["energy"], ",.0f"),
        )
        console.print(
            f"{units} 个单元，{c['pairs']} 对，共生能量 {energy}，"
            f"{c['target_count']} 对处于目标状态，{alerts} 条预警 · "
            f"{units} units, {c['pairs']} pairs, energy {energy}, "
            f"{c['target_count']} in the target state, {alerts} alert(s).",
            soft_wrap=True,
        )
        for name in files:
            console.print(f"已写出 · wrote {out / name}", soft_wrap=True)
    return 0

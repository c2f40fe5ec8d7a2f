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
import subprocess
import sys
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from gongsheng.analytics.games import (
    DEFAULT_PARAMETERS,
    MODELS,
    government_school_enterprise,
    school_enterprise,
    sweep,
)

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
PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
CJK_HINTS = ("CJK", "Han Sans", "Han Serif", "WenQuanYi", "Hei", "Song", "Kai", "Ming", "AR PL")


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------------------
# fonts
# ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """Family name of an installed font that covers Chinese, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in PREFERRED_FONTS:
        if name in names:
            return name
    for name in sorted(names):
        if any(h in name for h in CJK_HINTS):
            return name
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        path = line.split(":")[0].strip()
        if not path:
            continue
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    return None


def _labels() -> tuple[bool, str | None]:
    font = find_cjk_font()
    if font is None:
        warnings.warn(
            "No CJK font found (install fonts-noto-cjk): plots use English labels.",
            RuntimeWarning,
            stacklevel=3,
        )
        return False, None
    return True, font


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
            problems.append(f"--set {item}: expected NAME=VALUE")
        elif key not in allowed:
            problems.append(
                f"--set {item}: unknown parameter {key!r}; allowed: {', '.join(allowed)}"
            )
        else:
            try:
                params[key] = float(val)
            except ValueError:
                problems.append(f"--set {item}: {val!r} is not a number")
    if problems:
        raise UsageError("\n".join(problems))
    return params


def _parse_sweep(model: str, spec: str) -> tuple[str, np.ndarray]:
    key, sep, rng = spec.partition("=")
    parts = rng.split(":")
    if not sep or len(parts) != 3:
        raise UsageError(f"--sweep {spec}: expected PARAM=START:STOP:NUM")
    if key not in MODELS[model][1]:
        raise UsageError(
            f"--sweep {spec}: unknown parameter {key!r}; allowed: {', '.join(MODELS[model][1])}"
        )
    try:
        start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError as exc:
        raise UsageError(f"--sweep {spec}: START and STOP must be numbers, NUM an integer") from exc
    if num < 2 or not stop > start:
        raise UsageError(f"--sweep {spec}: need STOP > START and NUM >= 2")
    return key, np.linspace(start, stop, num)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="gongsheng game",
        description="Equilibria and ESS of the school-enterprise(-government) evolutionary games.",
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
                    help="starting points per axis for basins (default 41 for 2, 9 for 3 "
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
                "point": [round(float(v), 6) for v in e.x],
                "kind": e.kind,
                "eigenvalues": [
                    complex(v).real if abs(complex(v).imag) < 1e-12 else str(complex(v)) for v in ev
                ],
                "det": e.det,
                "trace": e.trace,
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
# plots
# ---------------------------------------------------------------------------------------
def _names(model: str, zh: bool) -> tuple[str, ...]:
    return MODELS[model][3] if zh else MODELS[model][2]


def _save(fig, outdir: Path, stem: str) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [outdir / f"{stem}.png", outdir / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=150)
    fig.savefig(paths[1])
    return paths


def plot_game(game, model: str, outdir: Path, *, grid: int | None) -> list[Path]:
    """Phase plot (k = 2: vector field, basins, equilibria; k = 3: trajectories by ESS)."""
    from matplotlib.figure import Figure

    zh, font = _labels()
    rc = {"font.family": font} if font else {}
    import matplotlib

    names = _names(model, zh)
    with matplotlib.rc_context({**rc, "axes.unicode_minus": False}):
        fig = Figure(figsize=(6.4, 5.6))
        ess = game.ess()
        colours = ["tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown"]
        if game.k == 2:
            ax = fig.add_subplot()
            g = grid or 41
            b = game.basins(g)
            lab = b.labels.reshape(g, g)  # product order: x is the slow axis
            ax.imshow(lab.T, origin="lower", extent=(0, 1, 0, 1), cmap="Pastel1", vmin=-1,
                      vmax=8, alpha=0.8, aspect="auto")  # fmt: skip
            xs = np.linspace(0, 1, 25)
            X, Y = np.meshgrid(xs, xs)
            d = game.rhs(np.column_stack([X.ravel(), Y.ravel()]))
            ax.streamplot(X, Y, d[:, 0].reshape(X.shape), d[:, 1].reshape(X.shape),
                          color="0.3", density=1.1, linewidth=0.7)  # fmt: skip
            for e in game.equilibria():
                filled = e.type == "ess"
                ax.plot(*e.x, "o", ms=9, mfc="black" if filled else "white", mec="black",
                        clip_on=False, zorder=5)  # fmt: skip
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            if zh:
                ax.set_xlabel(f"{names[0]}合作比例 x")
                ax.set_ylabel(f"{names[1]}合作比例 y")
                ax.set_title("演化博弈相图（实心点为演化稳定策略，底色为吸引域）")
            else:
                ax.set_xlabel(f"share of {names[0]}s cooperating, x")
                ax.set_ylabel(f"share of {names[1]}s cooperating, y")
                ax.set_title("Phase plot (filled: ESS; shading: basins)")
        else:
            ax = fig.add_subplot(projection="3d")
            g = grid or 4
            b = game.basins(g)
            for start, label in zip(b.starts, b.labels):
                tr = game.simulate(start, min(b.t_max, 200.0))
                c = colours[label % len(colours)] if label >= 0 else "0.6"
                ax.plot(tr.x[:, 0], tr.x[:, 1], tr.x[:, 2], color=c, lw=0.7, alpha=0.8)
            for i, e in enumerate(ess):
                ax.scatter(*e, s=60, color=colours[i % len(colours)], edgecolor="black")
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            ax.set_zlim(0, 1)
            if zh:
                ax.set_xlabel(f"{names[0]} x")
                ax.set_ylabel(f"{names[1]} y")
                ax.set_zlabel(f"{names[2]} z")
                ax.set_title("三方演化博弈轨迹（按到达的演化稳定策略着色）")
            else:
                ax.set_xlabel(f"{names[0]} x")
                ax.set_ylabel(f"{names[1]} y")
                ax.set_zlabel(f"{names[2]} z")
                ax.set_title("Trajectories coloured by the ESS reached")
        fig.tight_layout()
        return _save(fig, outdir, f"{model}_phase")


def plot_sweep(res, outdir: Path) -> list[Path]:
    from matplotlib.figure import Figure

    zh, font = _labels()
    import matplotlib

    rc = {"font.family": font} if font else {}
    with matplotlib.rc_context({**rc, "axes.unicode_minus": False}):
        fig = Figure(figsize=(7, 4.5))
        ax = fig.add_subplot()
        order = np.argsort(res.values)
        v = res.values[order]
        if res.basin_shares is not None:
            shares = res.basin_shares[order]
            keep = shares.max(axis=0) > 0
            labels = ["(" + ",".join(str(int(c)) for c in cn) + ")" for cn in res.corners[keep]]
            ax.stackplot(v, shares[:, keep].T, labels=labels, alpha=0.8)
            ax.set_ylabel("吸引域占比" if zh else "basin share")
        else:
            for c, cn in enumerate(res.corners):
                if res.ess[:, c].any():
                    ax.step(v, res.ess[order, c] * (1 + 0.02 * c), where="mid",
                            label="(" + ",".join(str(int(x)) for x in cn) + ")")  # fmt: skip
            ax.set_yticks([0, 1], ["否", "是"] if zh else ["no", "yes"])
            ax.set_ylabel("是否为演化稳定策略" if zh else "is an ESS")
        if np.isfinite(res.threshold):
            ax.axvline(res.threshold, color="black", ls="--", lw=1)
            ax.annotate(
                f"{'阈值' if zh else 'threshold'} {res.threshold:.4g}",
                (res.threshold, 0.5), xytext=(5, 0), textcoords="offset points",
            )  # fmt: skip
        ax.set_xlabel(res.param)
        ax.set_title("参数扫描：演化稳定策略的变化" if zh else "Sweep: how the ESS change")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize="small")
        fig.tight_layout()
        return _save(fig, outdir, f"{res.model}_sweep_{res.param}")


# ---------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------
def _print_equilibria(model, params, rows, ess, console) -> None:
    from rich.table import Table

    console.print(
        f"[bold]{model}[/bold]  " + ", ".join(f"{k}={v:g}" for k, v in params.items()),
        highlight=False,
    )
    t = Table(title="均衡点与稳定性 Equilibria (order: " + ", ".join(MODELS[model][2]) + ")")
    for c in ("point", "kind", "eigenvalues", "det", "trace", "type"):
        t.add_column(c, overflow="fold")
    k = len(MODELS[model][2])
    for r in rows:
        ev = ", ".join(f"{v:.4g}" if isinstance(v, float) else v for v in r["eigenvalues"])
        t.add_row(
            "(" + ", ".join(f"{v:.4g}" for v in r["point"]) + ")",
            f"{KIND_ZH[r['kind']]} {r['kind']}",
            ev,
            f"{r['det']:.4g}" if k == 2 else "",
            f"{r['trace']:.4g}" if k == 2 else "",
            TYPE_ZH[r["type"]],
        )
    console.print(t)
    console.print("ESS: " + ("; ".join(str(tuple(int(v) for v in e)) for e in ess) or "none"))


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
        t.add_row(f"{c.value:.6g}", "; ".join(str(e) for e in c.ess) or "none")
    console.print(t)
    console.print(f"阈值 Threshold: {res.threshold_message}", highlight=False)


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
    err = Console(stderr=True)
    try:
        params = _parse_sets(args.model, args.set)
        sweep_spec = _parse_sweep(args.model, args.sweep) if args.sweep else None
        if args.out is not None and args.out.suffix.lower() != ".xlsx":
            raise UsageError(f"--out must end in .xlsx; got {args.out}")
        if args.grid is not None and args.grid < 1:
            raise UsageError(f"--grid must be a positive integer; got {args.grid}")
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
        written += plot_game(game, args.model, args.plot, grid=args.grid)
        if res is not None:
            written += plot_sweep(res, args.plot)
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
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_equilibria(args.model, params, rows, ess, console)
        if res is not None:
            _print_sweep(res, console)
        for p in written:
            console.print(f"wrote {p}", highlight=False)
    if args.out is not None:
        _write_xlsx(args.out, rows, sweep_out)
    return 0

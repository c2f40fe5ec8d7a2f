"""Plots for ``gongsheng game``: phase plots, basins and sweeps as PNG and SVG.

Chinese labels are drawn with a CJK font found through matplotlib's font manager (or
``fc-list :lang=zh``); without one, a single warning is given and the labels are English.
Only the Agg-capable ``matplotlib.figure.Figure`` API is used (no pyplot state).
"""

from __future__ import annotations

import subprocess
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from gongsheng.analytics.games import MODELS
from gongsheng.cli._format import num

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


def chinese_labels() -> tuple[bool, str | None]:
    """(use Chinese labels?, font family); warns once per call when no CJK font exists."""
    font = find_cjk_font()
    if font is None:
        warnings.warn(
            "No CJK font found (install fonts-noto-cjk): plots use English labels.",
            RuntimeWarning,
            stacklevel=2,
        )
        return False, None
    return True, font


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


def plot_game(
    game, model: str, outdir: Path, *, grid: int | None, labels: tuple | None = None
) -> list[Path]:
    """Phase plot (k = 2: vector field, basins, equilibria; k = 3: trajectories by ESS)."""
    from matplotlib.figure import Figure

    zh, font = labels if labels is not None else chinese_labels()
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


def plot_sweep(res, outdir: Path, *, labels: tuple | None = None) -> list[Path]:
    from matplotlib.figure import Figure

    zh, font = labels if labels is not None else chinese_labels()
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
                f"{'阈值' if zh else 'threshold'} {num(res.threshold)}",
                (res.threshold, 0.5), xytext=(5, 0), textcoords="offset points",
            )  # fmt: skip
        ax.set_xlabel(res.param)
        ax.set_title("参数扫描：演化稳定策略的变化" if zh else "Sweep: how the ESS change")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize="small")
        fig.tight_layout()
        return _save(fig, outdir, f"{res.model}_sweep_{res.param}")

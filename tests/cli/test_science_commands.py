"""The command line as documented (issue 13 point 10): ``gongsheng --help`` lists the science
commands apart from the platform's and Django's, each command's help shows an example, and
``evaluate`` / ``allocate`` read ``gongsheng analyze``'s example workbook, checked against
computations written here from the formulas (not the commands' own earlier output)."""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from openpyxl import load_workbook

from gongsheng.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCIENCE = ("analyze", "evaluate", "allocate", "symbiosis", "game")


def test_help_lists_the_science_commands_apart(tmp_path):
    env = {**os.environ, "GONGSHENG_DATA": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "gongsheng.cli", "--help"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    text = proc.stdout
    science = text.index("分析命令（无需数据库）· science commands")
    platform = text.index("平台命令（使用平台数据库）· platform commands")
    django = text.index("Django 管理命令 · Django's admin commands")
    assert science < platform < django

    def names(start: int, end: int) -> set[str]:
        return {w for line in text[start:end].splitlines()[1:] for w in line.split()[:1]}

    assert set(SCIENCE) <= names(science, platform)
    assert {"serve", "demo", "backup", "restore", "diagnose"} <= names(platform, django)
    rest = text[django:].split()
    assert "migrate" in rest and "createsuperuser" in rest
    assert "migrate" not in text[:django] and "serve" not in rest


@pytest.mark.parametrize("name", SCIENCE)
def test_each_command_help_shows_an_example(name, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["gongsheng", name, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法 · usage: gongsheng " + name)
    example = out[out.index("示例 · examples:") :].splitlines()[1]
    assert example.strip().startswith(f"gongsheng {name} ")


@pytest.mark.parametrize("argv", [["serve", "--help"], ["help", "backup"], ["help", "demo"]])
def test_platform_command_help_ends_with_examples(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GONGSHENG_DATA", str(tmp_path))
    name = argv[1] if argv[0] == "help" else argv[0]
    try:
        main(["gongsheng", *argv])
    except SystemExit as stop:
        assert stop.code == 0
    out = capsys.readouterr().out
    assert "usage" in out
    example = out[out.index("示例 · examples:") :].splitlines()[1]
    assert example.strip().startswith(f"gongsheng {name}")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "example.xlsx"
    assert main(["gongsheng", "analyze", "--example", str(path)]) == 0
    return path


def _sheet(path: Path, name: str) -> list[list]:
    ws = load_workbook(path, read_only=True)[name]
    return [list(r) for r in ws.iter_rows(values_only=True) if any(c is not None for c in r)]


def _entropy(M: np.ndarray) -> np.ndarray:
    """Entropy weights from the textbook formulas: min-max, p = z/Σz, e = −Σp ln p / ln m."""
    Z = (M - M.min(axis=0)) / (M.max(axis=0) - M.min(axis=0))
    P = Z / Z.sum(axis=0)
    H = np.array([-sum(p * math.log(p) for p in col if p > 0) for col in P.T])
    d = 1 - H / math.log(len(M))
    return d / d.sum()


def test_evaluate_reads_the_analysis_workbook(example, capsys):
    assert main(["gongsheng", "evaluate", str(example), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    defs = _sheet(example, "指标定义")[1:]
    data = _sheet(example, "指标数据")
    names, subjects = data[0][1:], [str(r[0]) for r in data[1:]]
    X = np.array([r[1:] for r in data[1:]], dtype=float)
    direction = {d[0]: d[1] for d in defs}
    subsystem = {d[0]: d[3] for d in defs}
    Z = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    for j, n in enumerate(names):
        if direction[n] == "负向":
            Z[:, j] = 1 - Z[:, j]
    subs = list(dict.fromkeys(subsystem[n] for n in names))
    local, U = {}, []
    for s in subs:
        cols = [j for j, n in enumerate(names) if subsystem[n] == s]
        w = _entropy(Z[:, cols])
        local.update({names[j]: w[k] for k, j in enumerate(cols)})
        U.append(Z[:, cols] @ w)
    U = np.column_stack(U)
    top = _entropy(U)
    overall = U @ top
    weights = {i["code"]: i for i in out["indicators"]}
    for k, s in enumerate(subs):
        assert weights[s]["global_weight"] == pytest.approx(top[k], abs=1e-9)
    for n in names:
        assert weights[n]["parent"] == subsystem[n]
        assert weights[n]["local_weight"] == pytest.approx(local[n], abs=1e-9)
        glob = local[n] * top[subs.index(subsystem[n])]
        assert weights[n]["global_weight"] == pytest.approx(glob, abs=1e-9)
    got = {e["entity"]: e for e in out["entities"]}
    assert set(got) == set(subjects)
    assert_allclose([got[s]["overall"] for s in subjects], overall, atol=1e-9)
    order = sorted(subjects, key=lambda s: -overall[subjects.index(s)])
    assert [got[s]["rank"] for s in order] == list(range(1, len(order) + 1))


def test_allocate_reads_the_analysis_workbook(example, capsys):
    assert main(["gongsheng", "allocate", str(example), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = _sheet(example, "联盟价值")[1:]
    v = {frozenset(str(c).split("、")): float(value) for c, value in rows}
    players = list(dict.fromkeys(p for c, _v in rows for p in str(c).split("、")))
    assert out["players"] == players
    n = len(players)

    def worth(s: frozenset) -> float:
        return v[s] if s else 0.0

    # Shapley: the average marginal contribution over every order of arrival
    phi = dict.fromkeys(players, 0.0)
    orders = list(itertools.permutations(players))
    for order in orders:
        before: frozenset = frozenset()
        for p in order:
            phi[p] += (worth(before | {p}) - worth(before)) / len(orders)
            before = before | {p}
    assert_allclose(out["shapley"], [phi[p] for p in players], rtol=1e-10)  # JSON keeps 12 digits
    # Nash with equal powers and the stand-alone values as disagreement: an equal split of
    # the surplus over the stand-alone values
    grand = worth(frozenset(players))
    alone = [worth(frozenset({p})) for p in players]
    assert out["grand_coalition_value"] == grand
    assert_allclose(
        out["nash"], [a + (grand - sum(alone)) / n for a in alone], rtol=1e-10
    )  # JSON keeps 12 digits
    # the core: no coalition gets less than its own value under the Shapley value
    in_core = all(
        sum(phi[p] for p in s) >= worth(frozenset(s)) - 1e-6
        for k in range(1, n) for s in itertools.combinations(players, k)
    )  # fmt: skip
    assert out["core"]["shapley_in_core"] is in_core

"""The ``gongsheng symbiosis`` and ``gongsheng game`` commands, run in-process."""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest
from openpyxl import Workbook, load_workbook

from gongsheng.analytics.dynamics import LogisticSystem
from gongsheng.cli import _game_plots as game_plots
from gongsheng.cli import game as game_cli
from gongsheng.cli import symbiosis as symbiosis_cli

matplotlib.use("Agg")

TRUE = LogisticSystem(
    [0.5, 0.4, 0.3], [100, 80, 60], [[0, 0.3, 0.1], [0.4, 0, -0.2], [0.2, 0.3, 0]]
)


def series():
    return TRUE.simulate([5, 6, 4], np.arange(30.0)).x


@pytest.fixture
def wide_csv(tmp_path):
    path = tmp_path / "units.csv"
    lines = ["年份,学校,企业,科研院所"]
    for i, row in enumerate(series()):
        lines.append(f"{2000 + i}," + ",".join(f"{v:.6f}" for v in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class TestSymbiosisCommand:
    def test_wide_csv_json(self, wide_csv, capsys):
        assert symbiosis_cli.main([str(wide_csv), "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert [u["unit"] for u in out["units"]] == ["学校", "企业", "科研院所"]
        assert len(out["pairs"]) == 3
        pair = out["pairs"][0]
        assert pair["unit_s"] == "学校" and pair["unit_m"] == "企业"
        assert pair["mode"] == "asymmetric_mutualism" and pair["mode_zh"] == "非对称互惠共生"
        assert pair["a_sm"] == pytest.approx(0.3, abs=1e-3)
        assert out["pairs"][2]["mode"] == "parasitism"  # a_12 = −0.2, a_21 = 0.3
        assert out["pairs"][2]["gaining"] == "科研院所"
        assert out["fit"]["success"] and out["fit"]["equilibrium_status"] == "feasible"
        assert len(out["degrees"]) == 3 * 29

    def test_long_xlsx_table_and_out(self, tmp_path, capsys, monkeypatch):
        monkeypatch.setenv("COLUMNS", "200")
        src = tmp_path / "long.xlsx"
        wb = Workbook()
        ws = wb.active
        ws.title = "data"
        ws.append(["unit", "period", "value"])
        for i, row in enumerate(series()):
            for name, v in zip(["school", "firm", "lab"], row):
                ws.append([name, 2000 + i, float(v)])
        wb.save(src)
        out = tmp_path / "result.xlsx"
        assert symbiosis_cli.main([str(src), "--method", "log", "--out", str(out)]) == 0
        text = capsys.readouterr().out
        assert "school" in text and "非对称互惠共生" in text
        assert (
            "均衡 Equilibrium (feasible): 内部均衡点 x* > 0 是稳定的。 · "
            "Interior equilibrium x* > 0 is stable."
        ) in text
        assert set(load_workbook(out).sheetnames) == {"units", "pairs", "degrees", "fit"}

    def test_bad_cells_all_reported_and_nothing_written(self, tmp_path, capsys):
        src = tmp_path / "bad.csv"
        src.write_text(
            "期间,学校,企业\n2020,1.0,2.0\n2021,abc,3.0\n2022,,-1\n2022,2,3\n", encoding="utf-8"
        )
        out = tmp_path / "never.xlsx"
        assert symbiosis_cli.main([str(src), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "sheet bad.csv, row 3, column 学校: not a number ('abc')" in err
        assert "sheet bad.csv, row 4, column 学校: empty cell" in err
        assert (
            "sheet bad.csv, row 4, column 企业: a quality parameter must be positive (got -1)"
            in err
        )
        assert "sheet bad.csv, row 5, column 期间: period 2022 given twice" in err
        assert not out.exists()

    def test_bad_cells_in_a_named_sheet(self, tmp_path, capsys):
        src = tmp_path / "bad.xlsx"
        wb = Workbook()
        wb.active.title = "封面"
        ws = wb.create_sheet("质参量")
        ws.append(["单元", "年份", "质参量"])
        ws.append(["学校", 2020, 1.0])
        ws.append(["学校", 2020, 2.0])
        ws.append(["企业", 2020, "n/a"])
        wb.save(src)
        assert symbiosis_cli.main([str(src), "--sheet", "质参量"]) == 2
        err = capsys.readouterr().err
        assert "sheet 质参量, row 3, column 年份: period 2020 of unit 学校 given twice" in err
        assert "sheet 质参量, row 4, column 质参量: not a number ('n/a')" in err

    def test_too_short_to_fit_still_reports_degrees(self, tmp_path, capsys, monkeypatch):
        src = tmp_path / "short.csv"
        src.write_text("year,a,b,c\n1,1,2,3\n2,2,3,4\n3,3,5,4\n4,4,6,5\n", encoding="utf-8")
        assert symbiosis_cli.main([str(src), "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["fit"]["success"] is False and "too few" in out["fit"]["message"]
        assert out["pairs"][0]["delta_sm"] == pytest.approx(
            np.mean([1.0 / 0.5, 0.5 / (2 / 3), (1 / 3) / 0.2])
        )
        assert "mode" not in out["pairs"][0]
        monkeypatch.setenv("COLUMNS", "300")
        assert symbiosis_cli.main([str(src)]) == 0
        assert (
            "未拟合动力学 · No dynamics fitted: 只有 12 个观测值，不足以估计 15 个参数；"
            "观测值须多于 15 个 · `X` has 12 observations, too few for 15 parameters; "
            "need more than 15"
        ) in capsys.readouterr().out

    def test_missing_file_and_too_few_periods(self, tmp_path, capsys):
        assert symbiosis_cli.main([str(tmp_path / "none.csv")]) == 2
        src = tmp_path / "short.csv"
        src.write_text("year,a,b\n1,1,2\n2,2,3\n", encoding="utf-8")
        assert symbiosis_cli.main([str(src)]) == 2
        assert "needs at least 3 periods" in capsys.readouterr().err


class TestGameCommand:
    def test_table(self, capsys):
        assert game_cli.main(["--model", "school_enterprise"]) == 0
        out = capsys.readouterr().out
        assert "ESS: (0, 0); (1, 1)" in out and "鞍点" in out

    def test_no_ess_and_the_threshold_in_chinese_with_english(self, capsys, monkeypatch):
        monkeypatch.setenv("COLUMNS", "200")
        values = {"delta_r": 10, "alpha": 0.9, "c_s": 3, "c_e": 6, "s_s": 6, "s_e": 8, "g_s": 0,
                  "g_e": 9, "t": 9, "f": 0}  # fmt: skip
        argv = ["--model", "school_enterprise", "--sweep", "g_e=0:4:41"]
        for name, value in values.items():
            argv += ["--set", f"{name}={value}"]
        assert game_cli.main(argv) == 0
        out = capsys.readouterr().out
        assert "ESS: 没有演化稳定策略 · no ESS" in out
        assert "│ 没有演化稳定策略 · no ESS" in out  # the sweep's row without an ESS
        assert (
            "阈值 Threshold: 在 [0, 4] 内，g_e 取任何值时，全体合作的角点都不是唯一的演化稳定策略。"
            " · The cooperative corner is not the only ESS for any g_e in [0, 4]."
        ) in out
        assert "none" not in out

    def test_threshold_in_chinese_with_english(self, capsys, monkeypatch):
        monkeypatch.setenv("COLUMNS", "200")
        assert game_cli.main(["--model", "school_enterprise", "--sweep", "g_e=0:4:41"]) == 0
        out = capsys.readouterr().out
        assert (
            "阈值 Threshold: 从 g_e = 2.5 起，全体合作的角点是唯一的演化稳定策略。 · "
            "The cooperative corner is the only ESS from g_e = 2.5 on."
        ) in out

    def test_json_with_set_and_sweep(self, capsys):
        argv = ["--model", "government_school_enterprise", "--set", "g_s=1", "--set", "p_e=1",
                "--sweep", "p_e=0:5:501", "--format", "json"]  # fmt: skip
        assert game_cli.main(argv) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["parameters"]["g_s"] == 1.0
        assert out["ess"] == [[0, 0, 1], [1, 1, 1]]
        assert out["sweep"]["threshold"] == pytest.approx(2.5, rel=1e-9)
        assert [c["ess"] for c in out["sweep"]["changes"]] == [[[0, 0, 1], [1, 1, 1]], [[1, 1, 1]]]

    def test_plots_written_as_png_and_svg(self, tmp_path, capsys):
        argv = ["--model", "school_enterprise", "--plot", str(tmp_path), "--grid", "11",
                "--sweep", "g_e=0:4:41", "--out", str(tmp_path / "g.xlsx")]  # fmt: skip
        assert game_cli.main(argv) == 0
        names = {p.name for p in tmp_path.iterdir()}
        assert {"school_enterprise_phase.png", "school_enterprise_phase.svg"} <= names
        assert {"school_enterprise_sweep_g_e.png", "school_enterprise_sweep_g_e.svg"} <= names
        assert (tmp_path / "school_enterprise_phase.png").read_bytes()[:4] == b"\x89PNG"
        assert "<svg" in (tmp_path / "school_enterprise_phase.svg").read_text()[:500]
        assert load_workbook(tmp_path / "g.xlsx").sheetnames == ["equilibria", "sweep"]

    def test_three_population_plot_without_cjk_font_warns_once(self, tmp_path, monkeypatch):
        monkeypatch.setattr(game_plots, "find_cjk_font", lambda: None)
        argv = ["--model", "government_school_enterprise", "--plot", str(tmp_path), "--grid", "2",
                "--sweep", "p_e=0:5:11", "--format", "json"]  # fmt: skip
        with pytest.warns(RuntimeWarning, match="No CJK font") as rec:
            assert game_cli.main(argv) == 0
        assert len([w for w in rec if "CJK" in str(w.message)]) == 1
        assert (tmp_path / "government_school_enterprise_phase.svg").exists()
        assert (tmp_path / "government_school_enterprise_sweep_p_e.png").exists()

    def test_basin_sweep(self, capsys):
        argv = ["--model", "government_school_enterprise", "--sweep", "p_e=0:5:6", "--basins",
                "--grid", "2", "--format", "json"]  # fmt: skip
        assert game_cli.main(argv) == 0
        shares = json.loads(capsys.readouterr().out)["sweep"]["basin_shares"]
        assert shares["(1,1,1)"][-1] == 1.0

    def test_through_the_console_script(self, capsys):
        from gongsheng.cli import main

        assert main(["gongsheng", "game", "--model", "school_enterprise", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["ess"] == [[0, 0], [1, 1]]

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["--set", "x_s=1"], "unknown parameter 'x_s'"),
            (["--set", "g_s=lots"], "'lots' is not a number"),
            (["--set", "g_s"], "expected NAME=VALUE"),
            (["--sweep", "p_e=0:5"], "expected PARAM=START:STOP:NUM"),
            (["--sweep", "p_e=5:0:10"], "need STOP > START"),
            (["--set", "alpha=2"], r"`alpha` must be in \[0, 1\]"),
        ],
    )
    def test_usage_errors(self, argv, message, capsys):
        assert game_cli.main(argv) == 2
        err = capsys.readouterr().err
        import re

        assert re.search(message, err.replace("\n", " "))


class TestNoDjango:
    def test_commands_import_without_django(self):
        import subprocess
        import sys
        from pathlib import Path

        import gongsheng

        code = (
            "import sys, gongsheng.cli.game, gongsheng.cli.symbiosis, gongsheng.cli._game_plots; "
            "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
        )
        src = str(Path(gongsheng.__file__).parents[1])
        env = {"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}
        assert subprocess.run([sys.executable, "-c", code], env=env, timeout=60).returncode == 0

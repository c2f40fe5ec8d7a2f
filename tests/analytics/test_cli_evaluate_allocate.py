"""In-process tests of ``gongsheng evaluate`` and ``gongsheng allocate``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from openpyxl import Workbook, load_workbook

from gongsheng.analytics.allocation import nash_bargaining, shapley
from gongsheng.cli import allocate, evaluate

EXAMPLES = Path(evaluate.__file__).parent / "examples"


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def english(err: str) -> list[str]:
    """The English half of each bad-cell line ("工作表 … 列：… · sheet …, row …: …")."""
    return [line.rsplit(" · ", 1)[-1] for line in err.strip().splitlines()]


TREE = [
    ["编码", "名称", "上级", "方向", "否决", "阈值", "权重", "赋权方法"],
    ["A", "师资", None, None, None, None, 0.6, None],
    ["B", "安全", None, None, None, None, 0.4, None],
    ["A1", "双师比例", "A", "正向", None, None, None, None],
    ["A2", "生师比", "A", "负向", None, None, None, None],
    ["B1", "安全事故", "B", "负向", "是", 0, None, None],
]
DATA = [
    ["单位", "A1", "生师比", "B1"],
    ["甲", 0.8, 15, 0],
    ["乙", 0.6, 12, 0],
    ["丙", 0.9, 14, 1],
]


class TestEvaluateCommand:
    def test_example_csv_json(self, capsys):
        status = evaluate.main(
            [
                str(EXAMPLES / "evaluate_data.csv"),
                "--tree",
                str(EXAMPLES / "evaluate_indicators.csv"),
                "--format",
                "json",
            ]
        )
        assert status == 0
        out = json.loads(capsys.readouterr().out)
        ranks = {e["entity"]: e["rank"] for e in out["entities"]}
        assert ranks["丙职业学院"] == 4  # fails the veto indicator C1
        assert out["group_methods"]["A"] == "entropy"
        leaves = [i for i in out["indicators"] if i["code"] in ("A1", "A2", "B1", "B2", "C1")]
        assert_allclose(sum(i["global_weight"] for i in leaves), 1.0)

    def test_xlsx_table_and_excel_output(self, tmp_path, capsys):
        path = workbook(tmp_path / "in.xlsx", {"数据": DATA, "指标": TREE})
        out = tmp_path / "out.xlsx"
        assert evaluate.main([str(path), "--out", str(out)]) == 0
        printed = capsys.readouterr().out
        assert "双师比例" in printed and "fails B1" in printed
        ws = load_workbook(out)["scores"]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][:4] == ("entity", "overall", "rank", "passed")
        assert_allclose([r[1] for r in rows[1:]], [0.6, 0.7, 0.4])
        assert [r[2] for r in rows[1:]] == [2, 1, 3]

    def test_english_headers_and_ahp_sheet(self, tmp_path, capsys):
        tree = [
            ["code", "name", "parent", "direction", "method"],
            ["G", "goal", None, None, "ahp"],
            ["x", "x", "G", "benefit", None],
            ["y", "y", "G", "cost", None],
        ]
        pairs = [["group", "row", "col", "value"], ["G", "x", "y", 3]]
        data = [["entity", "x", "y"], ["a", 1, 1], ["b", 0, 0]]
        path = workbook(tmp_path / "e.xlsx", {"data": data, "indicators": tree, "pairwise": pairs})
        assert evaluate.main([str(path), "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        local = {i["code"]: i["local_weight"] for i in out["indicators"]}
        assert_allclose([local["x"], local["y"]], [0.75, 0.25])
        assert out["consistency"]["G"]["consistent"]

    def test_bad_cells_all_reported_and_nothing_written(self, tmp_path, capsys):
        tree = [row[:] for row in TREE]
        tree[3][3] = "向上"  # bad direction
        tree[5][5] = None  # veto without threshold
        tree[4][2] = "Z"  # unknown parent
        data = [row[:] for row in DATA]
        data[2][1] = "n/a"
        path = workbook(tmp_path / "bad.xlsx", {"数据": data, "指标": tree})
        out = tmp_path / "out.xlsx"
        assert evaluate.main([str(path), "--out", str(out)]) == 2
        err = english(capsys.readouterr().err)
        assert (
            "sheet 指标, row 4, column 方向: '向上' is not a direction (正向/负向, benefit/cost)"
            in err
        )
        assert "sheet 指标, row 6, column 阈值: empty cell, a number is required" in err
        assert "sheet 指标, row 5, column 上级: unknown parent 'Z'" in err
        assert not out.exists()

    def test_bad_cells_in_chinese_with_english(self, tmp_path, capsys):
        data = [row[:] for row in DATA]
        data[3][2] = "很多"
        path = workbook(tmp_path / "bad.xlsx", {"数据": data, "指标": TREE})
        assert evaluate.main([str(path)]) == 2
        assert capsys.readouterr().err.strip() == (
            "工作表 数据 第 4 行 生师比 列：'很多' 不是数字 · "
            "sheet 数据, row 4, column 生师比: '很多' is not a number"
        )

    def test_tree_and_data_cells_reported_together(self, tmp_path, capsys):
        tree = [row[:] for row in TREE]
        tree[3][3] = "向上"
        data = [row[:] for row in DATA]
        data[3][2] = "很多"
        path = workbook(tmp_path / "bad.xlsx", {"数据": data, "指标": tree})
        assert evaluate.main([str(path)]) == 2
        assert english(capsys.readouterr().err) == [
            "sheet 指标, row 4, column 方向: '向上' is not a direction (正向/负向, benefit/cost)",
            "sheet 数据, row 4, column 生师比: '很多' is not a number",
        ]

    def test_bad_data_cells(self, tmp_path, capsys):
        data = [row[:] for row in DATA]
        data[2][1] = "n/a"
        data[3][3] = None
        data[0].append("extra")
        path = workbook(tmp_path / "bad.xlsx", {"数据": data, "指标": TREE})
        assert evaluate.main([str(path)]) == 2
        err = english(capsys.readouterr().err)
        assert err == [
            "sheet 数据, row 1, column extra: not a leaf indicator code or name of the indicator sheet",
            "sheet 数据, row 3, column A1: 'n/a' is not a number",
            "sheet 数据, row 4, column B1: empty cell, a number is required",
        ]

    def test_gbk_csv_from_chinese_excel(self, tmp_path, capsys):
        data = tmp_path / "data.csv"
        tree = tmp_path / "tree.csv"
        data.write_bytes((EXAMPLES / "evaluate_data.csv").read_text("utf-8").encode("gb18030"))
        tree.write_bytes(
            (EXAMPLES / "evaluate_indicators.csv").read_text("utf-8").encode("gb18030")
        )
        assert evaluate.main([str(data), "--tree", str(tree), "--format", "json"]) == 0
        assert "甲职业学院" in capsys.readouterr().out

    def test_csv_needs_tree(self, capsys):
        assert evaluate.main([str(EXAMPLES / "evaluate_data.csv")]) == 2
        assert "--tree" in capsys.readouterr().err


COALITIONS = [
    ["联盟", "收益"],
    ["A", 1],
    ["B", 2],
    ["C", 0],
    ["A+B", 6],
    ["A,C", 2],
    ["B、C", 3],
    ["A+B+C", 9],
]


class TestAllocateCommand:
    def expected_game(self):
        v = np.zeros(8)
        v[[1, 2, 4, 3, 5, 6, 7]] = [1, 2, 0, 6, 2, 3, 9]
        return v

    def test_xlsx_json(self, tmp_path, capsys):
        factors = [
            ["参与方", "风险", "投入"],
            ["A", 1, 2],
            ["B", 1, 1],
            ["C", 2, 1],
            ["权重", 0.5, 0.5],
        ]
        players = [["参与方", "谈判破裂点", "议价能力"], ["A", 1, 2], ["B", 2, 1], ["C", 0, 1]]
        path = workbook(
            tmp_path / "g.xlsx", {"联盟": COALITIONS, "因素": factors, "参与方": players}
        )
        assert allocate.main([str(path), "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        v = self.expected_game()
        assert out["players"] == ["A", "B", "C"]
        assert_allclose(out["shapley"], shapley(v))
        assert_allclose(sum(out["modified_shapley"]), 9.0)
        assert_allclose(out["nash"], nash_bargaining(9.0, [1, 2, 0], powers=[2, 1, 1]))
        assert out["core"]["shapley_in_core"] is True

    def test_example_csv_table_and_excel(self, tmp_path, capsys):
        out = tmp_path / "a.xlsx"
        status = allocate.main(
            [
                str(EXAMPLES / "allocate_coalitions.csv"),
                "--factors",
                str(EXAMPLES / "allocate_factors.csv"),
                "--out",
                str(out),
            ]
        )
        assert status == 0
        assert "in the core" in capsys.readouterr().out
        rows = list(load_workbook(out)["allocation"].iter_rows(values_only=True))
        assert rows[0] == (
            "player",
            "standalone",
            "shapley",
            "modified_shapley",
            "nash",
            "disagreement",
        )
        assert_allclose(sum(r[2] for r in rows[1:]), 520)

    def test_not_in_core_reported(self, tmp_path, capsys):
        glove = [
            ["coalition", "value"],
            ["L", 0],
            ["R1", 0],
            ["R2", 0],
            ["L+R1", 1],
            ["L+R2", 1],
            ["R1+R2", 0],
            ["L+R1+R2", 1],
        ]
        path = workbook(tmp_path / "glove.xlsx", {"coalitions": glove})
        assert allocate.main([str(path)]) == 0
        assert "NOT in the core" in capsys.readouterr().out

    def test_bad_cells_all_reported(self, tmp_path, capsys):
        rows = [r[:] for r in COALITIONS if r[0] != "B、C"]
        rows[2][1] = "two"
        rows.append(["A+A", 3])
        path = workbook(tmp_path / "bad.xlsx", {"联盟": rows})
        out = tmp_path / "out.xlsx"
        assert allocate.main([str(path), "--out", str(out)]) == 2
        err = english(capsys.readouterr().err)
        assert err == [
            "sheet 联盟, row 3, column 收益: 'two' is not a number",
            "sheet 联盟, row 8, column 联盟: 'A+A' must name distinct members, e.g. A+B",
            "sheet 联盟, row -, column 联盟: coalition B+C is missing (every coalition must be defined)",
        ]
        assert not out.exists()

    def test_coalition_and_factor_cells_reported_together(self, tmp_path, capsys):
        rows = [r[:] for r in COALITIONS]
        rows[1][1] = "?"
        factors = [["player", "risk"], ["A", 1], ["B", "x"], ["C", 1]]
        path = workbook(tmp_path / "f.xlsx", {"coalitions": rows, "factors": factors})
        assert allocate.main([str(path)]) == 2
        assert english(capsys.readouterr().err) == [
            "sheet coalitions, row 2, column 收益: '?' is not a number",
            "sheet factors, row 3, column risk: 'x' is not a number",
        ]

    def test_bad_factor_cells(self, tmp_path, capsys):
        factors = [["player", "risk"], ["A", -1], ["B", "x"], ["D", 1]]
        path = workbook(tmp_path / "f.xlsx", {"coalitions": COALITIONS, "factors": factors})
        assert allocate.main([str(path)]) == 2
        err = english(capsys.readouterr().err)
        assert "sheet factors, row 2, column risk: factor -1.0 is negative" in err
        assert "sheet factors, row 3, column risk: 'x' is not a number" in err
        assert (
            "sheet factors, row 4, column player: 'D' is not a player of the coalition table" in err
        )
        assert "sheet factors, row -, column player: player C is missing" in err

    def test_one_player_is_valid_json(self, tmp_path, capsys):
        path = workbook(tmp_path / "one.xlsx", {"coalitions": [["coalition", "value"], ["A", 5]]})
        assert allocate.main([str(path), "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["shapley"] == [5.0] and out["core"]["max_excess"] is None
        assert allocate.main([str(path)]) == 0

    @pytest.mark.parametrize("name", ["missing.xlsx", "x.txt"])
    def test_bad_files(self, tmp_path, name, capsys):
        p = tmp_path / name
        if name.endswith(".txt"):
            p.write_text("hello")
        assert allocate.main([str(p)]) == 2
        assert capsys.readouterr().err


class TestShippedWorkbooks:
    def test_evaluate_example_xlsx_matches_csv(self, capsys):
        assert evaluate.main([str(EXAMPLES / "evaluate_example.xlsx"), "--format", "json"]) == 0
        from_xlsx = json.loads(capsys.readouterr().out)
        csv_args = [
            str(EXAMPLES / "evaluate_data.csv"),
            "--tree",
            str(EXAMPLES / "evaluate_indicators.csv"),
        ]
        assert evaluate.main([*csv_args, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == from_xlsx

    def test_allocate_example_xlsx_matches_csv(self, capsys):
        assert allocate.main([str(EXAMPLES / "allocate_example.xlsx"), "--format", "json"]) == 0
        from_xlsx = json.loads(capsys.readouterr().out)
        csv_args = [
            str(EXAMPLES / "allocate_coalitions.csv"),
            "--factors",
            str(EXAMPLES / "allocate_factors.csv"),
        ]
        assert allocate.main([*csv_args, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == from_xlsx

"""Reading and checking analysis workbooks; the shipped template and example."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from gongsheng.workbook import build_files
from gongsheng.workbook.model import OUTSIDE, WorkbookInvalid
from gongsheng.workbook.reading import read_workbook


def make(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


UNITS = [
    ["代码", "名称", "类别", "牵头"],
    ["S", "学校", "学校", "是"],
    ["E", "企业", "enterprise", None],
]
LEDGER_HEAD = ["日期", "给出方", "接收方", "类别", "数量", "计量单位", "价值（元）", "备注"]


def values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


class TestShippedFiles:
    def test_committed_files_equal_what_the_script_builds(self, tmp_path):
        assert values(build_files.build_template(tmp_path / "t.xlsx")) == values(
            build_files.TEMPLATE
        )
        assert values(build_files.build_example(tmp_path / "e.xlsx")) == values(build_files.EXAMPLE)

    def test_template_has_readme_and_every_sheet(self):
        names = load_workbook(build_files.TEMPLATE).sheetnames
        assert names[0] == "说明"
        assert names[1:] == [
            "单元", "项目池", "台账", "合作事件", "质参量", "指标定义", "指标数据", "联盟价值", "设置",
        ]  # fmt: skip
        readme = values(build_files.TEMPLATE)["说明"]
        assert any(r[1] == "价值（元）" and r[2] == "value (CNY)" for r in readme)

    def test_blank_template_is_refused_with_reasons(self):
        with pytest.raises(WorkbookInvalid) as exc:
            read_workbook(build_files.TEMPLATE)
        text = str(exc.value)
        assert "sheet 台账: the ledger has no rows" in text
        assert "sheet 单元: needs at least 2 units" in text

    def test_template_round_trip(self, tmp_path):
        """Fill the blank template with openpyxl and read it back."""
        wb = load_workbook(build_files.TEMPLATE)
        wb["单元"].append(["S", "学校甲", "学校", "是"])
        wb["单元"].append(["E", "企业乙", "企业", "否"])
        wb["项目池"].append(["P", "联合项目"])
        for row in (
            [dt.date(2023, 1, 5), "S", "P", "师资", 2, "人", 100.0, ""],
            [dt.date(2023, 1, 6), "E", "P", "设备", None, None, 300.0, ""],
            [dt.date(2023, 6, 1), "P", "E", "人才", None, None, 500.0, ""],
            [dt.date(2023, 6, 2), "外部", "S", "资金", None, None, 50.0, ""],
        ):
            wb["台账"].append(row)
        wb["合作事件"].append(["S", "E", dt.date(2023, 1, 1), None, "培养", "是", "协议1"])
        path = tmp_path / "filled.xlsx"
        wb.save(path)
        data = read_workbook(path)
        assert [u.code for u in data.units] == ["S", "E"]
        assert data.units[0].group == "school" and data.units[0].lead
        assert data.units[1].group == "enterprise" and not data.units[1].lead
        assert [(f.giver, f.receiver, f.value) for f in data.flows] == [
            ("S", "P", 100.0), ("E", "P", 300.0), ("P", "E", 500.0), (OUTSIDE, "S", 50.0),
        ]  # fmt: skip
        ep = data.episodes[0]
        assert (ep.a, ep.b, ep.start, ep.end, ep.joint_body) == (
            "S", "E", dt.date(2023, 1, 1), None, True,
        )  # fmt: skip
        assert data.settings["tolerance"] == 0.05 and data.settings["inactive_months"] == 12

    def test_example_reads(self):
        data = read_workbook(build_files.EXAMPLE)
        assert len(data.units) == 11 and len(data.pools) == 3
        assert len(data.flows) == 4 * 30 + 2
        assert set(data.series) == {"S1", "S3", "E1", "E2", "R1"}
        assert data.settings["year_to"] == 2024
        assert len(data.coalitions) == 7


class TestBadCells:
    def test_every_bad_cell_named_at_once(self, tmp_path):
        path = make(
            tmp_path / "bad.xlsx",
            {
                "units": [
                    ["code", "name", "group"],
                    ["S", "school", "school"],
                    ["E", "firm", "factory"],  # bad group
                    ["S", "again", "school"],  # duplicate code
                ],
                "台账": [
                    LEDGER_HEAD,
                    [dt.date(2023, 1, 1), "S", "E", None, None, None, 100, None],
                    ["2023-13-01", "S", "X", None, None, None, "lots", None],
                    [dt.date(2023, 1, 2), "S", "S", None, -1, None, 0, None],
                    [None, "外部", "outside", None, None, None, 5, None],
                ],
                "合作事件": [
                    ["单元A", "单元B", "开始", "结束", "维度", "共建实体"],
                    ["S", "E", dt.date(2023, 5, 1), dt.date(2023, 4, 1), "x", "maybe"],
                    ["S", "Q", "soon", None, None, None],
                ],
                "质参量": [
                    ["单元", "年份", "质参量"],
                    ["S", 2021, 1],
                    ["S", 2021, 2],
                    ["E", "21年", 0],
                ],
                "设置": [["参数", "值"], ["容差", 2], ["colour", "red"], ["起始年份", "later"]],
            },
        )
        with pytest.raises(WorkbookInvalid) as exc:
            read_workbook(path)
        got = [str(p) for p in exc.value.problems]
        expected = [
            "sheet units, row 3, column group: 'factory' is not one of 政府、学校、企业、科研、其他",
            "sheet units, row 4, column code: code S given twice (also row 2)",
            "sheet 台账, row 3, column 日期: not a date ('2023-13-01')",
            "sheet 台账, row 3, column 接收方: 'X' is not a unit code, a pool code or 外部/outside",
            "sheet 台账, row 3, column 价值（元）: not a number ('lots')",
            "sheet 台账, row 4, column 数量: must not be negative (got -1)",
            "sheet 台账, row 4, column 价值（元）: must be greater than 0 (got 0)",
            "sheet 台账, row 4, column 接收方: gives to itself (S)",
            "sheet 台账, row 5, column 日期: empty cell",
            "sheet 台账, row 5, column 接收方: both sides outside",
            "sheet 合作事件, row 2, column 共建实体: write 是/否 or yes/no (got 'maybe')",
            "sheet 合作事件, row 2, column 结束: ends before it starts (2023-05-01)",
            "sheet 合作事件, row 3, column 开始: not a date ('soon')",
            "sheet 合作事件, row 3, column 单元B: 'Q' is not a unit code",
            "sheet 质参量, row 3, column 年份: period 2021 of unit S given twice (also row 2)",
            "sheet 质参量, row 4, column 年份: not a year ('21年'); write it like 2023",
            "sheet 质参量, row 4, column 质参量: must be greater than 0 (got 0)",
            "sheet 设置, row 2, column 值: 容差: must be at most 1 (got 2)",
            "sheet 设置, row 4, column 值: 起始年份: not a number ('later')",
        ]
        for line in expected:
            assert any(g.startswith(line) for g in got), line
        assert any(
            g.startswith("sheet 设置, row 3, column 参数: unknown setting 'colour'") for g in got
        )
        assert len(got) == len(expected) + 1

    def test_missing_sheets_and_columns(self, tmp_path):
        path = make(tmp_path / "m.xlsx", {"单元": [["代码", "名称"], ["A", "a"]]})
        with pytest.raises(WorkbookInvalid) as exc:
            read_workbook(path)
        got = [str(p) for p in exc.value.problems]
        assert "sheet 单元, row 1, column 类别: missing column 类别 (group)" in got
        assert "sheet 台账: missing sheet 台账 (ledger)" in got

    def test_pools_indicators_and_coalitions(self, tmp_path):
        path = make(
            tmp_path / "p.xlsx",
            {
                "单元": UNITS,
                "项目池": [
                    ["代码", "名称"],
                    ["P", "p"],
                    ["S", "clash"],
                    ["P", "twice"],
                    ["P2", "q"],
                ],
                "台账": [
                    LEDGER_HEAD,
                    [dt.date(2023, 1, 1), "S", "P", None, None, None, 1, None],
                    [dt.date(2023, 1, 1), "P", "P2", None, None, None, 1, None],
                ],
                "指标定义": [["指标", "方向", "权重"], ["x", "正向", 0.5], ["y", "sideways", None]],
                "指标数据": [["对象", "x", "z"], ["2021", 1, "a"], ["2021", 2, 3]],
                "联盟价值": [["联盟", "价值"], ["S", 1], ["S、Q", 2], ["E", "n"]],
            },
        )
        with pytest.raises(WorkbookInvalid) as exc:
            read_workbook(path)
        got = [str(p) for p in exc.value.problems]
        for line in [
            "sheet 项目池, row 3, column 代码: code S is already a unit code",
            "sheet 项目池, row 4, column 代码: code P given twice (also row 2)",
            "sheet 台账, row 3, column 接收方: a pool cannot give to a pool (P → P2); give to units",
            "sheet 指标定义, row 3, column 方向: write 正向/负向 or benefit/cost (got 'sideways')",
            "sheet 指标定义, row 3, column 权重: give a weight for every indicator or for none",
            "sheet 指标数据, row 1, column z: indicator z is not in the sheet 指标定义",
            "sheet 指标数据, row 2, column z: not a number ('a')",
            "sheet 指标数据, row 3, column 对象: 2021 given twice (also row 2)",
            "sheet 联盟价值, row 3, column 联盟: not unit codes: Q",
            "sheet 联盟价值, row 4, column 价值: not a number ('n')",
        ]:
            assert line in got, line

    def test_not_a_workbook(self, tmp_path):
        p = tmp_path / "x.xlsx"
        p.write_bytes(b"hello")
        with pytest.raises(WorkbookInvalid, match=r"not really a \.xlsx file"):
            read_workbook(p)
        with pytest.raises(WorkbookInvalid, match="file not found"):
            read_workbook(tmp_path / "none.xlsx")
        with pytest.raises(WorkbookInvalid, match="unsupported file type"):
            read_workbook(b"a,b", "data.csv")


class TestMinimalAndEnglish:
    def test_english_sheets_and_headers_units_and_ledger_only(self, tmp_path):
        from gongsheng.workbook.analysis import analyse
        from gongsheng.workbook.report import render_all

        path = make(
            tmp_path / "en.xlsx",
            {
                "Units": [
                    ["Code", "Name", "Group"],
                    ["S", "School", "school"],
                    ["E", "Firm", "企业"],
                ],
                "Ledger": [
                    ["Date", "Giver", "Receiver", "Value (CNY)"],
                    ["2023/3/1", "S", "E", 100],
                    ["2023年6月1日", "E", "S", 100],
                    [dt.date(2024, 1, 1), "Outside", "S", 40],
                ],
            },
        )
        data = read_workbook(path)
        assert [f.date for f in data.flows] == [
            dt.date(2023, 3, 1), dt.date(2023, 6, 1), dt.date(2024, 1, 1),
        ]  # fmt: skip
        report = analyse(data)
        pair = report["pairs"][0]
        assert (pair["a"], pair["b"], pair["behaviour"], pair["energy"]) == (
            "S", "E", "independent", 0.0,
        )  # fmt: skip
        assert pair["organisation"] is None and pair["organisation_zh"] == "无合作事件"
        assert report["window"]["years"] == [2023, 2024]
        assert report["evaluation"] is None and report["allocation"] is None
        assert any("合作事件" in n for n in report["meta"]["notes"])
        files = render_all(report)
        assert set(files) == {"report.html", "report.json", "report.xlsx"}

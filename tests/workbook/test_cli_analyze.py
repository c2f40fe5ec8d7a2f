"""``gongsheng analyze``: exit codes, files written or not, the template."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

import gongsheng
from gongsheng.cli import analyze, main
from gongsheng.workbook import build_files


def test_example_through_the_console_script(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["gongsheng", "analyze", str(build_files.EXAMPLE), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.xlsx"]
    err = capsys.readouterr().err
    assert "11 units, 14 pairs" in err and "wrote" in err
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["meta"]["source"] == (
        "example.xlsx"
    )


def test_bad_workbook_exit_2_every_cell_named_nothing_written(tmp_path, capsys):
    wb = load_workbook(build_files.EXAMPLE)
    wb["单元"]["C3"] = "工厂"  # group of G2
    wb["台账"]["G2"] = "很多"  # value of the first ledger row
    wb["台账"]["C5"] = "Z9"  # an unknown receiver
    wb["合作事件"]["C2"] = "明年"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    out = tmp_path / "out"
    assert analyze.main([str(bad), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "sheet 单元, row 3, column 类别: '工厂' is not one of" in err
    assert "sheet 台账, row 2, column 价值（元）: not a number ('很多')" in err
    assert "sheet 台账, row 5, column 接收方: 'Z9' is not a unit code" in err
    assert "sheet 合作事件, row 2, column 开始: not a date ('明年')" in err
    assert "4 problem(s); no report written." in err
    assert not out.exists()


def test_template_written(tmp_path, capsys):
    target = tmp_path / "blank.xlsx"
    assert analyze.main(["--template", str(target)]) == 0
    assert target.read_bytes() == build_files.TEMPLATE.read_bytes()
    assert analyze.main(["--template", str(tmp_path)]) == 0  # a directory: keeps the name
    assert (tmp_path / "template.xlsx").exists()
    assert analyze.main(["--example", str(tmp_path / "ex.xlsx")]) == 0
    assert load_workbook(tmp_path / "ex.xlsx").sheetnames[0] == "说明"


def test_usage_errors(tmp_path, capsys):
    assert analyze.main([]) == 2
    assert analyze.main([str(build_files.EXAMPLE)]) == 2  # no --out
    assert analyze.main(["--template", str(tmp_path / "t.csv")]) == 2
    file = tmp_path / "file"
    file.write_text("x")
    assert analyze.main([str(build_files.EXAMPLE), "--out", str(file)]) == 2
    assert analyze.main([str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "usage: gongsheng analyze" in err and "file not found" in err
    assert not (tmp_path / "o").exists()


def test_runs_without_django():
    code = (
        "import sys, gongsheng.cli.analyze, gongsheng.workbook.analysis, "
        "gongsheng.workbook.report, gongsheng.workbook.reading; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    src = Path(gongsheng.__file__).parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=src, check=False).returncode == 0

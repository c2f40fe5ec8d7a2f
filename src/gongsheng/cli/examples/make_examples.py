"""Build the example workbooks from the CSV files beside this script.

    python src/gongsheng/cli/examples/make_examples.py

evaluate_example.xlsx: sheets 数据 (evaluate_data.csv) and 指标 (evaluate_indicators.csv).
allocate_example.xlsx: sheets 联盟 (allocate_coalitions.csv) and 因素 (allocate_factors.csv).
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def _cell(text: str):
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return text


def build(target: str, sheets: dict[str, str]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, source in sheets.items():
        ws = wb.create_sheet(sheet)
        with open(HERE / source, newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.reader(fh)):
                ws.append(row if i == 0 else [_cell(c) for c in row])
    wb.save(HERE / target)
    return HERE / target


if __name__ == "__main__":
    build(
        "evaluate_example.xlsx",
        {"数据": "evaluate_data.csv", "指标": "evaluate_indicators.csv"},
    )
    build(
        "allocate_example.xlsx",
        {"联盟": "allocate_coalitions.csv", "因素": "allocate_factors.csv"},
    )

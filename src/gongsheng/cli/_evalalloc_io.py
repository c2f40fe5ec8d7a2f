"""Reading sheets for ``gongsheng evaluate`` and ``gongsheng allocate``.

Small and explicit: a sheet is a list of rows under a header; headers are
matched against Chinese labels and English code names; every bad cell is
collected as "sheet X, row N, column Y: reason" so that all of them can be
reported at once.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_UNIT = re.compile(r"[\(（][^\)）]*[\)）]\s*$")


def fold(text: str) -> str:
    """A header or sheet name folded for matching: case, outer spaces and a trailing
    parenthesised unit dropped (``价值（元）`` = ``价值``), as the workbook's reader does."""
    return _UNIT.sub("", text.strip()).strip().casefold()


class InputError(Exception):
    """Bad input: ``problems`` lists every bad cell."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Sheet:
    """One table: its name, header labels and rows (row numbers as in the file)."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    problems: list[str] = field(default_factory=list)

    def bad(self, row: int | str, column: str, reason: str, zh: str = "") -> None:
        """Record a bad cell: "中文 · English" when the reason has Chinese words (``zh``)."""
        en = f"sheet {self.name}, row {row}, column {column}: {reason}"
        if zh:
            en = f"工作表 {self.name} 第 {row} 行 {column} 列：{zh} · {en}"
        self.problems.append(en)

    def column(self, aliases: tuple[str, ...], *, required: bool = True) -> int | None:
        """Index of the first header matching one of ``aliases`` (case-insensitive)."""
        wanted = {fold(a) for a in aliases}
        for j, label in enumerate(self.header):
            if fold(label) in wanted:
                return j
        if required:
            self.bad(1, aliases[0], f"missing column (accepted headers: {', '.join(aliases)})",
                     zh=f"缺少此列（可用的列名：{'、'.join(aliases)}）")  # fmt: skip
        return None


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value if value else None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _table(name: str, raw: list[list[Any]]) -> Sheet:
    rows = [[_clean(c) for c in r] for r in raw]
    # drop trailing empty rows; keep the file's row numbers (header = row 1)
    while rows and all(c is None for c in rows[-1]):
        rows.pop()
    if not rows:
        return Sheet(name, [], [], [f"sheet {name}, row 1, column -: the sheet is empty"])
    header = ["" if c is None else str(c) for c in rows[0]]
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c is not None for c in r)]
    return Sheet(name, header, body)


def read_csv(path: Path, name: str | None = None) -> Sheet:
    """A CSV file as a sheet: UTF-8 (with or without BOM), else GB18030 (Chinese Excel)."""
    if not path.exists():
        raise InputError([f"文件 {path} 不存在 · file {path}: not found"])
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError([f"file {path}: neither UTF-8 nor GB18030 text"])
    raw = list(csv.reader(io.StringIO(text, newline="")))
    return _table(name or path.stem, raw)


def read_workbook(path: Path) -> dict[str, Sheet]:
    """Every sheet of a spreadsheet (xlsx, xls, ods) by name, in file order."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    try:
        return {
            n: _table(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False))
            for n in wb.sheet_names
        }
    finally:
        wb.close()


def pick_sheet(
    sheets: dict[str, Sheet], wanted: str | None, aliases: tuple[str, ...], position: int | None
) -> Sheet | None:
    """The sheet named ``wanted``, else one whose name matches an alias, else by position."""
    if wanted is not None:
        if wanted not in sheets:
            raise InputError([f"sheet {wanted}: no such sheet (sheets: {', '.join(sheets)})"])
        return sheets[wanted]
    folded = {fold(n): s for n, s in sheets.items()}
    for alias in aliases:
        if fold(alias) in folded:
            return folded[fold(alias)]
    names = list(sheets)
    if position is not None and position < len(names):
        return sheets[names[position]]
    return None


def number(sheet: Sheet, rownum: int, column: str, value: Any, *, required: bool = True):
    """``value`` as a finite float, or None after recording the bad cell."""
    if value is None:
        if required:
            sheet.bad(
                rownum, column, "empty cell, a number is required", zh="单元格为空，需要填数字"
            )
        return None
    if isinstance(value, bool):
        sheet.bad(rownum, column, f"{value!r} is not a number", zh=f"{value!r} 不是数字")
        return None
    try:
        x = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        sheet.bad(rownum, column, f"{value!r} is not a number", zh=f"{value!r} 不是数字")
        return None
    if not math.isfinite(x):
        sheet.bad(rownum, column, f"{value!r} is not a finite number", zh=f"{value!r} 不是有限的数")
        return None
    return x


def cell(row: list[Any], j: int | None) -> Any:
    return row[j] if j is not None and j < len(row) else None


def label(value: Any) -> str:
    """A cell as text (integral floats as integers: 1.0 -> "1")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

"""The sheets of an analysis workbook: the file opened, each sheet's header matched to the schema.

:func:`load_sheets` refuses files that are not a workbook; :class:`SheetReader` finds the
schema's columns under the headers as written and yields every row parsed, collecting the
problems of its sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gongsheng.workbook import schema
from gongsheng.workbook.model import Problem, WorkbookInvalid
from gongsheng.workbook.reading.cells import PARSERS, CellError, text

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Row = tuple[int, dict[str, Any], set[str], list[Any]]


def load_sheets(source: str | Path | bytes, name: str = "") -> dict[str, list[list[Any]]]:
    """Every sheet of a workbook file (path) or upload (bytes) as rows of Python values."""
    from python_calamine import CalamineWorkbook

    label = name or (Path(source).name if not isinstance(source, bytes) else "workbook")
    if isinstance(source, bytes):
        data = source
        ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ".xlsx"
    else:
        path = Path(source)
        if not path.exists():
            raise WorkbookInvalid([Problem(label, None, None, "file not found")])
        data = path.read_bytes()
        ext = path.suffix.lower()
    if ext not in EXTENSIONS:
        raise WorkbookInvalid(
            [Problem(label, None, None, f"unsupported file type {ext!r} (use .xlsx, .xls or .ods)")]
        )
    if not data:
        raise WorkbookInvalid([Problem(label, None, None, "the file is empty")])
    if not data.startswith(_OLE if ext == ".xls" else _ZIP):
        raise WorkbookInvalid([Problem(label, None, None, f"not really a {ext} file")])
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {
            s: book.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in book.sheet_names
        }
    except Exception as exc:  # calamine raises its own error types
        raise WorkbookInvalid([Problem(label, None, None, f"could not be read: {exc}")]) from exc


class SheetReader:
    """Matches a sheet's header row to the schema and yields parsed rows."""

    def __init__(self, spec: schema.Sheet, title: str, raw: list[list[Any]], out: list[Problem]):
        self.spec, self.title, self.problems = spec, title, out
        numbered = [(k, r) for k, r in enumerate(raw, start=1) if any(text(c) for c in r)]
        self.header_row = numbered[0][0] if numbered else 1
        header = [text(c) for c in numbered[0][1]] if numbered else []
        self.header = header
        self.body = numbered[1:]
        self.index: dict[str, int] = {}
        self.extra: list[int] = []  # data columns of a wide sheet
        seen: dict[str, int] = {}
        for i, h in enumerate(header):
            if not h:
                if spec.wide and any(text(self.cell(r, i)) for _, r in self.body):
                    self.bad(self.header_row, f"#{i + 1}", "a data column needs a header")
                continue
            f = schema.fold(h)
            if f in seen:
                self.bad(self.header_row, h, f"column given twice (also column {seen[f] + 1})")
                continue
            seen[f] = i
            col = next((c for c in spec.columns if f in c.names()), None)
            if col is not None and col.key not in self.index:
                self.index[col.key] = i
            elif spec.wide:
                self.extra.append(i)
        for c in spec.columns:
            if c.required and c.key not in self.index:
                self.bad(self.header_row, c.zh, f"missing column {c.zh} ({c.en})")
        self.ok = all(not c.required or c.key in self.index for c in spec.columns)

    @staticmethod
    def cell(r: list[Any], i: int) -> Any:
        return r[i] if i < len(r) else None

    def bad(self, row: int | None, column: str | None, reason: str) -> None:
        self.problems.append(Problem(self.title, row, column, reason))

    def name_of(self, key: str) -> str:
        return self.header[self.index[key]] if key in self.index else self.spec.column(key).zh

    def twice(self, row: int, key: str, what: str, first: int) -> None:
        """``what`` stood already in row ``first``: say so at the cell of ``key``."""
        self.bad(row, self.name_of(key), f"{what} given twice (also row {first})")

    def rows(self) -> Iterator[Row]:
        """(row number, {key: parsed value or None}, set of keys whose cell was bad, raw row)."""
        if not self.ok:
            return
        for k, r in self.body:
            values: dict[str, Any] = {}
            failed: set[str] = set()
            for c in self.spec.columns:
                if c.key not in self.index:
                    values[c.key] = None
                    continue
                raw = self.cell(r, self.index[c.key])
                if not text(raw) and c.kind != "bool":
                    if c.required:
                        self.bad(k, self.name_of(c.key), "empty cell")
                        failed.add(c.key)
                    values[c.key] = None
                    continue
                try:
                    values[c.key] = PARSERS[c.kind](raw)
                except CellError as exc:
                    self.bad(k, self.name_of(c.key), str(exc))
                    failed.add(c.key)
                    values[c.key] = None
            yield k, values, failed, r


def find_sheet(sheets: dict[str, list[list[Any]]], spec: schema.Sheet) -> str | None:
    return next((s for s in sheets if schema.fold(s) in spec.names()), None)

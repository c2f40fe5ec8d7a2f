"""Reading uploaded tables: .xlsx, .xls and .ods through python-calamine, .csv with the standard
library; the file type is checked by its content, not only its name."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from gongsheng.core.errors import FieldError, ValidationFailed

EXTENSIONS = {".xlsx", ".xls", ".ods", ".csv"}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Table:
    sheet: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def _problem(message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError("file", message)])


def check_upload(name: str, data: bytes) -> str:
    """The file's extension after checking its size and that its content matches it."""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in EXTENSIONS:
        raise _problem(
            _("%(name)s: only .xlsx, .xls, .ods and .csv files can be imported.") % {"name": name}
        )
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise _problem(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": round(settings.UPLOAD_MAX_BYTES / (1024 * 1024), 1)}
        )
    if not data:
        raise _problem(_("%(name)s is empty.") % {"name": name})
    ok = {
        ".xlsx": data.startswith(_ZIP),
        ".ods": data.startswith(_ZIP),
        ".xls": data.startswith(_OLE),
        ".csv": b"\x00" not in data[:4096],
    }[ext]
    if not ok:
        raise _problem(_("%(name)s is not really a %(ext)s file.") % {"name": name, "ext": ext})
    return ext


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _problem(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_table(name: str, data: bytes, *, sheet: str | None = None) -> Table:
    """The first sheet (or the named one) as a header and numbered rows; empty rows skipped."""
    ext = check_upload(name, data)
    raw: list[list[Any]]
    if ext == ".csv":
        text = _decode(data)
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        raw = list(csv.reader(io.StringIO(text), dialect))
        sheet_name = name
    else:
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = book.sheet_names
            sheet_name = sheet if sheet in names else names[0]
            raw = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types
            raise _problem(
                _("%(name)s could not be read: %(reason)s") % {"name": name, "reason": exc}
            ) from exc
    if not raw:
        raise _problem(_("%(name)s has no header row.") % {"name": name})
    header = ["" if c is None else str(c).strip() for c in raw[0]]
    rows = []
    for index, cells in enumerate(raw[1:], start=2):
        if all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        rows.append((index, list(cells)))
    return Table(sheet=sheet_name, header=header, rows=rows)

"""Reading uploaded tables: .xlsx, .xls and .ods through python-calamine, .csv with the standard
library; the file type is checked by its content, not only its name."""

from __future__ import annotations

import csv
import io
import zipfile
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


def _too_big(name: str) -> ValidationFailed:
    return _problem(
        _(
            "%(name)s is too large to import: at most %(rows)s rows, %(cells)s cells and "
            "%(mb)s MB unpacked. Split it into smaller files."
        )
        % {
            "name": name,
            "rows": f"{settings.IMPORT_MAX_ROWS:,}",
            "cells": f"{settings.IMPORT_MAX_CELLS:,}",
            "mb": settings.IMPORT_MAX_UNPACKED_BYTES // (1024 * 1024),
        }
    )


def _check_unpacked(name: str, data: bytes) -> None:
    """Unpack every member of an .xlsx/.ods in chunks, counting the bytes, and stop at the
    limit: the sizes a zip declares may lie, the bytes it unpacks to do not."""
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise _too_big(name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _problem(
            _("%(name)s could not be read: %(reason)s") % {"name": name, "reason": exc}
        ) from exc


def _check_shape(name: str, rows: int, columns: int) -> None:
    if rows > settings.IMPORT_MAX_ROWS + 1 or rows * columns > settings.IMPORT_MAX_CELLS:
        raise _too_big(name)


def _read_csv(name: str, data: bytes) -> list[list[Any]]:
    text = _decode(data)
    dialect: Any = csv.excel
    if text.strip():
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:  # quotes and commas inside cells can defeat the guess: say comma
            dialect = csv.excel
    raw: list[list[Any]] = []
    cells = 0
    for row in csv.reader(io.StringIO(text), dialect):  # stops at the limit, not at the end
        raw.append(row)
        cells += len(row)
        if len(raw) > settings.IMPORT_MAX_ROWS + 1 or cells > settings.IMPORT_MAX_CELLS:
            raise _too_big(name)
    return raw


def read_table(name: str, data: bytes, *, sheet: str | None = None) -> Table:
    """The first sheet (or the named one) as a header and numbered rows; empty rows skipped.

    Reading stops at the configured limits (``IMPORT_MAX_UNPACKED_BYTES``, ``IMPORT_MAX_ROWS``,
    ``IMPORT_MAX_CELLS``) with a message that names them."""
    ext = check_upload(name, data)
    raw: list[list[Any]]
    if ext == ".csv":
        raw = _read_csv(name, data)
        sheet_name = name
    else:
        from python_calamine import CalamineWorkbook

        if ext in (".xlsx", ".ods"):
            _check_unpacked(name, data)
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = book.sheet_names
            sheet_name = sheet if sheet in names else names[0]
            found = book.get_sheet_by_name(sheet_name)
            _check_shape(name, found.height, found.width)
            raw = found.to_python(skip_empty_area=False)
        except ValidationFailed:
            raise
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

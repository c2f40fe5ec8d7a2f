"""The settings sheet (参数设置) of an analysis workbook: a name and a value a row.

Every setting of :data:`~gongsheng.workbook.schema.SETTINGS_LIST` has its default; a row
overrides it with a value checked against the setting's kind and bounds.
"""

from __future__ import annotations

from typing import Any

from gongsheng.workbook import schema
from gongsheng.workbook.reading.cells import CellError, parse_date, parse_number, text
from gongsheng.workbook.reading.sheets import SheetReader


def read_settings(rd: SheetReader | None) -> dict[str, Any]:
    settings: dict[str, Any] = {s.key: s.default for s in schema.SETTINGS_LIST}
    if rd is None:
        return settings
    for k, v, _failed, r in rd.rows():
        setting_name = v["setting"]
        if setting_name is None:
            continue
        setting = next(
            (s for s in schema.SETTINGS_LIST if schema.fold(setting_name) in s.names()), None
        )
        if setting is None:
            known = "、".join(s.zh for s in schema.SETTINGS_LIST)
            rd.bad(k, rd.name_of("setting"), f"unknown setting {setting_name!r}; known: {known}")
            continue
        raw = rd.cell(r, rd.index["value"]) if "value" in rd.index else None
        if not text(raw):
            continue
        try:
            settings[setting.key] = setting_value(setting, raw)
        except CellError as exc:
            rd.bad(k, rd.name_of("value"), f"{setting.zh}: {exc}")
    y0, y1 = settings["year_from"], settings["year_to"]
    if y0 and y1 and y1 < y0:
        rd.bad(None, None, "截止年份 (last year) is before 起始年份 (first year)")
    return settings


def setting_value(spec: schema.Setting, raw: Any) -> object:
    if spec.kind == "date":
        return parse_date(raw)
    if spec.kind == "choice":
        s = schema.fold(text(raw))
        if s not in spec.choices:
            raise CellError(f"one of {', '.join(spec.choices)} (got {text(raw)!r})")
        return s
    x = parse_number(raw)
    if spec.kind == "int":
        if not float(x).is_integer():
            raise CellError(f"must be a whole number (got {text(raw)})")
        x = int(x)
    if spec.lo is not None and x < spec.lo:
        raise CellError(f"must be at least {spec.lo:g} (got {text(raw)})")
    if spec.hi is not None and x > spec.hi:
        raise CellError(f"must be at most {spec.hi:g} (got {text(raw)})")
    return x

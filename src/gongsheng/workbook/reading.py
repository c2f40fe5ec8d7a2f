"""Reading and checking an analysis workbook: every bad cell is collected, then refused.

:func:`read_workbook` returns a :class:`~gongsheng.workbook.model.WorkbookData` or raises
:class:`~gongsheng.workbook.model.WorkbookInvalid` listing every problem as (sheet, row, column,
reason), with the row numbers Excel shows and the column headers as written in the file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

from gongsheng.workbook import schema
from gongsheng.workbook.model import (
    OUTSIDE,
    EpisodeRow,
    Flow,
    IndicatorDef,
    Pool,
    Problem,
    Unit,
    WorkbookData,
    WorkbookInvalid,
)

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_COALITION_PLAYERS = 12
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class CellError(ValueError):
    """A cell's value is wrong; the message is the reason."""


# --------------------------------------------------------------------------------------
# cell parsers
# --------------------------------------------------------------------------------------
def text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def _number(v: Any) -> float:
    if isinstance(v, bool):
        raise CellError(f"not a number ({text(v)!r})")
    if isinstance(v, int | float):
        x = float(v)
    else:
        s = text(v).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        try:
            x = float(s)
        except ValueError:
            raise CellError(f"not a number ({text(v)!r})") from None
    if not math.isfinite(x):
        raise CellError(f"not a finite number ({text(v)!r})")
    return x


def parse_number(v: Any) -> float:
    return _number(v)


def parse_positive(v: Any) -> float:
    x = _number(v)
    if x <= 0:
        raise CellError(f"must be greater than 0 (got {text(v)})")
    return x


def parse_nonneg(v: Any) -> float:
    x = _number(v)
    if x < 0:
        raise CellError(f"must not be negative (got {text(v)})")
    return x


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    m = _DATE.match(text(v))
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise CellError(f"not a date ({text(v)!r}); write it like 2024-03-31")


def parse_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = schema.fold(text(v))
    if s in {schema.fold(w) for w in schema.YES_WORDS}:
        return True
    if s in {schema.fold(w) for w in schema.NO_WORDS}:
        return False
    raise CellError(f"write 是/否 or yes/no (got {text(v)!r})")


def parse_group(v: Any) -> str:
    s = schema.fold(text(v))
    for code, (zh, en) in schema.GROUPS.items():
        if s in (schema.fold(code), schema.fold(zh), schema.fold(en)):
            return code
    if s in {schema.fold(k) for k in schema.GROUP_ALIASES}:
        return next(c for k, c in schema.GROUP_ALIASES.items() if schema.fold(k) == s)
    allowed = "、".join(zh for zh, _ in schema.GROUPS.values())
    raise CellError(f"{text(v)!r} is not one of {allowed} (government/school/enterprise/…)")


def parse_direction(v: Any) -> bool:
    s = schema.fold(text(v))
    if s in ("正向", "正", "benefit", "+", "max", "效益型", "越大越好"):
        return True
    if s in ("负向", "负", "逆向", "cost", "-", "min", "成本型", "越小越好"):
        return False
    raise CellError(f"write 正向/负向 or benefit/cost (got {text(v)!r})")


def parse_period(v: Any) -> str:
    if isinstance(v, dt.date):
        return str(v.year)
    return text(v)


def parse_year(v: Any) -> int:
    if isinstance(v, dt.date):
        return v.year
    s = text(v).removesuffix("年")
    try:
        x = float(s)
    except ValueError:
        raise CellError(f"not a year ({text(v)!r}); write it like 2023") from None
    if not x.is_integer() or not 1900 <= x <= 2100:
        raise CellError(f"not a year ({text(v)!r}); write it like 2023")
    return int(x)


def parse_text(v: Any) -> str:
    return text(v)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": parse_text,
    "code": parse_text,
    "unit": parse_text,
    "ref": parse_text,
    "members": parse_text,
    "number": parse_number,
    "positive": parse_positive,
    "nonneg": parse_nonneg,
    "date": parse_date,
    "bool": parse_bool,
    "group": parse_group,
    "direction": parse_direction,
    "period": parse_period,
    "year": parse_year,
}


# --------------------------------------------------------------------------------------
# sheets
# --------------------------------------------------------------------------------------
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


class _SheetReader:
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

    def rows(self):
        """(row number, {key: parsed value or None}, set of keys whose cell was bad)."""
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


def _find(sheets: dict[str, list[list[Any]]], spec: schema.Sheet) -> str | None:
    return next((s for s in sheets if schema.fold(s) in spec.names()), None)


# --------------------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------------------
def read_workbook(source: str | Path | bytes, name: str = "") -> WorkbookData:
    """Read and check a workbook; raise :class:`WorkbookInvalid` with every problem found.

    ``source`` is a path or the bytes of an upload (then ``name`` is its file name).
    """
    sheets = load_sheets(source, name)
    problems: list[Problem] = []
    readers: dict[str, _SheetReader | None] = {}
    for spec in schema.SHEETS:
        title = _find(sheets, spec)
        if title is None:
            if spec.required:
                problems.append(
                    Problem(spec.zh, None, None, f"missing sheet {spec.zh} ({spec.en})")
                )
            readers[spec.key] = None
        else:
            readers[spec.key] = _SheetReader(spec, title, sheets[title], problems)

    # units ------------------------------------------------------------------------
    units: list[Unit] = []
    codes: dict[str, int] = {}
    outside = {schema.fold(w) for w in schema.OUTSIDE_WORDS}
    if (rd := readers["units"]) is not None:
        for k, v, failed, _ in rd.rows():
            code = v["code"]
            if code:
                if code in codes:
                    rd.bad(
                        k, rd.name_of("code"), f"code {code} given twice (also row {codes[code]})"
                    )
                    continue
                if schema.fold(code) in outside:
                    rd.bad(
                        k, rd.name_of("code"), f"{code!r} is reserved for outside the consortium"
                    )
                    continue
                codes[code] = k
            if not failed and code:
                units.append(Unit(code, v["name"], v["group"], bool(v["lead"])))
    unit_codes = set(codes)

    # pools ------------------------------------------------------------------------
    pools: list[Pool] = []
    pool_codes: dict[str, int] = {}
    if (rd := readers["pools"]) is not None:
        for k, v, _failed, _ in rd.rows():
            code = v["code"]
            if not code:
                continue
            if code in unit_codes:
                rd.bad(k, rd.name_of("code"), f"code {code} is already a unit code")
            elif code in pool_codes:
                rd.bad(
                    k, rd.name_of("code"), f"code {code} given twice (also row {pool_codes[code]})"
                )
            elif schema.fold(code) in outside:
                rd.bad(k, rd.name_of("code"), f"{code!r} is reserved for outside the consortium")
            else:
                pool_codes[code] = k
                pools.append(Pool(code, v["name"] or ""))

    def ref(x: str) -> str | None:
        if x in unit_codes or x in pool_codes:
            return x
        if schema.fold(x) in outside:
            return OUTSIDE
        return None

    # ledger -----------------------------------------------------------------------
    flows: list[Flow] = []
    if (rd := readers["ledger"]) is not None:
        for k, v, failed, _ in rd.rows():
            ends = {}
            for key in ("giver", "receiver"):
                if v[key] is None:
                    continue
                r = ref(v[key])
                if r is None:
                    rd.bad(
                        k,
                        rd.name_of(key),
                        f"{v[key]!r} is not a unit code, a pool code or 外部/outside",
                    )
                    failed.add(key)
                ends[key] = r
            g, r = ends.get("giver"), ends.get("receiver")
            if g is not None and r is not None:
                if g == r:
                    reason = "both sides outside" if g == OUTSIDE else f"gives to itself ({g})"
                    rd.bad(k, rd.name_of("receiver"), reason)
                    failed.add("receiver")
                elif g in pool_codes and r in pool_codes:
                    rd.bad(
                        k,
                        rd.name_of("receiver"),
                        f"a pool cannot give to a pool ({g} → {r}); give to units",
                    )
                    failed.add("receiver")
            if not failed and g is not None and r is not None:
                flows.append(
                    Flow(
                        k,
                        v["date"],
                        g,
                        r,
                        v["value"],
                        v["category"] or "",
                        v["quantity"],
                        v["measure"] or "",
                        v["note"] or "",
                    )
                )
        if rd.ok and not rd.body:
            rd.bad(None, None, "the ledger has no rows")

    # episodes ---------------------------------------------------------------------
    episodes: list[EpisodeRow] = []
    if (rd := readers["episodes"]) is not None:
        for k, v, failed, _ in rd.rows():
            for key in ("a", "b"):
                if v[key] is not None and v[key] not in unit_codes:
                    rd.bad(k, rd.name_of(key), f"{v[key]!r} is not a unit code")
                    failed.add(key)
            if v["a"] is not None and v["a"] == v["b"]:
                rd.bad(k, rd.name_of("b"), "a unit cannot cooperate with itself")
                failed.add("b")
            if v["start"] and v["end"] and v["end"] < v["start"]:
                rd.bad(k, rd.name_of("end"), f"ends before it starts ({v['start']})")
                failed.add("end")
            if not failed:
                episodes.append(
                    EpisodeRow(
                        k,
                        v["a"],
                        v["b"],
                        v["start"],
                        v["end"],
                        v["dimension"] or "",
                        bool(v["joint_body"]),
                        v["source"] or "",
                    )
                )

    # series -----------------------------------------------------------------------
    series: dict[str, dict[int, float]] = {}
    if (rd := readers["series"]) is not None:
        seen: dict[tuple[str, str], int] = {}
        for k, v, failed, _ in rd.rows():
            u, p = v["unit"], v["period"]
            if u is not None and u not in unit_codes:
                rd.bad(k, rd.name_of("unit"), f"{u!r} is not a unit code")
                failed.add("unit")
            if u is not None and p is not None and (u, p) in seen:
                rd.bad(
                    k,
                    rd.name_of("period"),
                    f"period {p} of unit {u} given twice (also row {seen[(u, p)]})",
                )
                continue
            if u is not None and p is not None:
                seen[(u, p)] = k
            if not failed:
                series.setdefault(u, {})[p] = v["value"]

    # indicators -------------------------------------------------------------------
    defs: list[IndicatorDef] = []
    if (rd := readers["indicator_defs"]) is not None:
        names: dict[str, int] = {}
        weights: list[tuple[int, float | None]] = []
        for k, v, failed, _ in rd.rows():
            n = v["indicator"]
            if n is not None and schema.fold(n) in names:
                rd.bad(
                    k,
                    rd.name_of("indicator"),
                    f"indicator {n} given twice (also row {names[schema.fold(n)]})",
                )
                continue
            if n is not None:
                names[schema.fold(n)] = k
            weights.append((k, v["weight"]))
            if not failed:
                defs.append(IndicatorDef(n, v["direction"], v["weight"], v["subsystem"] or ""))
        given = [w for _, w in weights if w is not None]
        if given and len(given) < len(weights):
            for k, w in weights:
                if w is None:
                    rd.bad(k, rd.name_of("weight"), "give a weight for every indicator or for none")
        elif given and sum(given) <= 0:
            rd.bad(None, rd.name_of("weight"), "the weights add up to 0")
    subjects: list[str] = []
    values: list[list[float]] = []
    if (rd := readers["indicators"]) is not None and rd.ok:
        by_name = {schema.fold(d.name): d for d in defs}
        columns = []
        for i in rd.extra:
            h = rd.header[i]
            if readers["indicator_defs"] is not None and schema.fold(h) not in by_name:
                rd.bad(rd.header_row, h, f"indicator {h} is not in the sheet 指标定义")
            columns.append(i)
        if readers["indicator_defs"] is None:
            rd.bad(None, None, "needs the sheet 指标定义 (indicator definitions)")
        else:
            def_order = [schema.fold(d.name) for d in defs]
            header = rd.header
            ordered = sorted(
                columns,
                key=lambda i: (
                    def_order.index(schema.fold(header[i]))
                    if schema.fold(header[i]) in by_name
                    else 0
                ),
            )
            present = {schema.fold(rd.header[i]) for i in columns}
            missing = [d.name for d in defs if schema.fold(d.name) not in present]
            for m in missing:
                rd.bad(rd.header_row, None, f"no column for indicator {m}")
            seen_subjects: dict[str, int] = {}
            for k, v, failed, r in rd.rows():
                s = v["subject"]
                if s is not None and s in seen_subjects:
                    rd.bad(
                        k, rd.name_of("subject"), f"{s} given twice (also row {seen_subjects[s]})"
                    )
                    failed.add("subject")
                elif s is not None:
                    seen_subjects[s] = k
                row_values = []
                for i in ordered:
                    raw = rd.cell(r, i)
                    if not text(raw):
                        rd.bad(k, rd.header[i], "empty cell")
                        failed.add(rd.header[i])
                        continue
                    try:
                        row_values.append(parse_number(raw))
                    except CellError as exc:
                        rd.bad(k, rd.header[i], str(exc))
                        failed.add(rd.header[i])
                if not failed:
                    subjects.append(s)
                    values.append(row_values)
            if defs:
                order = {schema.fold(rd.header[i]): n for n, i in enumerate(ordered)}
                defs = sorted(defs, key=lambda d: order.get(schema.fold(d.name), 0))

    # coalitions -------------------------------------------------------------------
    coalitions: dict[frozenset[str], float] = {}
    if (rd := readers["coalitions"]) is not None:
        rows_of: dict[frozenset[str], int] = {}
        for k, v, failed, _ in rd.rows():
            if v["members"] is None:
                continue
            members = [m.strip() for m in re.split(r"[、,，+;；\s]+", v["members"]) if m.strip()]
            unknown = [m for m in members if m not in unit_codes]
            if unknown:
                rd.bad(k, rd.name_of("members"), f"not unit codes: {', '.join(unknown)}")
                continue
            coalition = frozenset(members)
            if len(coalition) < len(members):
                rd.bad(k, rd.name_of("members"), "a unit is listed twice")
                continue
            if coalition in rows_of:
                rd.bad(
                    k,
                    rd.name_of("members"),
                    f"coalition given twice (also row {rows_of[coalition]})",
                )
                continue
            rows_of[coalition] = k
            if not failed:
                coalitions[coalition] = v["value"]
        players = sorted(set().union(*rows_of)) if rows_of else []
        if len(players) > MAX_COALITION_PLAYERS:
            rd.bad(
                None,
                None,
                f"{len(players)} players; at most {MAX_COALITION_PLAYERS} "
                "(every one of the 2^n − 1 coalitions must be given)",
            )
        elif rows_of:
            missing = [
                "、".join(c)
                for n in range(1, len(players) + 1)
                for c in combinations(players, n)
                if frozenset(c) not in rows_of
            ]
            if missing:
                shown = "; ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
                rd.bad(
                    None,
                    None,
                    f"{len(missing)} coalition(s) of {', '.join(players)} missing: {shown}",
                )

    # settings ---------------------------------------------------------------------
    settings: dict[str, Any] = {s.key: s.default for s in schema.SETTINGS_LIST}
    if (rd := readers["settings"]) is not None:
        for k, v, _failed, r in rd.rows():
            setting_name = v["setting"]
            if setting_name is None:
                continue
            setting = next(
                (s for s in schema.SETTINGS_LIST if schema.fold(setting_name) in s.names()), None
            )
            if setting is None:
                known = "、".join(s.zh for s in schema.SETTINGS_LIST)
                rd.bad(
                    k, rd.name_of("setting"), f"unknown setting {setting_name!r}; known: {known}"
                )
                continue
            raw = rd.cell(r, rd.index["value"]) if "value" in rd.index else None
            if not text(raw):
                continue
            try:
                settings[setting.key] = _setting(setting, raw)
            except CellError as exc:
                rd.bad(k, rd.name_of("value"), f"{setting.zh}: {exc}")
        y0, y1 = settings["year_from"], settings["year_to"]
        if y0 and y1 and y1 < y0:
            rd.bad(None, None, "截止年份 (last year) is before 起始年份 (first year)")

    # across sheets ----------------------------------------------------------------
    rd = readers["units"]
    if rd is not None and rd.ok and len(units) < 2 and all(p.sheet != rd.title for p in problems):
        problems.append(Problem(rd.title, None, None, "needs at least 2 units"))
    if problems:
        raise WorkbookInvalid(problems)
    return WorkbookData(
        units=units,
        pools=pools,
        flows=sorted(flows, key=lambda f: (f.date, f.row)),
        episodes=episodes,
        series={u: sorted(d.items()) for u, d in series.items()},
        indicator_defs=defs,
        indicator_subjects=subjects,
        indicator_values=values,
        coalitions=coalitions,
        settings=settings,
        source_name=name or (Path(source).name if not isinstance(source, bytes) else ""),
    )


def _setting(spec: schema.Setting, raw: Any) -> object:
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

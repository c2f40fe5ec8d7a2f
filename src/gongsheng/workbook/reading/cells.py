"""The cells of an analysis workbook: each column kind's parser and the reason it refuses a value.

A parser takes the raw value calamine read and returns the Python value or raises
:class:`CellError` with the reason a person reads next to the cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from gongsheng.workbook import schema


class CellError(ValueError):
    """A cell's value is wrong; the message is the reason."""


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

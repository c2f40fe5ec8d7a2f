"""The document model: what a report says, independent of PDF or Word.

Framework-light (dataclasses only): apps build a :class:`Document` from the numbers their
selectors return (the same numbers the pages' charts use) and the renderers in
:mod:`gongsheng.documents.pdf` and :mod:`gongsheng.documents.word` turn it into files.

>>> doc = Document(
...     title="联合体运行简报",
...     sections=[
...         Section("成员构成", blocks=[
...             Paragraph("本联合体共有成员单位 3 家。"),
...             Table(columns=[Column("类型"), Column("数量", format="int")],
...                   rows=[["企业", 2], ["学校", 1]], caption="成员单位按类型"),
...         ]),
...     ],
... )
>>> [h.heading for h in doc.headings()]
['成员构成']
>>> doc.sections[0].blocks[1].cells()
[['企业', '2'], ['学校', '1']]
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

#: how a table column prints its numbers
NumberFormat = Literal["text", "int", "decimal", "money", "percent"]
ChartKind = Literal["bar", "barh", "stacked", "line", "pie"]


def format_value(value: Any, fmt: NumberFormat = "text", *, digits: int = 2) -> str:
    """One cell as text: thousands separators for numbers, ``—`` for nothing.

    >>> format_value(1234567.891, "money")
    '1,234,567.89'
    >>> format_value(0.1234, "percent")
    '12.3%'
    >>> format_value(None, "int")
    '—'
    """
    if value is None or value == "":
        return "—"
    if fmt == "text" or isinstance(value, str):
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return str(value)
    number = float(value) if not isinstance(value, decimal.Decimal) else value
    if fmt == "int":
        return f"{round(number):,}"
    if fmt == "percent":
        return f"{float(number) * 100:.1f}%"
    if fmt == "money":
        return f"{number:,.2f}"
    return f"{number:,.{digits}f}"


@dataclass(frozen=True)
class Paragraph:
    block: ClassVar[str] = "paragraph"
    text: str
    style: Literal["body", "note", "lead"] = "body"


@dataclass(frozen=True)
class KeyValues:
    """A two-column list of labels and values (a report's key figures)."""

    block: ClassVar[str] = "keyvalues"
    items: list[tuple[str, Any]]
    caption: str = ""


@dataclass(frozen=True)
class Column:
    label: str
    format: NumberFormat = "text"
    digits: int = 2

    @property
    def numeric(self) -> bool:
        return self.format != "text"


@dataclass(frozen=True)
class Table:
    """A table with a header row that repeats on every page it spans."""

    block: ClassVar[str] = "table"
    columns: list[Column]
    rows: list[list[Any]]
    caption: str = ""
    total: list[Any] | None = None  # an optional last row, printed bold

    def __post_init__(self) -> None:
        width = len(self.columns)
        for i, row in enumerate([*self.rows, *([self.total] if self.total else [])], start=1):
            if len(row) != width:
                raise ValueError(
                    f"table {self.caption!r}: row {i} has {len(row)} cells, expected {width}"
                )

    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    def _cells(self, row: list[Any]) -> list[str]:
        pairs = zip(row, self.columns, strict=True)
        return [format_value(v, c.format, digits=c.digits) for v, c in pairs]

    def cells(self) -> list[list[str]]:
        return [self._cells(row) for row in self.rows]

    def total_cells(self) -> list[str] | None:
        return self._cells(self.total) if self.total else None

    def aligned(self) -> list[list[tuple[str, bool]]]:
        """Every body row (and the total row) as ``(text, numeric)`` pairs, for renderers
        that right-align numbers."""
        rows = [*self.cells(), *([self.total_cells()] if self.total else [])]
        return [[(t, c.numeric) for t, c in zip(row, self.columns, strict=True)] for row in rows]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


@dataclass(frozen=True)
class Chart:
    """A chart drawn server-side by matplotlib (:mod:`gongsheng.documents.charts`)."""

    block: ClassVar[str] = "chart"
    kind: ChartKind
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""  # the value axis label, e.g. "万元"
    caption: str = ""

    def __post_init__(self) -> None:
        if not self.series:
            raise ValueError(f"chart {self.title!r}: no series")
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.title!r}: series {s.name!r} has {len(s.values)} values "
                    f"for {len(self.categories)} categories"
                )


@dataclass(frozen=True)
class PageBreak:
    block: ClassVar[str] = "pagebreak"


Block = Paragraph | KeyValues | Table | Chart | PageBreak


@dataclass
class Section:
    heading: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"section {self.heading!r}: level must be 1, 2 or 3, not {self.level}")


@dataclass
class Document:
    """A report: a title page line, key facts (``meta``), and sections in reading order."""

    title: str
    sections: list[Section]
    subtitle: str = ""
    meta: list[tuple[str, str]] = field(default_factory=list)
    toc: bool = True
    language: str = "zh-hans"

    def headings(self) -> list[Section]:
        return list(self.sections)

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

"""What a table looks like: columns with code names and Chinese/English labels, parsers, and
how its rows are found, created and updated (through the owning app's services).

An app describes each importable or exportable list once, as a :class:`Resource`, and registers
it with :func:`register`; the one importer, exporter and template writer serve them all.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Model, QuerySet, TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override


class CellError(ValueError):
    """A cell that cannot be read; the message says why."""


#: what the CSV exporter puts before text a spreadsheet would take for a formula
_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.startswith(_NEUTRALISED):  # written inert by the CSV export: read it back as it was
        text = text[1:]
    return text.strip()


def parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = parse_text(value).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(_("“%(v)s” is not a date (write it as 2024-09-01).") % {"v": value})


def parse_decimal(value: Any) -> decimal.Decimal | None:
    if value in (None, ""):
        return None
    try:
        return decimal.Decimal(parse_text(value).replace(",", ""))
    except decimal.InvalidOperation as exc:
        raise CellError(_("“%(v)s” is not a number.") % {"v": value}) from exc


def parse_int(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("“%(v)s” is not a whole number.") % {"v": value})
    return int(number)


_TRUE = {"1", "true", "yes", "y", "是", "√", "x"}
_FALSE = {"0", "false", "no", "n", "否", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = parse_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("“%(v)s” is not yes or no (是 / 否).") % {"v": value})


def choice_parser(choices: type[TextChoices]) -> Callable[[Any], str]:
    """Accept the code, the Chinese label or the English label of a choice."""

    def parse(value: Any) -> str:
        text = parse_text(value)
        if not text:
            return ""
        folded = text.casefold()
        for member in choices:
            if folded == member.value.casefold():
                return member.value
            for lang in ("zh-hans", "en"):
                with override(lang):
                    if folded == str(member.label).casefold():
                        return member.value
        allowed = "、".join(str(m.label) for m in choices)
        raise CellError(_("“%(v)s” is not one of: %(allowed)s.") % {"v": text, "allowed": allowed})

    return parse


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str  # code name, also accepted as a header
    label: Any  # lazy translatable label: its Chinese and English forms are headers
    required: bool = False
    parse: Callable[[Any], Any] = parse_text
    choices: type[TextChoices] | None = None
    help: Any = ""
    export: Callable[[Any], Any] | None = None  # obj -> value; default: getattr(obj, name)

    def header(self, lang: str) -> str:
        with override(lang):
            return str(self.label)

    def headers(self) -> set[str]:
        return {
            self.name.casefold(),
            self.header("zh-hans").casefold(),
            self.header("en").casefold(),
        }

    def value_of(self, obj: Any, lang: str) -> Any:
        value = self.export(obj) if self.export else getattr(obj, self.name, "")
        if self.choices and value:
            with override(lang):
                return str(self.choices(value).label)
        if isinstance(value, bool):
            with override(lang):
                return str(_("yes") if value else _("no"))
        if isinstance(value, decimal.Decimal):
            return float(value)
        return "" if value is None else value


@dataclass
class RowContext:
    """What the importer knows about one run: who, into which consortium."""

    actor: Any
    consortium_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Resource:
    """Base class of an importable / exportable table."""

    name: ClassVar[str]
    label: ClassVar[Any]
    columns: ClassVar[list[Column]]
    key: ClassVar[str]  # the natural-key column
    importable: ClassVar[bool] = True
    needs_consortium: ClassVar[bool] = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    # export ------------------------------------------------------------------------
    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        raise NotImplementedError

    # import ------------------------------------------------------------------------
    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        """The stored rows for these natural keys (one query)."""
        raise NotImplementedError

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        """The pks among ``objs`` the actor may change (one query)."""
        raise NotImplementedError

    def check_row(
        self, values: dict[str, Any], existing: Model | None, context: RowContext
    ) -> list[tuple[str, str]]:
        """Extra checks across cells: (column name, reason) pairs."""
        return []

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        raise NotImplementedError

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        """Apply the row to ``obj``; return whether anything changed."""
        raise NotImplementedError


_REGISTRY: dict[str, Resource] = {}


def register(cls: type[Resource]) -> type[Resource]:
    _REGISTRY[cls.name] = cls()
    return cls


def get_resource(name: str) -> Resource:
    from gongsheng.core.errors import NotFound

    try:
        return _REGISTRY[name]
    except KeyError as exc:
        raise NotFound(_("No such table: %(name)s") % {"name": name}) from exc


def resources() -> list[Resource]:
    return list(_REGISTRY.values())


REQUIRED_MARK = gettext_lazy("required")

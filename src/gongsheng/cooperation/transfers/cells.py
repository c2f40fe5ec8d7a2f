"""Cells the cooperation transfers share: visibility, the consortium's units, list cells
(``credit code = value; ...``), optional booleans and lookups by key."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from gongsheng.access.scope import scope
from gongsheng.consortia.transfers import parse_credit_code
from gongsheng.cooperation.choices import (
    PartyRole,
)
from gongsheng.transfer.resources import (
    CellError,
    RowContext,
    choice_parser,
    parse_bool,
    parse_text,
)


def _if_visible(name: str):
    """Confidential columns stay empty for those who see only that a record exists."""
    return lambda c: getattr(c, name) if getattr(c, "contents_visible", False) else ""


def _percent(share: Decimal) -> str:
    return format((Decimal(share) * 100).normalize(), "f") + "%"


_ITEMS = re.compile(r"[;；\n]+")
_EQUALS = re.compile(r"[=＝]")
_SHARE = re.compile(r"^(.*?)[\s(（]*([0-9]+(?:\.[0-9]+)?)\s*[%％]\s*[)）]?$")
_role = choice_parser(PartyRole)


def _items(value: Any) -> list[tuple[str, str, str]]:
    """``code = rest`` items of a list cell, as (the item, its credit code, the rest)."""
    out = []
    for item in _ITEMS.split(parse_text(value)):
        item = item.strip()
        if not item:
            continue
        parts = _EQUALS.split(item, maxsplit=1)
        if len(parts) != 2:
            raise CellError(_("“%(v)s” is not written as credit code = …") % {"v": item})
        try:
            code = parse_credit_code(parts[0].strip())
        except CellError as exc:
            raise CellError(f"“{item}”: {exc}") from exc
        out.append((item, code, parts[1].strip()))
    return out


def _optional_bool(default: bool):
    def parse(value: Any) -> bool:
        return default if parse_text(value) == "" else parse_bool(value)

    return parse


def _number(key: Any) -> int | None:
    """The record id of a ``#<id>`` key (what the export writes for a record without a code)."""
    text = str(key)
    return int(text[1:]) if text.startswith("#") and text[1:].isdigit() else None


def code_or_number(field: str):
    """Export: the record's code, or ``#<id>`` where it has none, so that its row re-imports
    as that record (a code may be left empty on the pages)."""
    return lambda obj: getattr(obj, field) or f"#{obj.pk}"


def by_code_or_number(qs: Any, keys: Any, field: str) -> dict[str, Any]:
    """The consortium's records named by their code or ``#<id>`` (one query)."""
    keys = [str(k) for k in keys]
    ids = {n for n in map(_number, keys) if n is not None}
    codes = [k for k in keys if _number(k) is None]
    found: dict[str, Any] = {}
    for obj in qs.filter(Q(**{f"{field}__in": codes}) | Q(pk__in=ids)):
        if obj.pk in ids:
            found[f"#{obj.pk}"] = obj
        if getattr(obj, field) in codes:
            found[getattr(obj, field)] = obj
    return found


def unknown_number(values: dict[str, Any], key: str, existing: Any) -> list[tuple[str, str]]:
    """A ``#<id>`` key that names no record the importer may see (missing and hidden alike)."""
    if existing is None and _number(values.get(key)) is not None:
        return [(key, _("no record of this consortium has this number; leave it out (or give "
                        "a code) for a new record"))]  # fmt: skip
    return []


def _lookup(context: RowContext, name: str, model: Any, field: str) -> dict[str, int]:
    """Code (or ``#<id>``) -> pk of this consortium's contracts, projects or IP assets the actor
    may see (one query): a hidden one is named like one that does not exist."""
    if name not in context.extra:
        qs = scope(context.actor, model.objects.filter(consortium_id=context.consortium_id))
        found: dict[str, int] = {}
        for code, pk in qs.values_list(field, "pk"):
            found[f"#{pk}"] = pk
            if code:
                found[code] = pk
        context.extra[name] = found
    return context.extra[name]


def reference(name: str, field: str = "code"):
    """Export of a reference to a contract, project or asset: its code, or ``#<id>``."""

    def export(obj: Any) -> str:
        target = getattr(obj, name) if getattr(obj, f"{name}_id") else None
        return (getattr(target, field) or f"#{target.pk}") if target is not None else ""

    return export

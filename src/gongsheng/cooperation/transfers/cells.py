"""Cells the cooperation transfers share: visibility, the consortium's units, list cells
(``credit code = value; ...``), optional booleans and lookups by key."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

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


def _lookup(context: RowContext, name: str, model: Any, field: str) -> dict[str, int]:
    """Code -> pk of this consortium's contracts or projects the actor may see (one query)."""
    if name not in context.extra:
        qs = scope(context.actor, model.objects.filter(consortium_id=context.consortium_id))
        context.extra[name] = dict(qs.exclude(**{field: ""}).values_list(field, "pk"))
    return context.extra[name]

"""``{% load numbers %}``: amounts as a finance page writes them.

``{{ value|money }}`` is 7,684,500.00 — thousand separators and two decimals whatever the
locale's own formats say (Django's zh_Hans leaves the separator empty, so ``floatformat``
alone wrote 7684500); ``{{ value|money:0 }}`` drops the decimals. Anything that is not a number
(None, "—", a reason) is shown as it is.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


def format_money(value: Any, decimals: int = 2) -> str:
    """The text of an amount: grouped by threes, ``decimals`` places, a minus when negative."""
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return "" if value is None else str(value)
    if number.is_zero():
        number = abs(number)  # no "-0.00"
    return numberformat.format(
        number,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR") or ",",
        force_grouping=True,
    )


@register.filter
def money(value: Any, decimals: Any = 2) -> str:
    try:
        places = int(decimals)
    except (TypeError, ValueError):
        places = 2
    return format_money(value, places)

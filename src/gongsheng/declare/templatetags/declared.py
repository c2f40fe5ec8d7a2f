"""``{{ obj|cell:column }}``: a declared column's value as the export writes it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def cell(obj: Any, column: Any) -> Any:
    lang = "en" if (get_language() or "").startswith("en") else "zh-hans"
    return column.value_of(obj, lang)


@register.filter
def get_url(urls: dict[str, str], name: str) -> str:
    """``{% url urls|get_url:move.name obj.pk %}``: the URL name of a declared page."""
    return urls[name]

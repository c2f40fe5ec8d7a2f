from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(container: Any, key: Any) -> Any:
    """``{{ mapping|get:key }}`` or ``{{ list|get:index }}``; None when absent."""
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        return None

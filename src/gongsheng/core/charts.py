"""ECharts options as plain JSON-ready dicts, for the pages' simple charts.

A page writes an option with ``json_script`` and marks its box ``data-chart="<script id>"``;
``web/static/web/charts.js`` draws every such box (see ``web/_charts.html``). Options hold
data only: where a chart needs a function it names one of the shared script's formatters
with :func:`named`. The diagnosis and modelling apps build their richer options the same way
(``diagnosis/charts/options.py``, ``modelling/charts.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

#: the colours of the platform's charts, in order
PALETTE = (
    "#0b6e4f",
    "#08a045",
    "#6bbf59",
    "#2b6cb0",
    "#b7791f",
    "#c53030",
    "#805ad5",
    "#319795",
    "#d69e2e",
    "#718096",
)


def named(formatter: str) -> dict[str, str]:
    """A formatter of the shared chart script, by name (``lines``, ``integer``, ``point``,
    ``money``: thousands separated, ``wan``: an axis of money in 万 / 亿 (k / M in English))."""
    return {"named": formatter}


def bar_series(name: str | None, data: Iterable[Any], **extra: Any) -> dict[str, Any]:
    """One bar series (``name`` may be ``None`` for a chart with a single series)."""
    series: dict[str, Any] = {"type": "bar", "data": list(data), **extra}
    if name is not None:
        series["name"] = str(name)
    return series


def bar_option(
    categories: Sequence[Any],
    series: Sequence[dict[str, Any]],
    *,
    colours: Sequence[str] = PALETTE,
    horizontal: bool = False,
    legend: dict[str, Any] | None = None,
    value_axis: dict[str, Any] | None = None,
    money: bool = False,
) -> dict[str, Any]:
    """Bars over ``categories`` (shown top to bottom when ``horizontal``), one or more
    series from :func:`bar_series`; a legend when given (``{}`` for ECharts' default), above
    the bars. The axes' labels are kept inside the box (``containLabel``); ``money`` writes
    the value axis in 万 / 亿 and the tooltip's values with thousands separators."""
    category_axis: dict[str, Any] = {"type": "category", "data": [str(c) for c in categories]}
    values: dict[str, Any] = {"type": "value", **(value_axis or {})}
    tooltip: dict[str, Any] = {"trigger": "axis"}
    if money:
        values["axisLabel"] = {"formatter": named("wan"), **values.get("axisLabel", {})}
        tooltip["valueFormatter"] = named("money")
    grid: dict[str, Any] = {"left": 10, "right": 24, "bottom": 10, "containLabel": True}
    option: dict[str, Any] = {"color": list(colours), "tooltip": tooltip, "series": list(series)}
    if horizontal:
        category_axis.update(
            {"inverse": True, "axisLabel": {"interval": 0, "width": 180, "overflow": "truncate"}}
        )
        option.update({"xAxis": values, "yAxis": category_axis})
    else:
        option.update({"xAxis": category_axis, "yAxis": values})
    if legend is not None:
        option["legend"] = {"type": "scroll", "top": 0, **legend}
        grid["top"] = 40
    option["grid"] = grid
    return option


def pie_option(
    items: Iterable[tuple[str, Any]], *, colours: Sequence[str] = PALETTE
) -> dict[str, Any]:
    """A ring of ``(name, value)`` items, labelled "name: value"."""
    return {
        "color": list(colours),
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "70%"],
                "data": [{"name": str(name), "value": value} for name, value in items],
                "label": {"formatter": "{b}: {c}"},
            }
        ],
    }

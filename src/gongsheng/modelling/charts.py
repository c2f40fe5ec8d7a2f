"""ECharts options of the modelling pages (drawn by the shared ``web/charts.js``).

``display.logistic`` and ``display.game`` keep the run's numbers as ``chart``; these
functions turn them into options: observed points and the fitted curves of the Logistic
system, the game's phase trajectories and its sweep of one incentive. Options are data only;
the phase tooltip, the year axis and the amounts' axis name the shared script's formatters.
"""

from __future__ import annotations

from typing import Any

from gongsheng.core.charts import named

COLOURS = ("#0b6e4f", "#2b6cb0", "#b7791f", "#9b2c2c", "#6b46c1")


def logistic_option(chart: dict[str, Any]) -> dict[str, Any]:
    """Dots for the observed series, a line per fitted group, dashed at its equilibrium."""
    series: list[dict[str, Any]] = []
    equilibrium = chart.get("equilibrium")
    for j, label in enumerate(chart["labels"]):
        colour = COLOURS[j % len(COLOURS)]
        series.append(
            {
                "name": label,
                "type": "scatter",
                "symbolSize": 8,
                "color": colour,
                "data": [[y, chart["observed"][j][k]] for k, y in enumerate(chart["years"])],
            }
        )
        line: dict[str, Any] = {
            "name": label,
            "type": "line",
            "showSymbol": False,
            "smooth": True,
            "color": colour,
            "data": [[t, chart["curve"][j][k]] for k, t in enumerate(chart["curve_t"])],
        }
        if equilibrium and equilibrium[j] is not None:
            line["markLine"] = {
                "symbol": "none",
                "silent": True,
                "lineStyle": {"type": "dashed", "color": colour},
                "data": [{"yAxis": equilibrium[j]}],
            }
        series.append(line)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": list(chart["labels"])},
        "xAxis": {
            "type": "value",
            "min": "dataMin",
            "max": "dataMax",
            "axisLabel": {"formatter": named("integer")},
        },
        # amounts of money in 万 / 亿 (counts below ten thousand stay as they are)
        "yAxis": {"type": "value", "scale": True, "axisLabel": {"formatter": named("wan")}},
        "series": series,
    }


def phase_option(chart: dict[str, Any]) -> dict[str, Any]:
    """The trajectories from each start in the (x, y) plane, darker as z (government) rises."""
    trajectories = chart["trajectories"]
    series: list[dict[str, Any]] = [
        {
            "type": "line",
            "showSymbol": False,
            "name": "(" + ", ".join(str(s) for s in tr["start"]) + ")",
            "data": [[p[0], p[1], p[2]] for p in tr["x"]],
            "lineStyle": {"width": 2},
            "color": COLOURS[i % len(COLOURS)],
        }
        for i, tr in enumerate(trajectories)
    ]
    series.append(
        {
            "type": "scatter",
            "name": "start",
            "symbolSize": 7,
            "color": "#555",
            "data": [[tr["start"][0], tr["start"][1]] for tr in trajectories],
        }
    )
    populations = chart["populations"]
    return {
        "tooltip": {"trigger": "item", "formatter": named("point")},
        "visualMap": {
            "show": False,
            "dimension": 2,
            "min": 0,
            "max": 1,
            "seriesIndex": list(range(len(trajectories))),
            "inRange": {"opacity": [0.35, 1]},
        },
        "xAxis": {"type": "value", "min": 0, "max": 1, "name": populations[0]},
        "yAxis": {"type": "value", "min": 0, "max": 1, "name": populations[1]},
        "series": series,
    }


def sweep_option(chart: dict[str, Any]) -> dict[str, Any] | None:
    """For each value of the swept incentive: which corners are ESS (steps) and how many."""
    s = chart.get("sweep")
    if not s:
        return None
    lines: list[dict[str, Any]] = []
    for k, label in enumerate(s["corners"]):
        data = [[v, 1 if s["ess"][i][k] else 0] for i, v in enumerate(s["values"])]
        if any(p[1] == 1 for p in data):
            lines.append(
                {"name": label, "type": "line", "step": "end", "showSymbol": False, "data": data}
            )
    count: dict[str, Any] = {
        "name": "ESS",
        "type": "line",
        "step": "end",
        "showSymbol": False,
        "yAxisIndex": 1,
        "lineStyle": {"type": "dotted"},
        "data": [[v, s["n_ess"][i]] for i, v in enumerate(s["values"])],
    }
    if s.get("threshold") is not None:
        count["markLine"] = {
            "symbol": "none",
            "data": [{"xAxis": s["threshold"]}],
            "label": {"formatter": f"{s['param']} = {s['threshold']:.3f}"},
        }
    lines.append(count)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "value", "name": s["param"]},
        "yAxis": [
            {"type": "value", "min": 0, "max": 1, "name": "ESS?"},
            {"type": "value", "min": 0, "minInterval": 1, "name": "#ESS"},
        ],
        "series": lines,
    }

"""Run the analyses a checked workbook allows and gather every number into one plain dict.

* the symbiosis diagnosis (:func:`gongsheng.analytics.diagnosis.diagnose`): pairs, modes,
  energy, units, consortium totals, trends and alerts; the symbiosis degree and share where
  the series sheet gives quality parameters;
* evaluation (:mod:`gongsheng.analytics.evaluation`) where the indicator sheets are filled:
  entropy (or given) weights, TOPSIS closeness and rank, and with two or more subsystems the
  coupling coordination degree;
* Shapley allocation (:mod:`gongsheng.analytics.allocation`) where coalition values are given.

Nothing here re-implements a model: it maps workbook rows onto the analytics functions and
labels the results in Chinese for the report. The dict is JSON-ready (``report.json``).

The modules: ``diagnosis`` (the engine's inputs and its result labelled), ``scores``
(evaluation, allocation), ``labels`` (the Chinese words and reason lines).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gongsheng.workbook.analysis.diagnosis import diagnosis
from gongsheng.workbook.analysis.scores import allocation, evaluation
from gongsheng.workbook.model import WorkbookData

__all__ = ["STEPS", "Progress", "analyse"]

#: the steps reported to a progress callback, in order
STEPS = ("诊断共生关系", "评价指标", "联盟分配", "整理结果")

Progress = Callable[[str], None]


def analyse(data: WorkbookData, progress: Progress | None = None) -> dict[str, Any]:
    """Every analysis the workbook allows, as one JSON-ready dict (see the module docstring)."""
    step = progress or (lambda _s: None)
    step(STEPS[0])
    report = diagnosis(data)
    step(STEPS[1])
    report["evaluation"] = evaluation(data)
    step(STEPS[2])
    report["allocation"] = allocation(data)
    step(STEPS[3])
    notes = []
    if not data.episodes:
        notes.append("没有合作事件表：无法判断组织共生模式。")
    if not data.series:
        notes.append("没有质参量表：不计算共生度和共生分配系数。")
    if report["evaluation"] is None:
        notes.append("没有指标表：不做综合评价。")
    if report["allocation"] is None:
        notes.append("没有联盟价值表：不做 Shapley 分配。")
    from gongsheng import __version__

    report["meta"] = {
        "source": data.source_name,
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "generator": f"gongsheng analyze {__version__}",
        "units": len(data.units),
        "pools": len(data.pools),
        "flows": len(data.flows),
        "episodes": len(data.episodes),
        "notes": notes,
    }
    order = (
        "meta",
        "window",
        "settings",
        "consortium",
        "units",
        "pairs",
        "alerts",
        "trends",
        "evaluation",
        "allocation",
    )
    return {k: report[k] for k in order}

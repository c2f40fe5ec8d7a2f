"""What ``gongsheng evaluate`` writes: JSON, the two tables (Chinese with English headings)
and the Excel file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._format import num


def as_json(tree, result, names) -> dict:
    return {
        "indicators": [
            {
                "code": c,
                "name": names[i],
                "parent": tree.indicators[i].parent,
                "local_weight": float(result.local_weights[i]),
                "global_weight": float(result.global_weights[i]),
            }
            for i, c in enumerate(result.codes)
        ],
        "group_methods": {("" if k is None else k): v for k, v in result.group_methods.items()},
        "consistency": {
            ("" if k is None else k): {"cr": r.cr, "consistent": r.consistent}
            for k, r in result.consistency.items()
        },
        "entities": [
            {
                "entity": e,
                "overall": float(result.overall[i]),
                "rank": int(result.ranks[i]),
                "passed": bool(result.passed[i]),
                "failed_veto": [
                    c for k, c in enumerate(result.veto_codes) if result.veto_failures[i, k]
                ],
                "scores": {c: float(result.scores[i, j]) for j, c in enumerate(result.codes)},
            }
            for i, e in enumerate(result.entities)
        ],
        "normalization": result.normalization,
    }


def print_tables(tree, result, names) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    weights = Table(title="权重 · weights")
    for col in ("编码 code", "名称 name", "上级 parent", "组内权重 local", "全局权重 global",
                "下级赋权 method of children"):  # fmt: skip
        weights.add_column(col)
    for i, c in enumerate(result.codes):
        weights.add_row(
            c,
            names[i],
            tree.indicators[i].parent or "",
            num(result.local_weights[i], ".4f"),
            num(result.global_weights[i], ".4f"),
            result.group_methods.get(c, ""),
        )
    console.print(weights)
    top = tree.groups[None]
    method = result.group_methods[None]
    scores = Table(title=f"得分 · scores（顶层赋权 top-level weights: {method}）")
    for col in ("排名 rank", "对象 entity", "综合 overall", *top, "否决 veto"):
        scores.add_column(col)
    for i in np.argsort(result.ranks, kind="stable"):
        failed = [c for k, c in enumerate(result.veto_codes) if result.veto_failures[i, k]]
        scores.add_row(
            str(result.ranks[i]),
            result.entities[i],
            num(result.overall[i], ".4f"),
            *(num(result.score(c)[i], ".4f") for c in top),
            "未通过 fails " + ", ".join(failed) if failed else "",
        )
    console.print(scores)


def write_xlsx(path: Path, tree, result, names) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "weights"
    ws.append(["code", "name", "parent", "local_weight", "global_weight"])
    for i, c in enumerate(result.codes):
        ws.append(
            [
                c,
                names[i],
                tree.indicators[i].parent,
                result.local_weights[i],
                result.global_weights[i],
            ]
        )
    ws = wb.create_sheet("scores")
    ws.append(["entity", "overall", "rank", "passed", *result.codes])
    for i, e in enumerate(result.entities):
        ws.append(
            [e, result.overall[i], int(result.ranks[i]), bool(result.passed[i]), *result.scores[i]]
        )
    wb.save(path)

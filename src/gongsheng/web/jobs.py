"""The web's background work: ``gongsheng analyze`` on the web page as a job.

The uploaded workbook is kept in storage with the job; the worker reads, checks and
analyses it with progress, and keeps the report files (HTML, JSON, Excel and the zip of the
three) as the job's files under the data directory, downloadable by whoever may see the job
(the user who started it). Old jobs and their files are removed by the ``jobs.prune`` sweep.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.jobs.registry import JobFailed, job_kind
from gongsheng.workbook.analysis import STEPS, analyse
from gongsheng.workbook.model import WorkbookInvalid
from gongsheng.workbook.reading import read_workbook
from gongsheng.workbook.report import render_all, zip_report

ANALYZE = "workbook.analyze"


@job_kind(
    ANALYZE,
    label=gettext_lazy("Analyse a workbook"),
    attempts=2,
    result_template="web/_analyze_result.html",
)
def analyze_workbook(ctx: Any) -> dict[str, Any]:
    source = ctx.params["source"]
    total = len(STEPS) + 2
    ctx.progress(0, total, _("reading the workbook"))
    try:
        data = read_workbook(ctx.input("workbook"), source)
    except WorkbookInvalid as exc:
        raise JobFailed(
            _("The workbook has problems; no report was made."),
            result={
                "source": source,
                "problems": [
                    {"sheet": p.sheet, "row": p.row, "column": p.column, "reason": str(p.reason)}
                    for p in exc.problems
                ],
            },
        ) from exc
    done = 1

    def step(name: str) -> None:
        nonlocal done
        ctx.progress(done, total, name)
        done += 1

    try:
        report = analyse(data, step)
    except ValueError as exc:  # the engine refused something the reader let through
        raise JobFailed(str(exc), result={"source": source, "problems": []}) from exc
    ctx.progress(total - 1, total, _("writing the report"))
    files = render_all(report)
    for name, blob in files.items():
        ctx.save_file(name, blob)
    ctx.save_file("report.zip", zip_report(files))
    c = report["consortium"]
    return {
        "source": source,
        "units": len(report["units"]),
        "pairs": c["pairs"],
        "energy": c["energy"],
        "target_count": c["target_count"],
        "alerts": [
            {"kind_zh": a["kind_zh"], "reason_zh": a["reason_zh"]} for a in report["alerts"]
        ],
    }

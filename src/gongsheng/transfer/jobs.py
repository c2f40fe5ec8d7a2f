"""Large imports as background jobs (discovered by ``gongsheng.jobs`` at start-up).

A file with more rows than ``GONGSHENG_IMPORT_INLINE_ROWS`` (default 500) is imported by the
job ``transfer.import``: the same :func:`run_import` (all or nothing, every bad cell named)
with its progress shown on the import page; smaller files stay in the request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.jobs.models import Job
from gongsheng.jobs.registry import JobFailed, job_kind
from gongsheng.jobs.services import job_start
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.reading import read_table
from gongsheng.transfer.resources import Resource, RowContext, get_resource

IMPORT = "transfer.import"


def import_in_background(filename: str, data: bytes) -> bool:
    """Whether a file is large enough to import as a job (reads it once; a file that cannot
    be read is left to the inline import, which names the problem)."""
    try:
        rows = len(read_table(filename, data).rows)
    except Exception:
        return False
    return rows > getattr(settings, "GONGSHENG_IMPORT_INLINE_ROWS", 500)


def import_start(
    *,
    actor: Any,
    resource: Resource,
    consortium_id: int | None,
    filename: str,
    data: bytes,
    dry_run: bool = False,
) -> Job:
    """Start importing ``data`` into ``resource`` in the background; the job checks every
    right and cell exactly as the inline import does."""
    return job_start(
        actor=actor,
        kind=IMPORT,
        consortium_id=consortium_id,
        params={"resource": resource.name, "filename": filename, "dry_run": dry_run},
        files={"upload": data},
    )


@job_kind(
    IMPORT,
    label=gettext_lazy("Import a table"),
    attempts=1,
    result_template="transfer/_import_job.html",
)
def import_table(ctx: Any) -> dict[str, Any]:
    p = ctx.params
    ctx.progress(0, 1, _("reading and checking the file"))
    try:
        result = run_import(
            get_resource(p["resource"]),
            filename=p["filename"],
            data=ctx.input("upload"),
            context=RowContext(actor=ctx.user, consortium_id=ctx.consortium_id),
            dry_run=bool(p.get("dry_run")),
            progress=lambda done, total: ctx.progress(done, total, _("rows applied")),
        )
    except ImportFailed as exc:
        raise JobFailed(exc.message, result={"errors": [e.as_dict() for e in exc.errors]}) from exc
    return {
        "resource": result.resource,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "request_id": result.request_id,
        "dry_run": bool(p.get("dry_run")),
    }

"""Large imports and exports as background jobs (discovered by ``gongsheng.jobs``).

A file with more rows than ``GONGSHENG_IMPORT_INLINE_ROWS`` (default 500) is imported by the
job ``transfer.import``: the same :func:`run_import` (all or nothing, every bad cell named)
with its progress shown on the import page; smaller files stay in the request.

An export of more rows than ``GONGSHENG_EXPORT_INLINE_ROWS`` (default 2,000) is written by the
job ``transfer.export``: the request keeps only the ids of the rows it selected (its filters,
its order, already scoped to the user); the job reads them again through the table's
``export_queryset`` as that user (rows they can no longer see are left out) and writes the
same file as :func:`export_file` in the request. Only the user who asked downloads it, and
only while every row of it that still exists is still theirs to see (``files_for``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.jobs.models import Job
from gongsheng.jobs.registry import JobFailed, job_kind
from gongsheng.jobs.services import job_start
from gongsheng.transfer.exporting import export_file, export_filename
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.reading import read_table
from gongsheng.transfer.resources import Resource, RowContext, get_resource

IMPORT = "transfer.import"
EXPORT = "transfer.export"
#: ids read and checked per query (well under SQLite's limit of bound parameters)
CHUNK = 500
#: the export job's list of the ids it wrote (beside the file)
ROWS_FILE = "rows.json"


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


# --- exports ------------------------------------------------------------------------------
def export_in_background(
    *,
    actor: Any,
    resource: Resource,
    objs: Iterable[Any],
    fmt: str,
    lang: str | None,
    consortium_id: int | None,
) -> Job | None:
    """Start the export job when ``objs`` is a queryset of more rows than
    ``GONGSHENG_EXPORT_INLINE_ROWS`` (one COUNT); ``None``: export in the request."""
    if not isinstance(objs, QuerySet):
        return None
    if objs.count() <= getattr(settings, "GONGSHENG_EXPORT_INLINE_ROWS", 2000):
        return None
    ids = list(objs.values_list("pk", flat=True))
    return job_start(
        actor=actor,
        kind=EXPORT,
        consortium_id=consortium_id,
        params={
            "resource": resource.name,
            "format": "csv" if fmt == "csv" else "xlsx",
            "lang": lang or "",
            "rows": len(ids),
        },
        files={"ids": json.dumps(ids).encode()},
    )


def _chunks(ids: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _visible(resource: Resource, user: Any, consortium_id: int | None) -> QuerySet:
    return resource.export_queryset(user, RowContext(actor=user, consortium_id=consortium_id))


def export_may_download(user: Any, job: Job) -> bool:
    """An export's file is for the user who asked, while they may still see its rows: every
    exported row that still exists must still be in their scope."""
    if job.user_id is None or getattr(user, "pk", None) != job.user_id:
        return False
    exported = (job.files or {}).get(ROWS_FILE)
    if not exported:
        return False
    from django.core.files.storage import default_storage

    with default_storage.open(exported, "rb") as fh:
        ids = json.load(fh)
    visible = _visible(get_resource(job.params["resource"]), user, job.consortium_id)
    every = visible.model._default_manager.all()
    for chunk in _chunks(ids):
        if every.filter(pk__in=chunk).count() != visible.filter(pk__in=chunk).count():
            return False
    return True


@job_kind(
    EXPORT,
    label=gettext_lazy("Export a table"),
    attempts=2,
    result_template="transfer/_export_job.html",
    files_for=export_may_download,
)
def export_table(ctx: Any) -> dict[str, Any]:
    p = ctx.params
    resource = get_resource(p["resource"])
    ids = json.loads(ctx.input("ids"))
    visible = _visible(resource, ctx.user, ctx.consortium_id)
    found: dict[Any, Any] = {}
    for n, chunk in enumerate(_chunks(ids)):
        ctx.progress(n * CHUNK, len(ids), _("rows read"))
        found.update((o.pk, o) for o in visible.filter(pk__in=chunk))
    rows = [found[pk] for pk in ids if pk in found]  # the request's order
    ctx.progress(len(ids), len(ids), _("writing the file"))
    body, _type, ext = export_file(
        resource, rows, fmt=p["format"], lang=p["lang"] or None, actor=ctx.user,
        consortium_id=ctx.consortium_id,
    )  # fmt: skip
    name = export_filename(resource, ext)
    ctx.save_file(name, body)
    # the exported rows' ids: the download checks them against the user's rights again
    ctx.save_file(ROWS_FILE, json.dumps([o.pk for o in rows]).encode())
    return {"rows": len(rows), "left_out": len(ids) - len(rows), "file": name}

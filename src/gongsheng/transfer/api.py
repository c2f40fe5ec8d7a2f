"""API: import and export of registered tables (units, memberships, the audit log ...)."""

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from gongsheng.jobs.api import JobOut
from gongsheng.transfer.exporting import export_response, template_response
from gongsheng.transfer.importing import check_import_right, run_import
from gongsheng.transfer.jobs import export_in_background
from gongsheng.transfer.resources import RowContext, get_resource

router = Router(tags=["import/export"])


class ImportOut(Schema):
    resource: str
    rows: int
    created: int
    updated: int
    unchanged: int
    request_id: str
    dry_run: bool


@router.post("/{resource}/import", response=ImportOut)
def import_table(
    request: HttpRequest,
    resource: str,
    file: File[UploadedFile],
    consortium: Form[int | None] = None,
    dry_run: Form[bool] = False,
):
    """Import a table (xlsx, xls, ods, csv). All or nothing: a 422 problem lists every bad
    cell (row, column, reason) and nothing is changed."""
    res = get_resource(resource)
    context = RowContext(actor=request.user, consortium_id=consortium)
    check_import_right(res, context)  # before the upload is read
    result = run_import(
        res, filename=file.name or "upload", data=file.read(), context=context, dry_run=dry_run
    )
    return {**result.__dict__, "dry_run": dry_run}


@router.get("/{resource}/export", response={200: None, 202: JobOut})
def export_table(
    request: HttpRequest,
    resource: str,
    consortium: int | None = None,
    format: str = "xlsx",
    lang: str = "",
):
    """Export what you may see of a table, as xlsx or csv, headers in Chinese (``lang=zh-hans``)
    or English (``lang=en``).

    A table of more rows than ``GONGSHENG_EXPORT_INLINE_ROWS`` (default 2,000) is written in
    the background: the answer is **202** with the job (``GET /api/jobs/{id}`` for its
    progress); once it has succeeded, ``files`` holds the file's download address, which
    only you may open."""
    res = get_resource(resource)
    qs = res.export_queryset(request.user, RowContext(actor=request.user, consortium_id=consortium))
    job = export_in_background(
        actor=request.user, resource=res, objs=qs, fmt=format, lang=lang or None,
        consortium_id=consortium,
    )  # fmt: skip
    if job is not None:
        return Status(202, job)
    return export_response(
        request, resource, qs, fmt=format, actor=request.user, consortium_id=consortium
    )


@router.get("/{resource}/template", response={200: None})
def template(request: HttpRequest, resource: str, lang: str = ""):
    """A blank template with an instructions sheet."""
    return template_response(request, resource)

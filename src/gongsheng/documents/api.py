"""API of the documents app: reports one may ask for, render, list, download, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.errors import NotFound
from gongsheng.documents import selectors, services
from gongsheng.documents.models import FORMATS, RenderedDocument
from gongsheng.jobs.api import JobOut

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    report: str
    title: str
    params: dict[str, Any]
    consortium_id: int | None
    created_at: dt.datetime
    render_ms: int
    files: dict[str, str]

    @staticmethod
    def resolve_files(obj: RenderedDocument) -> dict[str, str]:
        return {fmt: reverse("api:document_download", args=[obj.pk, fmt]) for fmt in obj.formats}


class RenderIn(Schema):
    params: dict[str, Any] = {}
    formats: list[str] = list(FORMATS)


class ReportOut(Schema):
    name: str
    title: str
    params: list[str]


@router.get("/documents/reports", response=list[ReportOut])
def report_list(request: HttpRequest, consortium: int | None = None):
    """The reports you may generate (for one consortium: ``?consortium=``)."""
    params = {"consortium": consortium} if consortium is not None else {}
    return [
        {"name": r.name, "title": str(r.title), "params": list(r.params)}
        for r in selectors.reports_for(request.user, **params)
    ]


class RenderJobOut(JobOut):
    """A rendering job: its state and progress, where to ask again, and the document (with
    its files' download addresses) once it has succeeded."""

    status_url: str
    document: DocumentOut | None = None

    @staticmethod
    def resolve_status_url(job: Any) -> str:
        return reverse("api:document_job", args=[job.pk])

    @staticmethod
    def resolve_document(job: Any, context: Any) -> RenderedDocument | None:
        pk = (job.result or {}).get("document") if job.state == "succeeded" else None
        if pk is None:
            return None
        try:
            return selectors.document_get(user=context["request"].user, document_id=pk)
        except NotFound:  # deleted since, or the right to it ended
            return None


@router.post("/documents/reports/{name}", response={202: RenderJobOut})
def report_render(request: HttpRequest, response: HttpResponse, name: str, payload: RenderIn):
    """Generate a registered report as PDF and/or Word (``formats``: ``pdf``, ``docx``) in the
    background. The request (who may ask, parameters, formats) is checked at once: 404 for a
    report you may not ask for, 422 naming a bad parameter or format. Otherwise **202** with
    the rendering job; ask ``status_url`` (also in the ``Location`` header) until ``state`` is
    ``succeeded`` — then ``document.files`` holds the download addresses — or ``failed``,
    with ``error`` saying why (a server without Chinese fonts names ``fonts-noto-cjk``)."""
    job = services.report_start(
        actor=request.user, name=name, params=payload.params, formats=payload.formats
    )
    response["Location"] = reverse("api:document_job", args=[job.pk])
    return Status(202, job)


@router.get("/documents/jobs/{job_id}", url_name="document_job", response=RenderJobOut)
def report_job(request: HttpRequest, job_id: int):
    """One of your rendering jobs: state, progress, error, and the document once done."""
    return selectors.render_job(user=request.user, job_id=job_id)


@router.get("/documents", response=list[DocumentOut])
@paginate(LimitOffsetPagination)
def document_list(request: HttpRequest):
    """The documents you generated, newest first."""
    return selectors.document_list(user=request.user)


@router.get("/documents/{document_id}", response=DocumentOut)
def document_detail(request: HttpRequest, document_id: int):
    return selectors.document_get(user=request.user, document_id=document_id)


@router.get("/documents/{document_id}/{fmt}", url_name="document_download", response={200: None})
def document_download(request: HttpRequest, document_id: int, fmt: str):
    """The file (``pdf`` or ``docx``) of one of your documents."""
    from gongsheng.documents.views import CONTENT_TYPES

    row, field = selectors.document_file(user=request.user, document_id=document_id, fmt=fmt)
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"{row.title}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )


@router.delete("/documents/{document_id}", response={204: None})
def document_delete(request: HttpRequest, document_id: int):
    services.document_delete(actor=request.user, document_id=document_id)
    return Status(204, None)

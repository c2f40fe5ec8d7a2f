"""API of the documents app: reports one may ask for, render, list, download, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.errors import ApplicationError
from gongsheng.documents import selectors, services
from gongsheng.documents.fonts import MissingFonts
from gongsheng.documents.models import FORMATS, RenderedDocument

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


@router.post("/documents/reports/{name}", response={201: DocumentOut})
def report_render(request: HttpRequest, name: str, payload: RenderIn):
    """Generate a registered report as PDF and/or Word (``formats``: ``pdf``, ``docx``)."""
    try:
        row = services.report_render(
            actor=request.user, name=name, params=payload.params, formats=payload.formats
        )
    except MissingFonts as exc:  # the server lacks fonts-noto-cjk: say so, not 500
        raise ApplicationError(str(exc), [], 503, "Chinese fonts missing") from exc
    return Status(201, row)


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

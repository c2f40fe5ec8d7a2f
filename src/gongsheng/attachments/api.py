"""API: files on records. ``record`` is ``<app_label>.<model>:<id>`` (e.g.
``ledger.ledgerentry:12``); access follows the record."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gongsheng.attachments import selectors, services
from gongsheng.attachments.models import Attachment
from gongsheng.attachments.registry import ref_of

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    id: int
    record: str
    purpose: str
    name: str
    size: int
    mime_type: str
    sha256: str
    note: str
    uploaded_at: dt.datetime
    uploaded_by: str | None
    download: str


class RecordQuery(Schema):
    record: str


class AddForm(Schema):
    purpose: str = "attachment"
    note: str = ""


def _out(a: Attachment, ref: str) -> dict:
    return {
        "id": a.pk,
        "record": ref,
        "purpose": a.purpose,
        "name": a.name,
        "size": a.size,
        "mime_type": a.mime_type,
        "sha256": a.sha256,
        "note": a.note,
        "uploaded_at": a.uploaded_at,
        "uploaded_by": a.uploaded_by.username if a.uploaded_by else None,
        "download": f"/api/attachments/{a.pk}/download",
    }


@router.get("/attachments", response=list[AttachmentOut])
def attachment_list(request: HttpRequest, q: Query[RecordQuery]):
    """The files on one record (``?record=ledger.ledgerentry:12``)."""
    _decl, record = selectors.record_get(request.user, q.record)
    ref = ref_of(record)
    return [_out(a, ref) for a in selectors.attachments_for(request.user, record)]


@router.post("/attachments", response={201: AttachmentOut})
def attachment_add(
    request: HttpRequest, q: Query[RecordQuery], form: Form[AddForm], file: File[UploadedFile]
):
    """Add a file (multipart field ``file``; checked by content, size and name)."""
    _decl, record = selectors.record_get(request.user, q.record)
    a = services.attachment_add(
        actor=request.user, record=record, file=file, purpose=form.purpose, note=form.note
    )
    a = Attachment.objects.select_related("uploaded_by").get(pk=a.pk)
    return Status(201, _out(a, ref_of(record)))


@router.get("/attachments/{attachment_id}/download")
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """The file itself, as a download (``Content-Disposition: attachment``)."""
    from gongsheng.attachments.views import download_response

    attachment, record = selectors.attachment_get(request.user, attachment_id)
    return download_response(request, attachment, record)


@router.delete("/attachments/{attachment_id}", response={204: None})
def attachment_remove(request: HttpRequest, attachment_id: int):
    """Take the file off its record (the bytes and the audit trail are kept)."""
    selectors.attachment_get(request.user, attachment_id)
    services.attachment_remove(actor=request.user, attachment_id=attachment_id)
    return Status(204, None)

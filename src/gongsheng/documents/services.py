"""Writes of the documents app: rendering a document into files, and deleting them.

Rendering is a plain function (the integrator runs it as a background job): the slow part —
drawing charts, laying out the PDF, filling the Word template — happens before the transaction;
the row, the files and the audit entry are written together afterwards.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, snapshot
from gongsheng.core.errors import FieldError, NotFound, ValidationFailed
from gongsheng.documents.charts import draw_charts
from gongsheng.documents.fonts import cjk_fonts
from gongsheng.documents.model import Document
from gongsheng.documents.models import FORMATS, RenderedDocument
from gongsheng.documents.registry import get_report


def _snapshot(row: RenderedDocument) -> dict[str, Any]:
    """The row's fields for the audit entry, the files by their storage names."""
    return {**snapshot(row), "pdf": row.pdf.name or "", "docx": row.docx.name or ""}


def _formats(formats: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(formats))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise ValidationFailed(
            _("Choose the formats among PDF and Word."),
            [FieldError("formats", _("Expected pdf and/or docx."))],
        )
    return chosen


def render_files(document: Document, formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """The document's files by format (no database): ``MissingFonts`` naming
    ``fonts-noto-cjk`` when no Chinese font is installed."""
    formats = _formats(formats)
    fonts = cjk_fonts()
    images = draw_charts(document, fonts=fonts)  # once, for both formats
    out: dict[str, bytes] = {}
    if "pdf" in formats:
        from gongsheng.documents.pdf import render_pdf

        out["pdf"] = render_pdf(document, fonts=fonts, images=images)
    if "docx" in formats:
        from gongsheng.documents.word import render_docx

        out["docx"] = render_docx(document, fonts=fonts, images=images)
    return out


def document_render(
    *,
    actor: Any,
    document: Document,
    formats: Iterable[str] = FORMATS,
    report: str = "",
    params: dict[str, Any] | None = None,
    consortium_id: int | None = None,
) -> RenderedDocument:
    """Render ``document`` into the chosen formats, store the files (Django storage, under the
    data directory) and write the audit entry (``DOCUMENT_RENDERED``)."""
    started = time.perf_counter()
    files = render_files(document, formats)
    elapsed = round((time.perf_counter() - started) * 1000)
    stem = f"{report or 'document'}-{uuid.uuid4().hex[:12]}"
    row = RenderedDocument(
        report=report,
        params=params or {},
        title=document.title[:300],
        consortium_id=consortium_id,
        created_by=actor if getattr(actor, "pk", None) else None,
        render_ms=elapsed,
    )
    saved: list[Any] = []
    try:
        with transaction.atomic():
            for fmt, data in files.items():
                field = getattr(row, fmt)
                field.save(f"{stem}.{fmt}", ContentFile(data), save=False)
                saved.append(field)
            row.save()
            audit_record(
                actor=actor,
                event=EventType.DOCUMENT_RENDERED,
                action=Action.EXPORT,
                obj=row,
                after=_snapshot(row),
                consortium_id=consortium_id,
                message=f"{report or 'document'}: {', '.join(files)} in {elapsed} ms",
            )
            if not is_system(actor):
                check_saved(actor, [row], "view")
    except BaseException:
        for field in saved:  # no orphaned files when the transaction rolls back
            field.storage.delete(field.name)
        raise
    return row


def report_request(
    *, actor: Any, name: str, params: dict[str, Any], formats: Iterable[str] = FORMATS
) -> tuple[Any, dict[str, Any], tuple[str, ...]]:
    """Check a request for the report ``name`` before anything is built: ``(report, clean
    parameters, formats)``. ``NotFound`` for an unknown report or one the actor may not ask
    for; ``ValidationFailed`` naming a bad parameter or format."""
    report = get_report(name)
    clean = report.clean(params)
    checked = tuple(_formats(formats))
    if not report.allowed(actor, clean):
        raise NotFound()
    return report, clean, checked


def report_render(
    *, actor: Any, name: str, params: dict[str, Any], formats: Iterable[str] = FORMATS
) -> RenderedDocument:
    """Build the registered report ``name`` as ``actor`` sees the data, then render it.

    ``NotFound`` for an unknown report or one the actor may not ask for (the same answer, as
    for records); ``ValidationFailed`` naming a bad parameter or format.
    """
    report, clean, formats = report_request(actor=actor, name=name, params=params, formats=formats)
    document = report.build(actor, **clean)
    return document_render(
        actor=actor,
        document=document,
        formats=formats,
        report=report.name,
        params=clean,
        consortium_id=report.consortium_id(clean),
    )


def report_start(
    *, actor: Any, name: str, params: dict[str, Any], formats: Iterable[str] = FORMATS
) -> Any:
    """Check the request at once (as :func:`report_request`), then render it in the background
    worker (job kind ``documents.render``, ``documents/jobs.py``); returns the job."""
    from gongsheng.jobs.services import job_start

    report, clean, checked = report_request(actor=actor, name=name, params=params, formats=formats)
    return job_start(
        actor=actor,
        kind="documents.render",
        consortium_id=report.consortium_id(clean),
        params={"name": report.name, "params": clean, "formats": list(checked)},
    )


def document_delete(*, actor: Any, document_id: int) -> None:
    """Delete a rendered document and its files (its author or a platform admin)."""
    with transaction.atomic():
        row = access_object(
            actor, RenderedDocument.objects.select_for_update(), document_id, "delete"
        )
        before = _snapshot(row)
        names = [(f.storage, f.name) for f in (row.pdf, row.docx) if f]
        audit_record(
            actor=actor,
            event=EventType.DOCUMENT_DELETED,
            action=Action.DELETE,
            obj=row,
            before=before,
            consortium_id=row.consortium_id,
        )
        row.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])

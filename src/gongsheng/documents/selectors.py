"""Reads of the documents app, through ``access.scope``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongsheng.access.scope import access_object, scope
from gongsheng.core.errors import NotFound
from gongsheng.documents.models import FORMATS, RenderedDocument
from gongsheng.documents.registry import Report, get_report, reports


def document_list(*, user: Any) -> QuerySet[RenderedDocument]:
    """The documents the user rendered (platform admins: all), newest first."""
    return scope(user, RenderedDocument.objects.all(), "view").order_by("-created_at", "-id")


def document_get(*, user: Any, document_id: int) -> RenderedDocument:
    return access_object(user, RenderedDocument.objects.all(), document_id)


def document_file(*, user: Any, document_id: int, fmt: str) -> tuple[RenderedDocument, Any]:
    """The stored file of one format, for download: the author's own document, whose report
    the author may still ask for (roles change; a revoked role ends the downloads too)."""
    row = document_get(user=user, document_id=document_id)
    if fmt not in FORMATS or not getattr(row, fmt):
        raise NotFound()
    if row.report:
        try:
            report = get_report(row.report)
        except NotFound:
            report = None
        if report is None or not report.allowed(user, dict(row.params)):
            raise NotFound()
    return row, getattr(row, fmt)


def reports_for(user: Any, **params: int) -> list[Report]:
    """The registered reports the user may ask for with these parameters (for buttons)."""
    return [
        r
        for r in reports()
        if set(r.params) <= set(params) and r.allowed(user, {k: params[k] for k in r.params})
    ]


def render_job(*, user: Any, job_id: int) -> Any:
    """A ``documents.render`` job the user may see (``NotFound`` for any other job)."""
    from gongsheng.jobs.selectors import job_get

    job = job_get(user=user, job_id=job_id)
    if job.kind != "documents.render":
        raise NotFound()
    return job

"""Pages of the documents app: my documents, render a report, download, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gongsheng.core.errors import ValidationFailed
from gongsheng.core.pages import error_text, page_errors, paginate
from gongsheng.documents import selectors, services
from gongsheng.documents.models import FORMATS

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_required
@page_errors
def document_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.document_list(user=request.user))
    new = request.GET.get("new", "")
    return render(
        request,
        "documents/list.html",
        {"page": page, "new": int(new) if new.isdigit() else None, "nav": "documents"},
    )


@login_required
@require_POST
@page_errors
def report_render(request: HttpRequest, name: str) -> HttpResponse:
    """Check the request at once, then render it in the background: the job's page shows the
    progress and, at the end, the download links (or why it failed)."""
    formats = request.POST.getlist("format") or list(FORMATS)
    params = {k: v for k, v in request.POST.items() if k not in ("format", "csrfmiddlewaretoken")}
    try:
        job = services.report_start(actor=request.user, name=name, params=params, formats=formats)
    except ValidationFailed as exc:
        messages.error(request, error_text(exc))
        return redirect("documents:list")
    messages.success(request, _("The document is being made; this page shows when it is ready."))
    return redirect("jobs:detail", job.pk)


def _list_url() -> str:
    from django.urls import reverse

    return reverse("documents:list")


@login_required
@require_safe
@page_errors
def document_download(request: HttpRequest, document_id: int, fmt: str) -> HttpResponse:
    row, field = selectors.document_file(user=request.user, document_id=document_id, fmt=fmt)
    response = FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"{row.title}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@page_errors
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    services.document_delete(actor=request.user, document_id=document_id)
    messages.success(request, _("The document was deleted."))
    return redirect("documents:list")

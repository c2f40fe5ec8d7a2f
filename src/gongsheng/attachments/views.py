"""Pages: the upload, remove and download endpoints behind the attachments panel (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.attachments import selectors, services
from gongsheng.attachments.models import Attachment
from gongsheng.core.errors import ValidationFailed
from gongsheng.core.pages import page_errors


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)


@login_required
@require_POST
@page_errors
def attachment_add(request: HttpRequest) -> HttpResponse:
    _decl, record = selectors.record_get(request.user, request.POST.get("record", ""))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return _back(request)
    try:
        services.attachment_add(
            actor=request.user,
            record=record,
            file=upload,
            purpose=request.POST.get("purpose") or "attachment",
            note=request.POST.get("note", ""),
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s was added.") % {"name": upload.name})
    return _back(request)


@login_required
@require_POST
@page_errors
def attachment_remove(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment, _record = selectors.attachment_get(request.user, attachment_id)
    services.attachment_remove(
        actor=request.user, attachment_id=attachment.pk, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("%(name)s was removed.") % {"name": attachment.name})
    return _back(request)


@login_required
@page_errors
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment, record = selectors.attachment_get(request.user, attachment_id)
    return download_response(request, attachment, record)


def download_response(request: HttpRequest, attachment: Attachment, record: Model) -> HttpResponse:
    """Stream the file after the check: never inline, never sniffed, never cached."""
    services.attachment_opened(actor=request.user, attachment=attachment, record=record)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
